"""Breadth-first search from one actor over a network held in arrays.

The arcs are sorted by (source, target, tie) in the database's order of ids, and at each
hop an actor's parent is its first arc in that order from the previous hop's actors: the
same path every time for the same data, whichever process asks. An ``ArcTable`` is small
and quick to load (integer arrays), which is what lets kb keep it in its result cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

IntArray = np.ndarray[Any, np.dtype[np.int64]]


@dataclass(frozen=True)
class ArcTable:
    """Actors (in id order) and directed arcs as index arrays.

    ``sources[i] -> targets[i]`` is arc ``i`` of tie ``ties[tie_of_arc[i]]``; arcs are
    sorted by source, target, then tie.
    """

    actors: list[str]
    names: list[str | None]
    groups: list[str]
    ties: list[str]
    sources: IntArray
    targets: IntArray
    tie_of_arc: IntArray

    @classmethod
    def build(
        cls,
        actors: Sequence[str],
        names: Sequence[str | None],
        groups: Sequence[str],
        ties: Sequence[tuple[str, str, str, bool]],
    ) -> ArcTable:
        """From actors sorted by id and ``(tie id, source, target, directed)`` sorted by id.

        An undirected tie gives an arc each way; self-loops are dropped.
        """
        index = {actor: i for i, actor in enumerate(actors)}
        sources: list[int] = []
        targets: list[int] = []
        tie_of_arc: list[int] = []
        for position, (_, source, target, directed) in enumerate(ties):
            s, t = index[source], index[target]
            if s == t:
                continue
            sources.append(s)
            targets.append(t)
            tie_of_arc.append(position)
            if not directed:
                sources.append(t)
                targets.append(s)
                tie_of_arc.append(position)
        src = np.array(sources, dtype=np.int64)
        dst = np.array(targets, dtype=np.int64)
        tie = np.array(tie_of_arc, dtype=np.int64)
        order = np.lexsort((tie, dst, src))
        return cls(
            actors=list(actors),
            names=list(names),
            groups=list(groups),
            ties=[t[0] for t in ties],
            sources=src[order],
            targets=dst[order],
            tie_of_arc=tie[order],
        )


@dataclass(frozen=True)
class SearchTree:
    """What a breadth-first search from one actor found.

    ``order`` lists the reached actors (the source excluded) in the order found: by hop,
    then by the position of their parent arc. ``hops[v]`` is -1 for actors not reached
    and ``parent_arc[v]`` the arc that reached ``v`` (-1 for the source and the rest).
    """

    order: list[int]
    hops: IntArray
    parent_arc: IntArray

    def path(self, table: ArcTable, actor: int) -> tuple[list[str], list[str]]:
        """The actor ids and tie ids of the path found from the source to ``actor``."""
        actors, ties = [actor], []
        while (arc := int(self.parent_arc[actors[-1]])) >= 0:
            ties.append(table.ties[int(table.tie_of_arc[arc])])
            actors.append(int(table.sources[arc]))
        return [table.actors[a] for a in reversed(actors)], ties[::-1]


def breadth_first(table: ArcTable, source: int, max_hops: int) -> SearchTree:
    """Every actor ``source`` reaches in at most ``max_hops`` arcs, with one shortest path each.

    Each hop looks at every arc once (vectorised), so a search costs O(hops x arcs) array
    operations and no Python work per arc.
    """
    n = len(table.actors)
    hops = np.full(n, -1, dtype=np.int64)
    parent_arc = np.full(n, -1, dtype=np.int64)
    visited = np.zeros(n, dtype=bool)
    frontier = np.zeros(n, dtype=bool)
    visited[source] = frontier[source] = True
    hops[source] = 0
    order: list[int] = []
    for hop in range(1, max_hops + 1):
        candidates = np.flatnonzero(frontier[table.sources] & ~visited[table.targets])
        if candidates.size == 0:
            break
        # np.unique's first index per target is its smallest candidate arc: the parent.
        _, first = np.unique(table.targets[candidates], return_index=True)
        arcs = np.sort(candidates[first])
        found = table.targets[arcs]
        hops[found] = hop
        parent_arc[found] = arcs
        visited[found] = True
        frontier[:] = False
        frontier[found] = True
        order += found.tolist()
    return SearchTree(order=order, hops=hops, parent_arc=parent_arc)
