"""Consensus on problems: positions over time and co-attendance where problems were discussed."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from kb.analyses.network import case_periods, check_attribute
from kb.analyses.vocabulary import check_group_by
from kb.periods import Period, time_params
from kb.results import Rows
from kb.store import Reader


class Consensus(Rows):
    """`consensus`'s answer (``kb consensus``): one record per problem and period."""


def consensus(db: Reader, *, by: str | None = None, group_by: str | None = "sector") -> Consensus:
    """Per problem (and period): actors with positions, stance counts, share agreeing
    and its change, and co-attendance at meetings where the problem was discussed.

    An actor's stance in a period is their latest position dated up to the period's end
    (undated positions hold throughout).
    """
    check_attribute(group_by)
    check_group_by(db, group_by)
    positions = db.read("consensus/positions", group_by=group_by)
    periods: list[Period | None] = list(case_periods(db, by)) if by else [None]
    rows: list[dict[str, Any]] = []
    statements = {p["problem"]: p["statement"] for p in positions}
    by_problem: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for position in positions:
        by_problem[position["problem"]].append(position)
    for period in periods:
        meetings = db.read("consensus/co_attendance", **time_params(period))
        co_attendance = _co_attendance(meetings)
        for problem in sorted(by_problem):
            stances = _latest_stances(by_problem[problem], period)
            counts = Counter(stances.values())
            n = len(stances)
            meetings_count, pairs = co_attendance.get(problem, (0, 0))
            rows.append(
                {
                    "problem": problem,
                    "statement": statements[problem],
                    "period": period.label if period else None,
                    "actors": n,
                    "agree": counts["agree"],
                    "disagree": counts["disagree"],
                    "neutral": counts["neutral"],
                    "share_agree": counts["agree"] / n if n else None,
                    "meetings": meetings_count,
                    "co_attending_pairs": pairs,
                }
            )
    _add_changes(rows)
    return Consensus(tuple(rows))


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
