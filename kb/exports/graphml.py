"""GraphML for R igraph, networkx, Cytoscape: the same actor network as the GEXF export."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kb.exports.files import ExportResult, Target, destination, target_name, writing, xml
from kb.exports.network import ActorNetwork, actor_network
from kb.periods import Period
from kb.store import Reader

if TYPE_CHECKING:
    import networkx as nx


def to_networkx(network: ActorNetwork) -> nx.MultiDiGraph:
    """The network as a networkx MultiDiGraph (what `write_graphml` writes).

    Edges are keyed by their id (also in ``kb_id``); an undirected tie is one edge, source
    to target, with ``directed=False``. Dates are ISO strings (``start_first`` /
    ``end_last``) next to the partial dates as written (``start`` / ``end``).
    """
    import networkx as nx

    graph = nx.MultiDiGraph(description=network.description())
    for node in network.nodes:
        graph.add_node(
            node.id,
            label=xml(node.label),
            **{k: xml(v) for k, v in node.attributes.items()},
        )
    for edge in network.edges:
        # The id again as data: GraphML readers differ in what they do with <edge id>.
        data: dict[str, Any] = {
            "kb_id": xml(edge.id),
            "kind": edge.kind,
            "type": edge.type,
            "directed": edge.directed,
        }
        if edge.weight is not None:
            data["weight"] = edge.weight
        if edge.start is not None:
            data["start_first"] = edge.start.isoformat()
        if edge.end is not None:
            data["end_last"] = edge.end.isoformat()
        data.update({k: xml(v) for k, v in edge.attributes.items()})
        graph.add_edge(edge.source, edge.target, key=edge.id, **data)
    return graph


def write_graphml(
    kb: Reader,
    target: Target,
    *,
    types: str | Sequence[str] | None = None,
    at: str | Period | None = None,
) -> ExportResult:
    """Write the actor network as GraphML (readable by networkx and R igraph).

    Args:
        kb: the knowledge base to read.
        target: a file path, or a binary stream.
        types: tie types to keep (memberships are always kept).
        at: keep only ties and memberships whose spell overlaps this partial date.

    Returns:
        Counts of actors, ties and memberships written.

    Raises:
        ValidationError: ``types`` or ``at`` is malformed.
        KBError: the file cannot be written.
    """
    import networkx as nx

    network = actor_network(kb, types=types, at=at)
    graph = to_networkx(network)
    with writing(target):
        nx.write_graphml(graph, destination(target), encoding="utf-8")
    return ExportResult(target_name(target), "graphml", network.counts(), network.warnings)
