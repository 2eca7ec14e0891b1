"""Degree and Freeman betweenness on directed data (igraph, Brandes' algorithm).

Betweenness is binary: parallel arcs collapse and tie weights are not used as distances,
because kb's weights are tie strengths (more is closer), not lengths.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kb.measures import _igraph
from kb.measures.arcs import Arc, collapse_arcs


@dataclass(frozen=True)
class CentralityStats:
    """Degree and betweenness of one actor.

    ``degree`` counts distinct neighbours in either direction (the symmetrised graph);
    ``in_degree`` and ``out_degree`` count distinct senders and receivers. ``betweenness``
    counts each ordered pair of other actors once (Freeman 1977, directed, as UCINET and
    sna report it); ``betweenness_normalized`` divides it by ``(n - 1)(n - 2)``, its maximum,
    and is ``None`` when there are fewer than three actors.
    """

    degree: int
    in_degree: int
    out_degree: int
    betweenness: float
    betweenness_normalized: float | None


def centrality(nodes: Iterable[str], arcs: Iterable[Arc]) -> dict[str, CentralityStats]:
    """Compute degree and directed betweenness for every actor.

    Args:
        nodes: Node ids, isolates included (they count in ``n`` for the normalisation).
        arcs: Directed ``(source, target)`` pairs; parallel arcs collapse, self-loops drop.
            An undirected tie expanded into both directions makes betweenness count both
            orders of every pair, i.e. twice the undirected value.

    Returns:
        ``CentralityStats`` per node id.

    Raises:
        ValidationError: An arc names a node that is not in ``nodes``.
    """
    node_list, arc_set = collapse_arcs(nodes, arcs)
    index = {node: k for k, node in enumerate(node_list)}
    n = len(node_list)
    graph = _igraph.load().Graph(
        n=n, edges=[(index[s], index[t]) for s, t in sorted(arc_set)], directed=True
    )
    between = graph.betweenness(directed=True) if n else []
    scale = (n - 1) * (n - 2)
    neighbours: dict[str, set[str]] = {node: set() for node in node_list}
    outs = dict.fromkeys(node_list, 0)
    ins = dict.fromkeys(node_list, 0)
    for source, target in arc_set:
        neighbours[source].add(target)
        neighbours[target].add(source)
        outs[source] += 1
        ins[target] += 1
    return {
        node: CentralityStats(
            degree=len(neighbours[node]),
            in_degree=ins[node],
            out_degree=outs[node],
            betweenness=float(between[k]),
            betweenness_normalized=float(between[k]) / scale if n >= 3 else None,
        )
        for node, k in index.items()
    }
