"""Time-respecting paths: earliest arrival from one actor (Holme and Saramäki 2012; tsna).

kb's semantics, in days:

- a tie is active on day ``t`` when ``start <= t <= end`` (both ends inclusive); a missing
  ``start`` means "since before observation" and a missing ``end`` "still active";
- the window ``[lo, hi]`` (inclusive, either end open when ``None``) bounds every traversal;
- a path ``a0 -> a1 -> ... -> ak`` traverses each tie on a day no earlier than the day it
  reached the tie's tail; traversal takes no time, so several ties can be chained on one day.
  A tie is traversed at ``max(arrival at its tail, start, lo)``, which must be
  ``<= min(end, hi)``.

The search keeps, per actor, labels ``(arrival, hops)`` that no other label beats on both, and
settles them in order, like Dijkstra: the first label settled at an actor is its earliest
arrival with the fewest hops among earliest arrivals. In practice an actor is settled once or
a few times, so the cost is ``O(E log E)``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TemporalEdge:
    """A directed tie active from ``start`` to ``end`` inclusive (``None``: unbounded)."""

    source: str
    target: str
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class TemporalReach:
    """How an actor is first reached from the source.

    ``arrival`` is ``None`` when the path needs no date at all (no window start and only
    ties without a start date): the actor is reachable from the beginning of observation.
    ``path`` lists the actors from the source to ``target``; ``ties[k]`` is the index, in
    the edges given, of the tie traversed from ``path[k]`` to ``path[k + 1]``.
    """

    target: str
    arrival: date | None
    hops: int
    path: list[str]
    ties: list[int]


@dataclass(frozen=True)
class _Label:
    node: str
    arrival: date
    hops: int
    parent: _Label | None
    tie: int | None


def earliest_arrivals(
    edges: Iterable[TemporalEdge],
    source: str,
    *,
    lo: date | None = None,
    hi: date | None = None,
) -> dict[str, TemporalReach]:
    """Find the earliest time-respecting arrival at every actor reachable from ``source``.

    Args:
        edges: Directed temporal ties; an undirected tie is given once per direction.
            Parallel ties are kept apart (their dates differ) and self-loops are ignored.
        source: The actor the paths start from; it is present from ``lo`` on.
        lo: First day of the window, inclusive; ``None`` for no lower bound.
        hi: Last day of the window, inclusive; ``None`` for no upper bound.

    Returns:
        ``TemporalReach`` per reachable actor other than ``source``: earliest arrival, the
        fewest hops among earliest-arrival paths, and one such path with its tie indices.

    Raises:
        ValueError: ``lo`` is after ``hi``.
    """
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"The window starts ({lo}) after it ends ({hi}).")
    floor = lo if lo is not None else date.min
    ceiling = hi if hi is not None else date.max
    edge_list = list(edges)
    outgoing: dict[str, list[int]] = {}
    for k, edge in enumerate(edge_list):
        if edge.source != edge.target:
            outgoing.setdefault(edge.source, []).append(k)

    best_hops: dict[str, int] = {}
    first: dict[str, _Label] = {}
    heap: list[tuple[date, int, int, _Label]] = []
    counter = 0
    heapq.heappush(heap, (floor, 0, counter, _Label(source, floor, 0, None, None)))
    while heap:
        arrival, hops, _, label = heapq.heappop(heap)
        if hops >= best_hops.get(label.node, hops + 1):
            continue  # an earlier-or-equal label with no more hops was settled here
        best_hops[label.node] = hops
        first.setdefault(label.node, label)
        for k in outgoing.get(label.node, ()):
            edge = edge_list[k]
            if hops + 1 >= best_hops.get(edge.target, hops + 2):
                continue
            when = max(arrival, edge.start or floor, floor)
            if when <= min(edge.end or ceiling, ceiling):
                counter += 1
                nxt = _Label(edge.target, when, hops + 1, label, k)
                heapq.heappush(heap, (when, hops + 1, counter, nxt))

    result: dict[str, TemporalReach] = {}
    for node, label in first.items():
        if node == source:
            continue
        path: list[str] = []
        ties: list[int] = []
        step: _Label | None = label
        while step is not None:
            path.append(step.node)
            if step.tie is not None:
                ties.append(step.tie)
            step = step.parent
        path.reverse()
        ties.reverse()
        result[node] = TemporalReach(
            target=node,
            arrival=None if label.arrival == date.min else label.arrival,
            hops=label.hops,
            path=path,
            ties=ties,
        )
    return result
