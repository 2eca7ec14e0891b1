"""Distances and Brandes dependency from many sources, over integer arrays (numpy, igraph).

Legitimacy (`kb.analyses.legitimacy`) asks, for every source actor of one group, which
actors of another group it reaches and through whom: distances from each source, then
Brandes' (2001) dependency of the source on every other actor, restricted to the reached
targets. Both are linear in the ties per source.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import numpy as np

from kb.measures import _igraph

T = TypeVar("T")


def directed_graph(nodes: list[str], arcs: list[tuple[str, str]]) -> Any:
    """An igraph directed graph of ``nodes`` (vertex i is ``nodes[i]``); parallel arcs
    collapse and self-loops are dropped."""
    index = {node: i for i, node in enumerate(nodes)}
    edges = sorted({(index[s], index[t]) for s, t in arcs if s != t})
    return _igraph.load().Graph(n=len(nodes), edges=edges, directed=True)


def distances_from(
    graph: Any, searched: list[tuple[T, int]], chunk: int = 128
) -> Iterator[tuple[T, int, np.ndarray[Any, Any]]]:
    """``(item, source, distances to every actor)`` for each ``(item, source index)``
    searched, on an igraph ``graph``; igraph searches from many sources in one call for
    much less overhead than one call each. Unreachable actors are at ``inf``."""
    for first in range(0, len(searched), chunk):
        part = searched[first : first + chunk]
        matrix = np.array(graph.distances(source=[s for _, s in part], mode="out"), dtype=float)
        for (item, s), distances in zip(part, matrix, strict=True):
            yield item, s, distances


def target_dependency(
    tails: np.ndarray[Any, Any],
    heads: np.ndarray[Any, Any],
    hops: np.ndarray[Any, Any],
    source: int,
    reached: np.ndarray[Any, Any],
    max_hops: int,
) -> np.ndarray[Any, Any]:
    """Brandes' dependency of ``source`` on each actor, summed over the reached targets only.

    delta(v) = sum over reached targets t of sigma_st(v) / sigma_st: how many of the
    source's reached targets its shortest paths route through v (paths of equal length
    share a target). It is positive exactly for the actors on some shortest path to a
    reached target. One pass forward (path counts) and one backward over the
    shortest-path DAG, level by level: linear in the ties. ``tails -> heads`` are the
    arcs; ``hops`` the distances from the source as integers, ``max_hops + 1`` for
    further or unreachable actors.
    """
    n = len(hops)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    if not reached.any():
        return delta
    level = hops[tails]
    on_dag = np.flatnonzero((level < max_hops) & (hops[heads] == level + 1))
    order = on_dag[np.argsort(level[on_dag], kind="stable")]  # radix sort: small integers
    tail, head = tails[order], heads[order]
    bounds = np.searchsorted(level[order], np.arange(max_hops + 1))
    sigma[source] = 1.0
    for hop in range(max_hops):
        a, b = bounds[hop], bounds[hop + 1]
        sigma += np.bincount(head[a:b], weights=sigma[tail[a:b]], minlength=n)
    weight = reached.astype(float)
    for hop in range(max_hops - 1, -1, -1):
        a, b = bounds[hop], bounds[hop + 1]
        h, t = head[a:b], tail[a:b]
        delta += np.bincount(t, weights=sigma[t] / sigma[h] * (weight[h] + delta[h]), minlength=n)
    delta[source] = 0.0
    return delta
