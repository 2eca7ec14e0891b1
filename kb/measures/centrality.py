"""Degree and Freeman betweenness (igraph, Brandes' algorithm), directed or undirected.

Betweenness is binary: parallel arcs collapse and tie weights are not used as distances,
because kb's weights are tie strengths (more is closer), not lengths. ``mode`` says which
textbook definition: ``directed`` counts each ordered pair of other actors (UCINET and sna
on directed data); ``undirected`` treats every arc as a line and counts each unordered pair
once (UCINET, igraph and networkx on undirected data), half the directed value of the same
ties given both ways.
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
    counts each ordered pair of other actors once (``directed``: Freeman 1977 as UCINET and
    sna report it) or each unordered pair once (``undirected``); ``betweenness_normalized``
    divides it by its maximum, ``(n - 1)(n - 2)`` directed or ``(n - 1)(n - 2) / 2``
    undirected, and is ``None`` when there are fewer than three actors.
    """

    degree: int
    in_degree: int
    out_degree: int
    betweenness: float
    betweenness_normalized: float | None


MODES = ("directed", "undirected")


def centrality(
    nodes: Iterable[str], arcs: Iterable[Arc], *, mode: str = "directed"
) -> dict[str, CentralityStats]:
    """Compute degree and betweenness for every actor.

    Args:
        nodes: Node ids, isolates included (they count in ``n`` for the normalisation).
        arcs: Directed ``(source, target)`` pairs; parallel arcs collapse, self-loops drop.
        mode: ``directed`` (each ordered pair; an undirected tie expanded into both
            directions counts both orders, twice its undirected value) or ``undirected``
            (every arc as a line, each unordered pair once).

    Returns:
        ``CentralityStats`` per node id.

    Raises:
        ValidationError: An arc names a node that is not in ``nodes``.
    """
    if mode not in MODES:
        raise ValueError(f"mode {mode!r}: use one of {', '.join(MODES)}.")
    node_list, arc_set = collapse_arcs(nodes, arcs)
    index = {node: k for k, node in enumerate(node_list)}
    n = len(node_list)
    directed = mode == "directed"
    edges = sorted(arc_set) if directed else sorted({tuple(sorted(a)) for a in arc_set})
    graph = _igraph.load().Graph(
        n=n, edges=[(index[s], index[t]) for s, t in edges], directed=directed
    )
    between = graph.betweenness(directed=directed) if n else []
    scale = (n - 1) * (n - 2) / (1 if directed else 2)
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
