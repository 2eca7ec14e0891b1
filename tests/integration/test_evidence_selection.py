"""Every query that selects ties by evidence applies kb's one rule,
`kb.analyses.selection.Selection.selects`.

The rule is written once in Python and once in Cypher, in the fragment
kb/cypher/_fragments/selected.cypher that every such query splices in (``@selected(t)``; the
first test checks that none writes its own). This test stores ties with every kind of
evidence list (none, an id with no evidence item behind it, one item, two of one kind,
"other" with a kind, two and three kinds, repeated ids), asks each query for several
selections and compares what it selects with what the Python rule selects on coverage
computed here from the raw graph (with ``coders``, of their items only). A query that
takes ``$min_evidence`` / ``$triangulated`` / ``$coders`` without an entry in ``SELECTED``
fails the test, as tests/integration/test_time_selection.py does for time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kb import queries
from kb.analyses.selection import ALL_TIES, Coverage, Selection
from kb.graph import KnowledgeBase
from kb.imports import Dataset

pytestmark = pytest.mark.neo4j

# Evidence items: id -> kind, and their coders (x1 has none; "ann" is Ann in another case).
ITEMS = {
    "i1": "interview",
    "i2": "interview",
    "o1": "observation",
    "d1": "document",
    "x1": "other",
    "x2": "other",
}
CODERS = {"i1": "Ann", "i2": "Bob", "o1": "ann", "d1": "Bob", "x2": "Ann"}
# Evidence lists of ties; "ghost" names no evidence item (added after the import, which
# refuses unknown ids) and must not count.
LISTS: list[list[str]] = [
    [],
    ["ghost"],
    ["i1"],
    ["x1"],
    ["i1", "i2"],
    ["x1", "x2", "i1"],
    ["i1", "o1"],
    ["i1", "ghost", "d1"],
    ["o1", "x1"],
    ["i1", "o1", "d1"],
    ["i1", "i2", "o1", "x1"],
]
SELECTIONS = [
    Selection(),
    Selection(min_evidence=1),
    Selection(min_evidence=2),
    Selection(min_evidence=3),
    Selection(min_evidence=4),
    Selection(triangulated=True),
    Selection(min_evidence=3, triangulated=True),
    Selection(coders=("Ann",)),
    Selection(coders=("BOB",)),
    Selection(coders=("Ann",), min_evidence=2),
    Selection(coders=("ann",), triangulated=True),
    Selection(coders=("Ann", "Bob"), min_evidence=3),
]
ORIGIN = date(2015, 12, 31)  # the eve of the reform r (2016-01-01)

Selected = Callable[[KnowledgeBase, dict[str, Any]], set[str]]


def case() -> dict[str, list[dict[str, Any]]]:
    def evidence(items: list[str]) -> str:
        return ";".join(i for i in items if i != "ghost")

    ties: list[dict[str, Any]] = []
    for k, items in enumerate(LISTS):
        # x -> b (paths, why), a_k -> x (brokerage pairs), x -> o ending after the reform
        ties.append({"id": f"t{k}", "source": "x", "target": "b", "type": f"T{k}"})
        ties.append({"id": f"p{k}", "source": f"a{k}", "target": "x", "type": "PRE"})
        ties.append({"id": f"r{k}", "source": "x", "target": "o", "type": "R", "end": "2016-03"})
        for tie in ties[-3:]:
            tie["evidence"] = evidence(items)
    return {
        "actors": [
            {"id": i, "name": i, "sector": "s"}
            for i in ["x", "b", *(f"a{k}" for k in range(len(LISTS)))]
        ],
        "organizations": [{"id": "o", "name": "O", "sector": "s"}],
        "evidence": [
            {"id": i, "kind": kind, "quote": i, "coder": CODERS.get(i)} for i, kind in ITEMS.items()
        ],
        "ties": ties,
        "reforms": [{"id": "r", "name": "R", "date": "2016-01-01"}],
        "reform_effects": [{"reform": "r", "organization": "o", "effect": "restructured"}],
    }


def load(kb: KnowledgeBase) -> None:
    kb.import_data(Dataset.from_records(case(), "evidence-lists"))
    kb.driver.execute_query(
        "UNWIND $ghosts AS id MATCH ()-[t:TIE {id: id}]->() SET t.evidence = t.evidence + 'ghost'",
        ghosts=[f"{p}{k}" for k, items in enumerate(LISTS) if "ghost" in items for p in "tpr"],
    )


def network_ties(kb: KnowledgeBase, selection: dict[str, Any]) -> set[str]:
    row = kb.read_one("network/ties", weight=None, **selection)
    return set(row["ids"])


def relationships(kb: KnowledgeBase, selection: dict[str, Any]) -> set[str]:
    return {r["id"] for r in kb.read("export/relationships", rel_type="TIE", **selection)}


def shortest(kb: KnowledgeBase, selection: dict[str, Any]) -> set[str]:
    rows = kb.read("paths/shortest", **{"from": "x", "to": "b"}, max_hops=1, **selection)
    return {t["id"] for r in rows for t in r["ties"]}


def pairs_of_broker(kb: KnowledgeBase, selection: dict[str, Any]) -> set[str]:
    # x brokers (a_k, b) exactly when p_k (a_k -> x) and some x -> b tie are selected; the
    # best-evidenced t_k passes every selection whenever p_k does.
    rows = kb.read("brokerage/pairs_of_broker", broker="x", **selection)
    return {f"p{r['a'].removeprefix('a')}" for r in rows if r["c"] == "b"}


def broken_ties(kb: KnowledgeBase, selection: dict[str, Any]) -> set[str]:
    return {r["tie"] for r in kb.read("reforms/broken_ties", reform="r", **selection)}


def ties_at_risk(kb: KnowledgeBase, selection: dict[str, Any]) -> set[str]:
    rows = kb.read("reforms/ties_at_risk", reform="r", origin=ORIGIN, group_by=None, **selection)
    return {r["tie"] for r in rows}


def selected_ties(kb: KnowledgeBase, selection: dict[str, Any]) -> set[str]:
    """The check query counts: compare its count (as a set of placeholders) instead."""
    count = kb.read_one("evidence/selected_ties", **selection)["selected"]
    return {f"#{n}" for n in range(count)}


def coverage(kb: KnowledgeBase, selection: dict[str, Any]) -> set[str]:
    return {r["tie"] for r in kb.read("evidence/coverage", **selection)}


SELECTED: dict[str, tuple[Selected, str]] = {
    "network/ties": (network_ties, "t p r"),
    "export/relationships": (relationships, "t p r"),
    "paths/shortest": (shortest, "t"),
    "brokerage/pairs_of_broker": (pairs_of_broker, "p"),
    "reforms/broken_ties": (broken_ties, "r"),
    "reforms/ties_at_risk": (ties_at_risk, "t p r"),
    "evidence/selected_ties": (selected_ties, "count"),
    "evidence/coverage": (coverage, "t p r"),
}


def coverage_from_graph(kb: KnowledgeBase, selection: Selection = ALL_TIES) -> dict[str, Coverage]:
    """Each tie's coverage, from the stored evidence lists and items (not kb's queries), by
    the items ``selection`` counts (its coders')."""
    kinds = {
        r["id"]: r["kind"]
        for r in kb.driver.execute_query(
            "MATCH (e:Evidence) RETURN e.id AS id, e.kind AS kind, e.coder AS coder"
        ).records
        if selection.codes(r["coder"])
    }
    ties = kb.driver.execute_query(
        "MATCH ()-[t:TIE]->() RETURN t.id AS id, coalesce(t.evidence, []) AS evidence"
    ).records
    coverage = {}
    for tie in ties:
        items = {i for i in tie["evidence"] if i in kinds}
        coverage[tie["id"]] = Coverage(len(items), frozenset(kinds[i] for i in items))
    return coverage


def expected(coverage: dict[str, Coverage], what: str, selection: Selection) -> set[str]:
    """What `Selection.selects` keeps among the ties the query looks at."""
    kept = {tie for tie, cover in coverage.items() if selection.selects(cover)}
    if what == "count":
        return {f"#{n}" for n in range(len(kept))}
    return {tie for tie in kept if tie[0] in what.split()}


def test_every_evidence_selecting_query_is_covered() -> None:
    names = {"min_evidence", "triangulated", "coders"}
    taking = {n for n, q in queries.load_all().items() if names & set(q.params)}
    assert taking == set(SELECTED), "add the query to SELECTED"
    for name in taking:
        params = queries.get(name).params
        assert names <= set(params), f"{name} must take $min_evidence, $triangulated, $coders"
        assert params["min_evidence"].default == "0" and params["triangulated"].default == "false"
        assert params["coders"].default == "null"
        own = (queries._root() / f"{name}.cypher").read_text("utf-8")
        assert "@selected(" in own and "$min_evidence" not in own.split("mode:")[1], (
            f"{name} must select ties with @selected, not a copy of its predicate"
        )


def test_the_case_covers_every_rule_branch(kb: KnowledgeBase) -> None:
    load(kb)
    coverage = coverage_from_graph(kb)
    assert coverage == {
        t["tie"]: Coverage(t["evidence_count"], frozenset(t["kinds"]))
        for t in kb.evidence_coverage()["ties"]
    }, "kb evidence coverage reads the evidence as this test does"
    for selection in SELECTIONS[1:]:
        kept = {t for t, c in coverage_from_graph(kb, selection).items() if selection.selects(c)}
        assert kept and kept != set(coverage), selection  # each one keeps some, drops some


@pytest.mark.parametrize("name", sorted(SELECTED))
def test_query_selects_what_the_python_rule_selects(kb: KnowledgeBase, name: str) -> None:
    load(kb)
    coverage = coverage_from_graph(kb)
    selected, what = SELECTED[name]
    for selection in SELECTIONS:
        found = selected(kb, selection.params())
        counted = coverage_from_graph(kb, selection)
        assert found == expected(counted, what, selection), (name, selection)
    # a null parameter (kb query run -p min_evidence=null) switches that filter off
    off = selected(kb, {"min_evidence": None, "triangulated": None})
    assert off == expected(coverage, what, Selection()), name
