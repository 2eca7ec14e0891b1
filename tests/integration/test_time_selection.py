"""Every query that selects by time applies kb's one rule, `kb.periods.Period.overlaps`.

The rule is written once in Python and once in Cypher, in the fragment
kb/cypher/_fragments/in_period.cypher that tie queries splice in (``@in_period(t)``, or
``@selected(t)``, which holds it); meetings, dated by other properties, have their own copy
in consensus/co_attendance. This test stores ties, memberships and meetings with every kind
of spell (open on either side, partial dates of each precision), asks each query for several
periods and compares what it selects with what the Python rule selects. A query that takes
``$at_first`` / ``$at_last`` without an entry in ``SELECTED`` fails the test.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kb import queries
from kb.graph import KnowledgeBase
from kb.imports import Dataset
from kb.periods import Period, parse_at, time_params
from kb.rows import plain

pytestmark = pytest.mark.neo4j

SPELLS: list[tuple[str | None, str | None]] = [
    (None, None),
    ("2015", None),
    (None, "2015"),
    ("2014-03", "2015-06"),
    ("2015-06-30", "2015-07-01"),
    ("2016", "2016"),
    ("2013-01-01", "2013-12-31"),
    ("2015-04", None),
    (None, "2014-12-31"),
    ("2017-02-28", "2018"),
]
PERIODS = [None, "2015", "2015-06", "2015-06-30", "2013-12-31", "2016-01-01", "2020"]
MEETING_DATES = ["2015", "2015-06", "2015-06-30", "2013-12-31", "2016-05-02", "2018"]

Selected = Callable[[KnowledgeBase, dict[str, Any]], set[str]]


def case() -> dict[str, list[dict[str, Any]]]:
    ties = [
        {"id": f"t{k}", "source": "x", "target": "b", "type": f"T{k}", "start": s, "end": e}
        for k, (s, e) in enumerate(SPELLS)
    ]
    ties += [
        {"id": f"p{k}", "source": f"a{k}", "target": "x", "type": "PRE", "start": s, "end": e}
        for k, (s, e) in enumerate(SPELLS)
    ]
    ties.append({"id": "tb", "source": "b", "target": "c", "type": "ALWAYS"})
    return {
        "actors": [
            {"id": i, "name": i, "sector": "s"}
            for i in ["x", "b", "c", "p", *(f"a{k}" for k in range(len(SPELLS)))]
        ],
        "organizations": [{"id": "o", "name": "O", "sector": "s"}],
        "ties": ties,
        "memberships": [
            {"person": "p", "organization": "o", "role": f"r{k}", "start": s, "end": e}
            for k, (s, e) in enumerate(SPELLS)
        ],
        "meetings": [{"id": f"m{k}", "date": d} for k, d in enumerate(MEETING_DATES)],
        "problems": [{"id": "pb", "statement": "A problem."}],
        "attendance": [{"meeting": f"m{k}", "actor": "x"} for k in range(len(MEETING_DATES))],
    }


def network_ties(kb: KnowledgeBase, time: dict[str, Any]) -> set[str]:
    return set(kb.read_one("network/ties", types=None, weight=None, **time)["ids"])


def relationships(rel_type: str) -> Selected:
    def selected(kb: KnowledgeBase, time: dict[str, Any]) -> set[str]:
        rows = kb.read("export/relationships", rel_type=rel_type, types=None, **time)
        return {r["id"] for r in rows}

    return selected


def why(kb: KnowledgeBase, time: dict[str, Any]) -> set[str]:
    return {r["tie"] for r in kb.read("evidence/why", a="x", b="b", **time)}


def shortest(kb: KnowledgeBase, time: dict[str, Any]) -> set[str]:
    rows = kb.read("paths/shortest", **{"from": "x", "to": "b"}, types=None, max_hops=1, **time)
    return {t["id"] for r in rows for t in r["ties"]}


def pairs_of_broker(kb: KnowledgeBase, time: dict[str, Any]) -> set[str]:
    # x brokers (a_k, b) exactly when the tie a_k -> x (p_k) and a tie x -> b are selected
    rows = kb.read("brokerage/pairs_of_broker", broker="x", types=None, group_by=None, **time)
    return {f"p{r['a'].removeprefix('a')}" for r in rows if r["c"] == "b"}


def co_attendance(kb: KnowledgeBase, time: dict[str, Any]) -> set[str]:
    return {r["meeting"] for r in kb.read("consensus/co_attendance", **time)}


def coverage(kb: KnowledgeBase, time: dict[str, Any]) -> set[str]:
    return {r["tie"] for r in kb.read("evidence/coverage", types=None, **time)}


SELECTED: dict[str, tuple[Selected, str]] = {
    "network/ties": (network_ties, "TIE"),
    "export/relationships": (relationships("TIE"), "TIE"),
    "evidence/why": (why, "TIE x-b"),
    "paths/shortest": (shortest, "TIE x-b"),
    "brokerage/pairs_of_broker": (pairs_of_broker, "TIE a-x"),
    "consensus/co_attendance": (co_attendance, "Meeting"),
    "evidence/coverage": (coverage, "TIE"),
}


def expected(kb: KnowledgeBase, what: str, period: Period | None) -> set[str]:
    """What `Period.overlaps` selects among the stored spells."""
    if what == "Meeting":
        rows = kb.driver.execute_query(
            "MATCH (m:Meeting) RETURN m.id AS id, m.date_first AS first, m.date_last AS last"
        ).records
    else:
        rows = kb.driver.execute_query(
            "MATCH (a)-[t:TIE]->(b) RETURN t.id AS id, a.id AS a, b.id AS b, "
            "t.start_first AS first, t.end_last AS last"
        ).records
        if what == "TIE x-b":
            rows = [r for r in rows if {r["a"], r["b"]} == {"x", "b"}]
        elif what == "TIE a-x":
            rows = [r for r in rows if r["b"] == "x"]
    return {
        r["id"]
        for r in rows
        if period is None or period.overlaps(plain(r["first"]), plain(r["last"]))
    }


def test_every_time_selecting_query_is_covered() -> None:
    taking = {n for n, q in queries.load_all().items() if {"at_first", "at_last"} <= set(q.params)}
    assert set(SELECTED) <= taking
    for name in taking - set(SELECTED):
        # checked through the fragment it splices, which the queries of SELECTED splice too
        own = (queries._root() / f"{name}.cypher").read_text("utf-8").split("mode:")[1]
        assert "@selected(" in own or "@in_period(" in own, f"add {name} to SELECTED"
    for name in taking - {"consensus/co_attendance"}:
        own = (queries._root() / f"{name}.cypher").read_text("utf-8").split("mode:")[1]
        assert "$at_first" not in own, f"{name}: select by time with @in_period, not a copy"


@pytest.mark.parametrize("name", sorted(SELECTED))
def test_query_selects_what_the_python_rule_selects(kb: KnowledgeBase, name: str) -> None:
    kb.import_data(Dataset.from_records(case(), "spells"))
    kb.driver.execute_query("MATCH (m:Meeting) SET m.problems = 'pb'")
    selected, what = SELECTED[name]
    for text in PERIODS:
        period = parse_at(text)
        assert selected(kb, time_params(period)) == expected(kb, what, period), (name, text)
    # and an open-ended period: from a day on, with no end
    since = Period("since 2015-07-01", date(2015, 7, 1), None)
    assert selected(kb, time_params(since)) == expected(kb, what, since), name
