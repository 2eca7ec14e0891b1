"""The case's analyses, as KnowledgeBase methods returning plain data.

Each analysis selects ties by type and time the same way: without ``at`` every tie counts
whatever its spell (the aggregated network); with ``at`` only ties whose spell overlaps that
(partial) date; ``by`` repeats the analysis per stage, year or quarter. Definitions and
citations: docs/analyses.md.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any, TypeVar

import igraph
import numpy as np

from kb import analysis
from kb.errors import NotFoundError, ValidationError
from kb.network import Network, Tie, check_attribute, fetch, parse_types
from kb.periods import Period, parse_at, split

T = TypeVar("T")
_WINDOW = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)


def parse_window(window: str) -> str:
    """``12m`` / ``1y`` / ``90d`` / ``6w`` -> an ISO-8601 duration (``P12M``)."""
    match = _WINDOW.match(window)
    if not match:
        raise ValidationError(f"--window {window!r}: expected a number and d, w, m or y (12m).")
    number, unit = match.groups()
    return f"P{number}{unit.upper()}"


def add_window(day: date, window: str) -> date:
    """``day`` plus a window such as ``12m`` (month ends clamp: Jan 31 + 1m = Feb 28/29)."""
    number, unit = _WINDOW.match(window).groups()  # type: ignore[union-attr]
    n = int(number)
    if unit.lower() == "d":
        return day + timedelta(days=n)
    if unit.lower() == "w":
        return day + timedelta(weeks=n)
    months = n * (12 if unit.lower() == "y" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    target_year, target_month = day.year + year, month + 1
    for day_of_month in range(day.day, 27, -1):
        try:
            return date(target_year, target_month, day_of_month)
        except ValueError:
            continue
    return date(target_year, target_month, min(day.day, 28))


MAX_HOPS = 100
MAX_CYPHER_HOPS = 12  # the longest pattern paths/shortest searches


def check_hops(max_hops: int, most: int = MAX_HOPS) -> int:
    """``--max-hops`` between 1 and ``most``."""
    if not 1 <= max_hops <= most:
        raise ValidationError(f"--max-hops {max_hops}: give a number from 1 to {most}.")
    return max_hops


def active(tie: Tie, period: Period | None) -> bool:
    """Whether a tie's spell overlaps a period (always, without one)."""
    if period is None:
        return True
    starts_in_time = tie.start is None or period.last is None or tie.start <= period.last
    ends_in_time = tie.end is None or period.first is None or tie.end >= period.first
    return starts_in_time and ends_in_time


def restrict(network: Network, period: Period | None) -> Network:
    """The same actors with only the ties active in ``period``."""
    return Network(
        nodes=network.nodes,
        names=network.names,
        groups=network.groups,
        ties=[t for t in network.ties if active(t, period)],
    )


def _period_label(period: Period | None) -> str | None:
    return period.label if period else None


def _directed_graph(network: Network) -> tuple[igraph.Graph, dict[str, int]]:
    index = {node: i for i, node in enumerate(network.nodes)}
    arcs = {(index[s], index[t]) for s, t in network.arcs if s != t}
    graph = igraph.Graph(n=len(network.nodes), edges=sorted(arcs), directed=True)
    return graph, index


