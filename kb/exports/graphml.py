"""GraphML for R igraph, networkx, statnet and Cytoscape: the actor network as a directed
multigraph, an undirected tie as two arcs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.analyses.selection import ALL_TIES, Selection
from kb.exports.files import (
    ExportResult,
    Target,
    opened,
    target_name,
    unique_id,
    xml,
    xml_warnings,
)
from kb.exports.network import ActorNetwork, actor_network
from kb.exports.pseudonymise import (
    Pseudonymisation,
    attach_risk_report,
    pseudonymise_network,
)
from kb.provenance import GRAPHML_KEY, for_output
from kb.store import Reader

if TYPE_CHECKING:
    import networkx as nx


REVERSE_SUFFIX = "~reverse"


def to_networkx(network: ActorNetwork) -> nx.MultiDiGraph:
    """The network as a networkx MultiDiGraph (what `write_graphml` writes).

    One arc per tie or membership, keyed by its id (also in ``kb_id``); an undirected tie
    is two arcs, one each way (the second keyed ``ID~reverse``), both with
    ``directed=False``: the directed graph kb's analyses see, which GraphML readers take as
    it is (R igraph and networkx use one direction for the whole graph).

    Nodes carry ``name`` = kb's id (igraph and Cytoscape take ``name`` as the vertex name)
    and ``label`` = the actor's name. Edges carry ``relation`` (tie / membership), ``type``
    (the tie type), ``tie_weight`` only where the tie has a weight (no attribute is named
    ``weight``: R igraph would use it, as distances, in every measure, and fail on the ties
    without one), ISO dates (``start_first`` / ``end_last``) next to the partial dates as
    written (``start`` / ``end``).
    """
    import networkx as nx

    graph = nx.MultiDiGraph(description=network.description())
    for node in network.nodes:
        graph.add_node(
            node.id,
            name=xml(node.id),
            label=xml(node.label),
            **{k: xml(v) for k, v in node.attributes.items()},
        )
    keys: set[str] = set()
    for edge in network.edges:
        # The id again as data: GraphML readers differ in what they do with <edge id>.
        data: dict[str, Any] = {
            "kb_id": xml(edge.id),
            "relation": edge.relation,
            "type": edge.type,
            "directed": edge.directed,
        }
        if edge.weight is not None:
            data["tie_weight"] = edge.weight
        if edge.start is not None:
            data["start_first"] = edge.start.isoformat()
        if edge.end is not None:
            data["end_last"] = edge.end.isoformat()
        data.update({k: xml(v) for k, v in edge.attributes.items()})
        arcs = [(edge.source, edge.target, edge.id)]
        if not edge.directed:
            arcs.append((edge.target, edge.source, edge.id + REVERSE_SUFFIX))
        for source, target, key in arcs:
            graph.add_edge(source, target, key=unique_id(xml(key), keys), **data)
    return graph


def write_graphml(
    kb: Reader,
    target: Target,
    selection: Selection = ALL_TIES,
    *,
    pseudonymise: Pseudonymisation | None = None,
    risk_report: bool = True,
) -> ExportResult:
    """Write the actor network as GraphML (readable by networkx and R igraph).

    Args:
        kb: the knowledge base to read.
        target: a file path, or a binary stream.
        selection: the ties to keep (`kb.analyses.selection.Selection`); memberships are
            kept by its period alone.
        pseudonymise: rename people (and organisations), mask and coarsen as it says
            (`kb.exports.pseudonymise`), and write a risk report beside the export.
        risk_report: with ``pseudonymise``, write the risk report beside it (False: the
            caller assesses several outputs at once, as ``kb publish`` does).

    Returns:
        Counts of actors, ties and memberships read, and of the arcs written (``edges``:
        an undirected tie is two).

    Raises:
        ValidationError: a type or period of the selection the case does not have, or
            the evidence selection keeps no tie.
        KBError: the file cannot be written.
    """
    import networkx as nx

    network = actor_network(kb, selection)
    pseudonymiser = None
    if pseudonymise is not None:
        network, pseudonymiser = pseudonymise_network(kb, network, pseudonymise, target)
    graph = to_networkx(network)
    # a graph-level <data> key (igraph: a graph attribute)
    graph.graph[GRAPHML_KEY] = for_output(kb).text()
    with opened(target) as out:
        nx.write_graphml(graph, out, encoding="utf-8")
    counts = network.counts() | {"edges": graph.number_of_edges()}
    warnings = network.warnings + xml_warnings(network.texts())
    result = ExportResult(target_name(target), "graphml", counts, warnings)
    if pseudonymiser is not None and risk_report:
        attach_risk_report(result, network, pseudonymiser, Path(target_name(target)))
    return result
