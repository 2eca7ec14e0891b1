"""Shortest and time-respecting paths between two actors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kb.actors import resolve_actor
from kb.analyses.network import fetch
from kb.analyses.selection import ALL_TIES, Selection, check_selection
from kb.analyses.vocabulary import check_period, check_types
from kb.errors import ParameterError
from kb.measures.temporal_paths import TemporalEdge, earliest_arrivals
from kb.results import Records, Result
from kb.store import Reader

MAX_HOPS = 100
MAX_CYPHER_HOPS = 12  # the longest pattern paths/shortest searches


@dataclass(frozen=True, eq=False, kw_only=True)
class Paths(Result):
    """`paths`' answer (``kb paths``): the paths, each with its ``actors`` and ``ties``; its
    records are the steps of the paths (one per tie, the tie's fields as ``tie_*``)."""

    RECORDS = Records(key="paths", explode="ties", prefix="tie")

    source: str = field(metadata={"key": "from"})
    target: str = field(metadata={"key": "to"})
    period: str | None
    types: list[str] | None
    min_evidence: int
    triangulated: bool
    coders: list[str] | None
    time_respecting: bool
    paths: list[dict[str, Any]]


def check_hops(max_hops: int, most: int = MAX_HOPS) -> int:
    """``max_hops`` between 1 and ``most``."""
    if not 1 <= max_hops <= most:
        raise ParameterError("max_hops", max_hops, f"give a number from 1 to {most}.")
    return max_hops


def paths(
    db: Reader,
    source: str,
    target: str,
    selection: Selection = ALL_TIES,
    *,
    max_hops: int = 6,
    time_respecting: bool = False,
    evidence: bool = False,
) -> Paths:
    """Shortest paths from ``source`` to ``target`` (following tie direction).

    Without ``time_respecting``: all shortest paths among the ties ``selection`` keeps
    (`kb.analyses.selection.Selection`: types, period, evidence). With it: the
    earliest-arriving path over the selection's period (or all time), where each next tie
    starts no earlier than the previous one was used and is active when used.
    ``evidence`` lists each tie's evidence items.

    Returns:
        a `Paths`: ``from``, ``to``, ``period``, ``types``, ``min_evidence``,
        ``triangulated``, ``time_respecting`` and the ``paths``.
    """
    check_hops(max_hops, MAX_HOPS if time_respecting else MAX_CYPHER_HOPS)
    source, target = (
        resolve_actor(db, source, parameter="source"),
        resolve_actor(db, target, parameter="target"),
    )
    check_types(db, selection.type_list)
    check_period(db, selection.period, parameter=selection.period_parameter)
    if time_respecting:
        found = _time_respecting(db, source, target, max_hops, selection)
    elif _hops_between(db, source, target, selection) > max_hops:
        # Neo4j's ALL SHORTEST over a trail pattern tries every trail up to 12 hops
        # before it gives up on an unreachable target (minutes on the example): ask it
        # only for a pair that a breadth-first search has shown to be near enough.
        found = []
        check_selection(db, selection)
    else:
        found = db.read(
            "paths/shortest",
            **{"from": source, "to": target},
            max_hops=max_hops,
            **selection.params(),
        )
        for path in found:
            path["brokers"] = path["actors"][1:-1]
        if not found:
            check_selection(db, selection)
    found = [{"path": number, **path} for number, path in enumerate(found, start=1)]
    if evidence:
        tie_ids = sorted({t["id"] for p in found for t in p["ties"]})
        by_tie = {row["tie"]: row["evidence"] for row in db.read("evidence/of_ties", ties=tie_ids)}
        for path in found:
            for tie in path["ties"]:
                tie["evidence"] = by_tie.get(tie["id"], [])
    return Paths(
        source=source,
        target=target,
        period=selection.at,
        types=selection.type_list,
        **selection.evidence_params(),
        time_respecting=time_respecting,
        paths=found,
    )


def _hops_between(
    db: Reader,
    source: str,
    target: str,
    selection: Selection,
) -> float:
    """The fewest hops from ``source`` to ``target`` along the selected ties (inf: none)."""
    network = fetch(db, selection)
    following: dict[str, set[str]] = {}
    for a, b in network.arcs:
        following.setdefault(a, set()).add(b)
    frontier, seen, hops = {source}, {source}, 0
    while frontier:
        if target in frontier:
            return hops
        frontier = {b for a in frontier for b in following.get(a, ())} - seen
        seen |= frontier
        hops += 1
    return float("inf")


def _time_respecting(
    db: Reader,
    source: str,
    target: str,
    max_hops: int,
    selection: Selection,
) -> list[dict[str, Any]]:
    network = fetch(db, selection)
    period = selection.period
    edges: list[TemporalEdge] = []
    tie_of_edge = []
    for tie in network.ties:
        ends = [(tie.source, tie.target)] + ([] if tie.directed else [(tie.target, tie.source)])
        for a, b in ends:
            edges.append(TemporalEdge(a, b, tie.start, tie.end))
            tie_of_edge.append(tie)
    reach = earliest_arrivals(
        edges,
        source,
        lo=period.first if period else None,
        hi=period.last if period else None,
    )
    found = reach.get(target)
    if found is None or found.hops > max_hops:
        return []
    ties = [tie_of_edge[i] for i in found.ties]
    return [
        {
            "hops": found.hops,
            "arrival": found.arrival,
            "actors": found.path,
            "names": [network.names.get(a) for a in found.path],
            "brokers": found.path[1:-1],
            "ties": [{"id": t.id, "type": t.type, "start": t.start, "end": t.end} for t in ties],
        }
    ]