class Analyses:
    """Analysis methods of :class:`kb.graph.KnowledgeBase`, which provides these three."""

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    def actor(self, actor: str) -> dict[str, Any]:
        raise NotImplementedError

    def cached(self, parts: list[Any], compute: Callable[[], T]) -> T:
        raise NotImplementedError

    # -- shared selection ----------------------------------------------------------------
    def periods(self, by: str, *, types: list[str] | None = None) -> list[Period]:
        """The periods of ``by``: the case's stages, or the years / quarters with dated ties."""
        stages = self.read("network/stages") if by == "stage" else []
        for stage in stages:
            stage["first"] = _native(stage["first"])
            stage["last"] = _native(stage["last"])
        span = self.read("network/date_range", types=types)[0] if by != "stage" else {}
        return split(
            by,
            stages=stages,
            first=_native(span.get("first")),
            last=_native(span.get("last")),
        )

    # -- brokerage -----------------------------------------------------------------------
    def brokerage(
        self,
        *,
        group_by: str = "sector",
        types: str | list[str] | None = None,
        at: str | Period | None = None,
    ) -> dict[str, Any]:
        """Gould & Fernandez brokerage roles with sna's expected values and z-scores.

        Returns:
            ``{"at", "group_by", "types", "network": {role: {raw, expected, sd, z}},
            "actors": [{"id", "name", "group", "roles": {role: {...}}}]}``, actors sorted
            by total brokerage.
        """
        period = parse_at(at)
        network = fetch(self, types=parse_types(types), period=period, group_by=group_by)
        return _brokerage_result(network, group_by, parse_types(types), _period_label(period))

    def brokerage_by(
        self,
        *,
        by: str,
        group_by: str = "sector",
        types: str | list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """``brokerage`` for each stage, year or quarter."""
        chosen = parse_types(types)
        network = fetch(self, types=chosen, group_by=group_by)
        return [
            _brokerage_result(restrict(network, period), group_by, chosen, period.label)
            for period in self.periods(by, types=chosen)
        ]

    # -- centrality ----------------------------------------------------------------------
    def centrality(
        self,
        *,
        types: str | list[str] | None = None,
        at: str | None = None,
        weight: str | None = None,
    ) -> dict[str, Any]:
        """Degree, betweenness (raw, directed; and normalised) and Burt's constraint and
        effective size (weighted by the tie property ``weight`` when given).

        Returns:
            ``{"at", "types", "weight", "actors": [{"id", "name", "degree", "in_degree",
            "out_degree", "betweenness", "betweenness_normalized", "constraint",
            "effective_size"}]}`` sorted by betweenness.
        """
        period = parse_at(at)
        network = fetch(self, types=parse_types(types), period=period, weight=weight)
        scores = analysis.centrality(network.nodes, network.arcs)
        holes = analysis.structural_holes(
            network.nodes, network.arcs, weights=network.weights() if weight else None
        )
        actors = [
            {
                "id": node,
                "name": network.names.get(node),
                **asdict(scores[node]),
                **asdict(holes[node]),
            }
            for node in network.nodes
        ]
        actors.sort(key=lambda a: (-a["betweenness"], -a["degree"], a["id"]))
        return {
            "at": _period_label(period),
            "types": parse_types(types),
            "weight": weight,
            "actors": actors,
        }

    # -- evolution -----------------------------------------------------------------------
    def evolution(
        self,
        *,
        by: str = "stage",
        group_by: str | None = "sector",
        types: str | list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Per period: actors, ties, density, components, ties within and between groups,
        E-I index, and ties formed and dissolved since the previous period."""
        chosen = parse_types(types)
        network = fetch(self, types=chosen, group_by=group_by)
        rows: list[dict[str, Any]] = []
        previous: set[tuple[str, str]] | None = None
        for period in self.periods(by, types=chosen):
            snapshot = restrict(network, period)
            metrics = analysis.snapshot_metrics(
                snapshot.nodes, snapshot.arcs, groups=snapshot.groups if group_by else None
            )
            pairs = analysis.unordered_pairs(snapshot.arcs)
            formed, dissolved = (
                (None, None) if previous is None else analysis.formed_dissolved(previous, pairs)
            )
            rows.append(
                {
                    "period": period.label,
                    "first": period.first,
                    "last": period.last,
                    **metrics,
                    "formed": None if formed is None else len(formed),
                    "dissolved": None if dissolved is None else len(dissolved),
                }
            )
            previous = pairs
        return rows

    # -- paths and legitimacy ------------------------------------------------------------
    def paths(
        self,
        source: str,
        target: str,
        *,
        at: str | None = None,
        between: tuple[str, str] | None = None,
        max_hops: int = 6,
        time_respecting: bool = False,
        types: str | list[str] | None = None,
        evidence: bool = False,
    ) -> dict[str, Any]:
        """Shortest paths from ``source`` to ``target`` (following tie direction).

        Without ``time_respecting``: all shortest paths among the ties active at ``at`` (or
        overlapping ``between``, or all ties). With it: the earliest-arriving path over the
        period ``between`` (or all time), where each next tie starts no earlier than the
        previous one was used and is active when used.
        """
        check_hops(max_hops, MAX_HOPS if time_respecting else MAX_CYPHER_HOPS)
        for actor in (source, target):
            self.actor(actor)
        if at and between:
            raise ValidationError("Give --at or --between, not both.")
        period = _between(between) if between else parse_at(at)
        chosen = parse_types(types)
        if time_respecting:
            found = self._time_respecting(source, target, chosen, period, max_hops)
        else:
            time = period.params() if period else {"at_first": None, "at_last": None}
            found = self.read(
                "paths/shortest",
                **{"from": source, "to": target},
                types=chosen,
                max_hops=max_hops,
                **time,
            )
            for path in found:
                path["brokers"] = path["actors"][1:-1]
        if evidence:
            tie_ids = sorted({t["id"] for p in found for t in p["ties"]})
            by_tie = {
                row["tie"]: row["evidence"] for row in self.read("evidence/of_ties", ties=tie_ids)
            }
            for path in found:
                for tie in path["ties"]:
                    tie["evidence"] = by_tie.get(tie["id"], [])
        return {
            "from": source,
            "to": target,
            "period": _period_label(period),
            "time_respecting": time_respecting,
            "paths": found,
        }

    def _time_respecting(
        self,
        source: str,
        target: str,
        types: list[str] | None,
        period: Period | None,
        max_hops: int,
    ) -> list[dict[str, Any]]:
        network = fetch(self, types=types, period=period)
        edges: list[analysis.TemporalEdge] = []
        tie_of_edge: list[Tie] = []
        for tie in network.ties:
            ends = [(tie.source, tie.target)] + ([] if tie.directed else [(tie.target, tie.source)])
            for a, b in ends:
                edges.append(analysis.TemporalEdge(a, b, tie.start, tie.end))
                tie_of_edge.append(tie)
        reach = analysis.earliest_arrivals(
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
                "ties": [
                    {"id": t.id, "type": t.type, "start": t.start, "end": t.end} for t in ties
                ],
            }
        ]

    def legitimacy(
        self,
        *,
        from_group: str,
        to_group: str,
        group_by: str = "sector",
        by: str | None = None,
        at: str | None = None,
        types: str | list[str] | None = None,
        max_hops: int = 6,
        brokers: int | None = 10,
    ) -> list[dict[str, Any]]:
        """How actors of ``from_group`` reach actors of ``to_group``, per source and period.

        For each source actor (and period): the target-group actors it reaches along ties
        (following direction; ``targets`` nearest first), in how many hops, and the brokers
        on its shortest paths: the actors on some shortest path to a reached target
        (``brokers_total`` of them), the ``brokers`` with the highest dependency listed (all
        with None) with that dependency (how many of the reached targets the source's
        shortest paths route through them; equal paths share a target). ``has_ties`` says
        whether the source has any selected tie in the period, so shares can be taken over
        the sources present then.
        """
        check_hops(max_hops)
        if brokers is not None and brokers < 0:
            raise ValidationError("brokers: give how many to list (0 or more), or None for all.")
        check_attribute(group_by)
        if by and at:
            raise ValidationError("Give --by or --at, not both.")
        chosen = parse_types(types)
        network = fetch(self, types=chosen, group_by=group_by)
        periods: list[Period | None] = (
            list(self.periods(by, types=chosen)) if by else [parse_at(at)]
        )
        sources = [n for n in network.nodes if network.groups[n] == from_group]
        targets = [n for n in network.nodes if network.groups[n] == to_group]
        if not sources or not targets:
            known = sorted(set(network.groups.values()))
            raise ValidationError(
                f"No actors with {group_by} = {from_group if not sources else to_group!r}; "
                f"{group_by} values are: {', '.join(known)}."
            )
        rows: list[dict[str, Any]] = []
        for period in periods:
            snapshot = restrict(network, period)
            label = _period_label(period)
            rows += _reach(snapshot, sources, targets, max_hops, label, brokers)
        return rows

    def reach(
        self,
        source: str,
        *,
        to_group: str,
        group_by: str = "sector",
        at: str | None = None,
        types: str | list[str] | None = None,
        max_hops: int = 6,
    ) -> list[dict[str, Any]]:
        """Single-source legitimacy: the ``to_group`` actors ``source`` reaches, nearest first,
        each with the hop count and one shortest path (actors and tie ids).

        A breadth-first search on the selected network in arrays (``kb.analysis.reach``).
        Fetching that network is most of the cost, so with a result cache it is fetched
        once and reused until the database changes (``KnowledgeBase.cached``).
        """
        check_attribute(group_by)
        check_hops(max_hops)
        period = parse_at(at)
        chosen = parse_types(types)
        table = self.cached(
            ["reach/arc-table", chosen, group_by, period.params() if period else None],
            lambda: _arc_table(fetch(self, types=chosen, period=period, group_by=group_by)),
        )
        try:
            start = table.actors.index(source)
        except ValueError:
            self.actor(source)  # raises NotFoundError with kb's usual message
            raise
        found = analysis.breadth_first(table, start, max_hops)
        rows = []
        for i in found.order:
            if table.groups[i] != to_group:
                continue
            actors, ties = found.path(table, i)
            rows.append(
                {
                    "target": table.actors[i],
                    "target_name": table.names[i],
                    "hops": int(found.hops[i]),
                    "actors": actors,
                    "ties": ties,
                }
            )
        return rows

    # -- reforms -------------------------------------------------------------------------
    def reforms(self) -> list[dict[str, Any]]:
        """The reforms of the case with the organizations each affected."""
        return self.read("reforms/list")

    def _reform(self, reform: str) -> dict[str, Any]:
        rows = self.read("reforms/get", reform=reform)
        if not rows:
            raise NotFoundError(f"No reform with id {reform!r}. See: kb reforms list")
        if rows[0]["first"] is None:
            raise ValidationError(f"Reform {reform} has no date.")
        return rows[0]

    def broken_ties(
        self,
        *,
        reform: str,
        window: str = "12m",
        types: str | list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Ties active on the reform date that ended within ``window`` after it, touching an
        organization the reform affected (directly or through a member), with evidence."""
        self._reform(reform)
        rows = self.read(
            "reforms/broken_ties",
            reform=reform,
            window=parse_window(window),
            types=parse_types(types),
        )
        merged: dict[str, dict[str, Any]] = {}
        for row in rows:
            tie = merged.setdefault(row["tie"], {**row, "effects": []})
            effect = {
                k: row[k] for k in ("organization", "effect", "successor", "effect_date", "via")
            }
            tie["effects"].append(effect)
        for tie in merged.values():
            for key in ("organization", "effect", "successor", "effect_date", "via"):
                tie.pop(key)
        return list(merged.values())

    def brokerage_change(
        self,
        *,
        reform: str,
        group_by: str = "sector",
        before: str | None = None,
        after: str | None = None,
        window: str = "12m",
        types: str | list[str] | None = None,
    ) -> dict[str, Any]:
        """Brokerage opportunities kept, lost and gained between two dates around a reform.

        Defaults: ``before`` is the day before the reform, ``after`` the end of ``window``.
        An opportunity is an ordered pair (a, c) an actor b brokers (a->b->c, no a->c).
        """
        found = self._reform(reform)
        day = _native(found["first"])
        parse_window(window)
        before_period = parse_at(before) or Period(
            str(day - timedelta(days=1)), day - timedelta(days=1), day - timedelta(days=1)
        )
        end = add_window(day, window)
        after_period = parse_at(after) or Period(str(end), end, end)
        chosen = parse_types(types)
        network = fetch(self, types=chosen, group_by=group_by)
        open_before = _pairs_by_broker(restrict(network, before_period))
        open_after = _pairs_by_broker(restrict(network, after_period))
        actors: list[dict[str, Any]] = []
        for node in network.nodes:
            was, now = open_before.get(node, set()), open_after.get(node, set())
            if not was and not now:
                continue
            roles_lost = Counter(_role(network, a, node, c) for a, c in was - now)
            roles_gained = Counter(_role(network, a, node, c) for a, c in now - was)
            actors.append(
                {
                    "id": node,
                    "name": network.names.get(node),
                    "group": network.groups[node],
                    "before": len(was),
                    "after": len(now),
                    "kept": len(was & now),
                    "lost": len(was - now),
                    "gained": len(now - was),
                    "lost_by_role": dict(sorted(roles_lost.items())),
                    "gained_by_role": dict(sorted(roles_gained.items())),
                }
            )
        actors.sort(key=lambda a: (-a["lost"], -a["before"], a["id"]))
        return {
            "reform": reform,
            "reform_date": found["date"],
            "group_by": group_by,
            "before": before_period.label,
            "after": after_period.label,
            "actors": actors,
        }

    # -- consensus -----------------------------------------------------------------------
    def consensus(
        self, *, by: str | None = None, group_by: str | None = "sector"
    ) -> list[dict[str, Any]]:
        """Per problem (and period): actors with positions, stance counts, share agreeing
        and its change, and co-attendance at meetings where the problem was discussed.

        An actor's stance in a period is their latest position dated up to the period's end
        (undated positions hold throughout).
        """
        check_attribute(group_by)
        positions = self.read("consensus/positions", group_by=group_by)
        periods: list[Period | None] = list(self.periods(by)) if by else [None]
        rows: list[dict[str, Any]] = []
        statements = {p["problem"]: p["statement"] for p in positions}
        by_problem: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for position in positions:
            position["first"] = _native(position["first"])
            by_problem[position["problem"]].append(position)
        for period in periods:
            meetings = self.read(
                "consensus/co_attendance",
                **(period.params() if period else {"at_first": None, "at_last": None}),
            )
            co_attendance = _co_attendance(meetings)
            for problem in sorted(by_problem):
                stances = _latest_stances(by_problem[problem], period)
                counts = Counter(stances.values())
                n = len(stances)
                share = counts["agree"] / n if n else None
                meetings_count, pairs = co_attendance.get(problem, (0, 0))
                rows.append(
                    {
                        "problem": problem,
                        "statement": statements[problem],
                        "period": _period_label(period),
                        "actors": n,
                        "agree": counts["agree"],
                        "disagree": counts["disagree"],
                        "neutral": counts["neutral"],
                        "share_agree": share,
                        "meetings": meetings_count,
                        "co_attending_pairs": pairs,
                    }
                )
        _add_changes(rows)
        return rows


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _between(between: tuple[str, str]) -> Period:
    first, last = (parse_at(v, option="--between") for v in between)
    assert first is not None and last is not None
    if last.last is not None and first.first is not None and last.last < first.first:
        raise ValidationError(f"--between {between[0]} {between[1]}: the end is before the start.")
    return Period(f"{first.label}..{last.label}", first.first, last.last)


def _brokerage_result(
    network: Network, group_by: str, types: list[str] | None, at: str | None
) -> dict[str, Any]:
    result = analysis.brokerage(network.nodes, network.arcs, groups=network.groups)
    actors: list[dict[str, Any]] = [
        {
            "id": node,
            "name": network.names.get(node),
            "group": network.groups[node],
            "roles": {role: asdict(stats) for role, stats in result.actors[node].items()},
        }
        for node in network.nodes
    ]
    actors.sort(key=lambda a: (-a["roles"]["total"]["raw"], a["id"]))
    return {
        "at": at,
        "group_by": group_by,
        "types": types,
        "network": {role: asdict(stats) for role, stats in result.network.items()},
        "actors": actors,
    }


def _pairs_by_broker(network: Network) -> dict[str, set[tuple[str, str]]]:
    by_broker: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for a, b, c in analysis.brokerage_pairs(network.nodes, network.arcs):
        by_broker[b].add((a, c))
    return by_broker


def _role(network: Network, a: str, b: str, c: str) -> str:
    from kb.analysis.brokerage import role_of

    return role_of(network.groups[a], network.groups[b], network.groups[c])


def _reach(
    network: Network,
    sources: list[str],
    targets: list[str],
    max_hops: int,
    period: str | None,
    top: int | None,
) -> list[dict[str, Any]]:
    graph, index = _directed_graph(network)
    with_ties = {t.source for t in network.ties} | {t.target for t in network.ties}
    edges = np.array(graph.get_edgelist(), dtype=np.intp).reshape(-1, 2)
    tails, heads = edges[:, 0].copy(), edges[:, 1].copy()
    nodes = network.nodes
    ids = np.array(nodes, dtype=object)
    is_target = np.zeros(len(nodes), dtype=bool)
    is_target[[index[t] for t in targets]] = True
    # Python's order of ids breaks ties in hops and dependency, as sorted() would.
    rank = np.empty(len(nodes), dtype=np.int64)
    rank[sorted(range(len(nodes)), key=nodes.__getitem__)] = np.arange(len(nodes))
    rows = []
    searched: list[tuple[dict[str, Any], int]] = []
    for source in sources:
        row: dict[str, Any] = {
            "period": period, "source": source, "name": network.names.get(source),
            "has_ties": source in with_ties, "reached": 0, "targets": [],
            "min_hops": None, "mean_hops": None, "brokers_total": 0, "brokers": [],
        }  # fmt: skip
        rows.append(row)
        if row["has_ties"]:  # a source without ties reaches no one: spare the search
            searched.append((row, index[source]))
    for row, s, distances in _distances_from(graph, searched):
        # hops as small integers, max_hops + 1 standing for "further or never"
        hops = np.minimum(distances, max_hops + 1).astype(np.int16)
        reached_mask = is_target & (hops > 0) & (hops <= max_hops)
        reached = np.flatnonzero(reached_mask)
        if not reached.size:
            continue
        depth = hops[reached].astype(np.int64)
        row["reached"] = int(reached.size)
        row["targets"] = ids[reached[np.lexsort((rank[reached], depth))]].tolist()
        row["min_hops"] = int(depth.min())
        row["mean_hops"] = float(depth.mean())
        # rounded, so that equal dependencies summed in different orders tie exactly
        dependency = _target_dependency(tails, heads, hops, s, reached_mask, max_hops)
        dependency = np.round(dependency, 6)
        brokers = np.flatnonzero(dependency > 0)
        row["brokers_total"] = int(brokers.size)
        if top is not None and brokers.size > top:
            # keep the top values and everything tied with the last of them, then sort
            cut = np.partition(dependency[brokers], brokers.size - top)[brokers.size - top]
            brokers = brokers[dependency[brokers] >= cut]
        brokers = brokers[np.lexsort((rank[brokers], -dependency[brokers]))][:top]
        row["brokers"] = [
            {"id": nodes[i], "name": network.names.get(nodes[i]),
             "dependency": float(dependency[i])}
            for i in brokers
        ]  # fmt: skip
    return rows


def _distances_from(
    graph: igraph.Graph, searched: list[tuple[dict[str, Any], int]], chunk: int = 128
) -> Iterator[tuple[dict[str, Any], int, np.ndarray[Any, Any]]]:
    """``(row, source, distances to every actor)`` for each searched source; igraph
    searches from many sources in one call for much less overhead than one call each."""
    for first in range(0, len(searched), chunk):
        part = searched[first : first + chunk]
        matrix = np.array(graph.distances(source=[s for _, s in part], mode="out"), dtype=float)
        for (row, s), distances in zip(part, matrix, strict=True):
            yield row, s, distances


def _target_dependency(
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


def _arc_table(network: Network) -> analysis.ArcTable:
    return analysis.ArcTable.build(
        network.nodes,
        [network.names.get(n) for n in network.nodes],
        [network.groups[n] for n in network.nodes],
        [(t.id, t.source, t.target, t.directed) for t in network.ties],
    )


def _latest_stances(positions: Iterable[dict[str, Any]], period: Period | None) -> dict[str, str]:
    stances: dict[str, str] = {}
    for position in positions:  # sorted by date: later positions replace earlier ones
        first = position["first"]
        if period is None or period.last is None or first is None or first <= period.last:
            stances[position["actor"]] = position["stance"]
    return stances


def _co_attendance(meetings: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    counts: Counter[str] = Counter()
    for meeting in meetings:
        counts[meeting["problem"]] += 1
        people = sorted(set(meeting["attendees"]))
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                pairs[meeting["problem"]].add((a, b))
    return {problem: (counts[problem], len(pairs[problem])) for problem in counts}


def _add_changes(rows: list[dict[str, Any]]) -> None:
    last: dict[str, float | None] = {}
    for row in rows:
        previous = last.get(row["problem"])
        share = row["share_agree"]
        row["change"] = None if previous is None or share is None else share - previous
        last[row["problem"]] = share
