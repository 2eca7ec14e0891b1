"""Every analysis over the in-memory reader (tests/memory_reader.py) with the example case,
checked against independent computations: networkx on the same arcs, brute force over the
validated import records, or hand-checked values. No server: runs in `make unit`
(tests/integration/test_memory_reader.py keeps the reader equal to the Cypher)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import networkx as nx
import pytest

from kb.analyses import (
    brokerage,
    case,
    centrality,
    consensus,
    evidence,
    evolution,
    inference,
    legitimacy,
    paths,
    reforms,
    robustness,
    snapshot,
    stages,
    survival,
)
from kb.analyses.network import fetch
from kb.analyses.selection import TRIANGULATED, Selection
from kb.dates import PartialDate
from kb.errors import NotFoundError, ValidationError
from kb.periods import Period, parse_at
from tests.brute_force import brokerage_totals
from tests.memory_reader import MemoryReader

KINDS = {"interview", "observation", "document"}


def _first(value: PartialDate | None) -> date | None:
    return None if value is None else value.first


def _last(value: PartialDate | None) -> date | None:
    return None if value is None else value.last


def _ties(
    raw: dict[str, list[dict[str, Any]]], period: Period | None = None, *, strong: bool = False
) -> list[dict[str, Any]]:
    """Ties of the records whose spell overlaps ``period`` (brute force, by hand)."""
    kinds = {e["id"]: e["kind"] for e in raw["evidence"]}
    kept = []
    for tie in raw["ties"]:
        start, end = _first(tie["start"]), _last(tie["end"])
        if period is not None:
            if period.last is not None and start is not None and start > period.last:
                continue
            if period.first is not None and end is not None and end < period.first:
                continue
        found = {kinds[e] for e in tie["evidence"] or [] if e in kinds}
        if strong and len(found & KINDS) < 2:
            continue
        kept.append(tie)
    return kept


def _digraph(raw: dict[str, list[dict[str, Any]]], ties: list[dict[str, Any]]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(a["id"] for t in ("actors", "organizations") for a in raw[t])
    for tie in ties:
        graph.add_edge(tie["source"], tie["target"])
        if tie["directed"] is False:
            graph.add_edge(tie["target"], tie["source"])
    return graph


def _groups(raw: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    return {
        a["id"]: a.get("sector") or (a.get("extra") or {}).get("sector") or "(none)"
        for t in ("actors", "organizations")
        for a in raw[t]
    }


# -- brokerage -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("at", "strong"), [(None, False), ("2016", False), ("2014-06", False), (None, True)]
)
def test_brokerage_counts_every_role_as_brute_force_does(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]], at: str | None, strong: bool
) -> None:
    result = brokerage.brokerage(db, Selection.build(at=at, triangulated=strong))
    groups = _groups(raw)
    graph = _digraph(raw, _ties(raw, parse_at(at), strong=strong))
    expected = brokerage_totals(graph, groups)
    assert sum(expected.values()) > 0
    for role in ("coordinator", "itinerant", "gatekeeper", "representative", "liaison"):
        assert result["network"][role]["raw"] == expected[role], role
    assert result["network"]["total"]["raw"] == sum(expected.values())
    totals = [a["roles"]["total"]["raw"] for a in result["actors"]]
    assert totals == sorted(totals, reverse=True)
    assert result["triangulated"] is strong


def test_brokerage_by_stage_gives_the_snapshot_of_each_stage(db: MemoryReader) -> None:
    per_stage = brokerage.brokerage_by(db, by="stage")
    assert [r["at"] for r in per_stage] == [s.id for s in stages.stages(db)]
    first = stages.stages(db)[0]
    alone = brokerage.brokerage(db, Selection.build(at=first.period))
    assert per_stage[0]["network"] == alone["network"]
    top = brokerage.top_brokers(per_stage[0], 3)
    assert len(top) == 3


def test_brokerage_with_permutations_tests_each_role(db: MemoryReader) -> None:
    result = brokerage.brokerage(db, Selection.build(at="2016"), permutations=30, seed=1)
    assert result["test"]["draws"] == 30
    again = brokerage.brokerage(db, Selection.build(at="2016"), permutations=30, seed=1)
    assert again["test"] == result["test"]
    with pytest.raises(ValidationError, match="permutations"):
        inference.check_options(-1, "labels")


# -- centrality ----------------------------------------------------------------------------
@pytest.mark.parametrize("at", [None, "2016", "2015-04-01"])
def test_centrality_matches_networkx(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]], at: str | None
) -> None:
    result = centrality.centrality(db, Selection.build(at=at))
    graph = _digraph(raw, _ties(raw, parse_at(at)))
    assert result["mode"] == "directed"
    betweenness = nx.betweenness_centrality(graph, normalized=False)
    undirected = graph.to_undirected()
    for actor in result["actors"]:
        node = actor["id"]
        assert actor["betweenness"] == pytest.approx(betweenness[node]), node
        assert actor["in_degree"] == graph.in_degree(node)
        assert actor["out_degree"] == graph.out_degree(node)
        assert actor["degree"] == undirected.degree(node)
    ranks = [a["betweenness"] for a in result["actors"]]
    assert ranks == sorted(ranks, reverse=True)


def test_centrality_weights_and_modes(db: MemoryReader) -> None:
    weighted = centrality.centrality(db, weight="weight", combine="max", mode="undirected")
    assert weighted["mode"] == "undirected" and weighted["weight"] == "weight"
    with pytest.raises(ValidationError, match="mode="):
        centrality.centrality(db, mode="sideways")
    with pytest.raises(ValidationError, match="weight"):
        centrality.centrality(db, weight="no_such_property")
    tested = centrality.centrality(db, Selection.build(at="2016"), permutations=20, seed=3)
    assert tested["test"]["draws"] == 20


# -- paths ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "target", "at"),
    [
        ("p-kdiallo", "msss", None),
        ("p-kdiallo", "agence-cn", None),
        ("cdc-riviere", "ciusss-cn", None),
        ("p-lsimard", "ciusss-cn", "2016"),
    ],
)
def test_shortest_paths_are_networkx_all_shortest_paths(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]], source: str, target: str, at: str | None
) -> None:
    graph = _digraph(raw, _ties(raw, parse_at(at)))
    expected = (
        sorted(nx.all_shortest_paths(graph, source, target))
        if nx.has_path(graph, source, target)
        else []
    )
    result = paths.paths(db, source, target, Selection.build(at=at), evidence=True)
    got = sorted({tuple(p["actors"]) for p in result["paths"]})
    assert got == sorted({tuple(p) for p in expected})
    for path in result["paths"]:
        assert path["hops"] == len(expected[0]) - 1 <= 6
        assert path["brokers"] == path["actors"][1:-1]
        assert all(isinstance(t["evidence"], list) for t in path["ties"])


def test_time_respecting_paths_and_errors(db: MemoryReader) -> None:
    found = paths.paths(db, "p-kdiallo", "msss", time_respecting=True, max_hops=10)
    for path in found["paths"]:
        starts = [t["start"] for t in path["ties"]]
        assert path["actors"][0] == "p-kdiallo" and path["actors"][-1] == "msss"
        assert len(path["ties"]) == path["hops"]
        assert all(s is None or path["arrival"] is None or s <= path["arrival"] for s in starts)
    with pytest.raises(NotFoundError, match="p-lsimard"):
        paths.paths(db, "p-lsimrd", "msss")
    with pytest.raises(ValidationError, match="not both"):
        Selection.build(at="2016", between=("2015", "2016"))
    with pytest.raises(ValidationError):
        paths.check_hops(0)


# -- legitimacy ----------------------------------------------------------------------------
def test_legitimacy_reach_is_networkx_reach(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    rows = legitimacy.legitimacy(
        db, Selection.build(at="2016"), from_group="community", to_group="public"
    )
    groups = _groups(raw)
    graph = _digraph(raw, _ties(raw, parse_at("2016")))
    public = {n for n, g in groups.items() if g == "public"}
    assert {r["source"] for r in rows} == {n for n, g in groups.items() if g == "community"}
    for row in rows:
        lengths = nx.single_source_shortest_path_length(graph, row["source"], cutoff=6)
        reached = {n: d for n, d in lengths.items() if n in public and n != row["source"]}
        assert set(row["targets"]) == set(reached), row["source"]
        assert row["reached"] == len(reached)
        if reached:
            assert row["min_hops"] == min(reached.values())
            assert row["mean_hops"] == pytest.approx(sum(reached.values()) / len(reached))
        assert row["has_ties"] == (graph.degree(row["source"]) > 0)
    whole = legitimacy.legitimacy(
        db, Selection.build(at="2016"), from_group="community", to_group="public", brokers=None
    )
    summary = legitimacy.legitimacy_summary(whole, targets_total=len(public), top=3)
    assert summary[0]["sources"] == len(rows)
    assert summary[0]["reaching"] == sum(1 for r in rows if r["reached"])


def test_legitimacy_of_one_source_is_cached(db: MemoryReader) -> None:
    before = db.cache_hits
    in_2016 = Selection.build(at="2016")
    one = legitimacy.legitimacy_of_source(db, "p-kdiallo", in_2016, to_group="public")
    again = legitimacy.legitimacy_of_source(db, "p-kdiallo", in_2016, to_group="public")
    assert one == again and db.cache_hits == before + 1
    with pytest.raises(ValidationError, match="not both"):
        legitimacy.legitimacy(db, in_2016, from_group="community", to_group="public", by="stage")


# -- evolution -----------------------------------------------------------------------------
def test_evolution_per_stage_matches_networkx(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    rows = evolution.evolution(db, by="stage")
    previous: set[frozenset[str]] | None = None
    for row, stage in zip(rows, stages.stages(db), strict=True):
        graph = _digraph(raw, _ties(raw, stage.period))
        active = graph.subgraph([n for n in graph if graph.degree(n) > 0])
        pairs = {frozenset(e) for e in graph.to_undirected().edges}
        assert row["period"] == stage.id
        assert row["arcs"] == graph.number_of_edges()
        assert row["pairs"] == len(pairs)
        assert row["actors"] == active.number_of_nodes()
        assert row["components"] == nx.number_weakly_connected_components(active)
        if previous is not None:
            assert row["formed"] == len(pairs - previous)
            assert row["dissolved"] == len(previous - pairs)
        previous = pairs
    by_year = evolution.evolution(db, by="year", group_by=None)
    assert [r["period"] for r in by_year] == [str(y) for y in range(2003, 2019)]
    tested = evolution.evolution(db, by="stage", permutations=10, seed=2)
    assert all("test" in r for r in tested)
    with pytest.raises(ValidationError, match="E-I index need group_by"):
        evolution.evolution(db, group_by=None, permutations=5)


# -- consensus -----------------------------------------------------------------------------
def test_consensus_counts_each_actors_latest_stance(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    rows = consensus.consensus(db)
    latest: dict[str, dict[str, tuple[date | None, str]]] = {}
    for position in raw["positions"]:
        when = _first(position["date"])
        mine = latest.setdefault(position["problem"], {})
        old = mine.get(position["actor"])
        if old is None or (old[0] or date.min) <= (when or date.min):
            mine[position["actor"]] = (when, position["stance"])
    assert [r["problem"] for r in rows] == sorted(latest)
    for row in rows:
        stances = Counter(s for _, s in latest[row["problem"]].values())
        assert row["actors"] == len(latest[row["problem"]])
        assert (row["agree"], row["disagree"], row["neutral"]) == (
            stances["agree"],
            stances["disagree"],
            stances["neutral"],
        )
    by_stage = consensus.consensus(db, by="stage")
    assert len(by_stage) == len(rows) * len(stages.stages(db))


# -- evidence ------------------------------------------------------------------------------
def test_evidence_coverage_counts_the_items_that_exist(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    items = {e["id"]: e for e in raw["evidence"]}
    result = evidence.coverage(db)
    by_tie = {t["tie"]: t for t in result["ties"]}
    assert len(by_tie) == len(raw["ties"])
    for tie in raw["ties"]:
        mine = [items[e] for e in dict.fromkeys(tie["evidence"] or []) if e in items]
        got = by_tie[tie["id"]]
        assert got["evidence_count"] == len(mine)
        assert set(got["kinds"]) == {e["kind"] for e in mine}
        assert got["triangulated"] == (len({e["kind"] for e in mine} & KINDS) >= 2)
    strong = [t for t in raw["ties"] if t["id"] in {x["id"] for x in _ties(raw, strong=True)}]
    assert sum(t["triangulated"] for t in result["ties"]) == len(strong)
    assert result["total"]["triangulated"] == len(strong)
    assert result["total"]["single_item"] == sum(
        1 for t in raw["ties"] if len({e for e in t["evidence"] or [] if e in items}) == 1
    )
    typed = evidence.coverage(db, Selection.build(types="collaboration", at="2016"))
    assert {t["type"] for t in typed["ties"]} == {"COLLABORATION"}
    per_tie = evidence.tie_coverage(db, Selection.build(at="2016"))
    assert {k for k, c in per_tie.items() if c.triangulated} == {
        t["id"] for t in _ties(raw, parse_at("2016"), strong=True)
    }


# -- reforms -------------------------------------------------------------------------------
def test_broken_ties_are_ties_ending_in_the_window_near_affected_organizations(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    reform = next(r for r in raw["reforms"] if r["id"] == "bill-10")
    day = reform["date"].first
    eve, until = date.fromordinal(day.toordinal() - 1), date(2016, 7, 1)  # 15 months on
    affected = {e["organization"] for e in raw["reform_effects"] if e["reform"] == "bill-10"}
    members = {
        m["person"]
        for m in raw["memberships"]
        if m["organization"] in affected
        and (m["start"] is None or m["start"].first <= eve)
        and (m["end"] is None or m["end"].last >= eve)
    }
    expected = {
        t["id"]
        for t in raw["ties"]
        if (t["start"] is None or t["start"].first <= eve)
        and t["end"] is not None
        and eve <= t["end"].last < until
        and {t["source"], t["target"]} & (affected | members)
    }
    found = reforms.broken_ties(db, reform="bill-10", window="15m")
    assert {t["tie"] for t in found} == expected and expected
    assert all(t["effects"] for t in found)
    with pytest.raises(ValidationError, match="bill-10"):
        reforms.get_reform(db, "bill-1O")
    assert [r["id"] for r in reforms.reforms(db)] == [
        r["id"] for r in sorted(raw["reforms"], key=lambda r: r["date"].first)
    ]


def test_brokerage_change_counts_open_two_paths_on_the_eve_and_after(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    change = reforms.brokerage_change(db, reform="bill-10")
    assert (change["before"], change["after"]) == ("2015-03-31", "2016-04-01")

    def opportunities(day: date) -> Counter[str]:
        graph = _digraph(raw, _ties(raw, Period("d", day, day)))
        return Counter(
            {
                b: sum(
                    1
                    for a in graph.predecessors(b)
                    for c in graph.successors(b)
                    if len({a, b, c}) == 3 and not graph.has_edge(a, c)
                )
                for b in graph
            }
        )

    before, after = opportunities(date(2015, 3, 31)), opportunities(date(2016, 4, 1))
    assert change["actors"]
    for actor in change["actors"]:
        assert actor["before"] == before[actor["id"]], actor["id"]
        assert actor["after"] == after[actor["id"]], actor["id"]
        assert actor["kept"] + actor["lost"] == actor["before"]
        assert sum(actor["lost_by_role"].values()) == actor["lost"]


# -- survival ------------------------------------------------------------------------------
def test_follow_up_by_hand() -> None:
    origin, until = date(2015, 3, 31), date(2015, 12, 31)
    censored = survival.FollowUp(276.0, False, 276.0, None)  # Mar 31 is day 1, Dec 31 day 276
    assert survival.follow_up(origin, until, None, None) == censored
    # An end known to the month: May 1 is day 32, May 31 day 62; the midpoint is 47.
    ended = survival.follow_up(origin, until, date(2015, 5, 1), date(2015, 5, 31))
    assert (ended.time, ended.event, ended.lower, ended.upper) == (47.0, True, 32.0, 62.0)
    late = survival.follow_up(origin, until, date(2016, 1, 1), date(2016, 1, 31))
    assert not late.event
    with pytest.raises(ValidationError, match="dates='middle': use one of"):
        survival.check_convention("middle")


def test_survival_follows_every_tie_active_on_the_eve(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    result = survival.tie_survival(db, reform="bill-10", placebo=None)
    eve = date(2015, 3, 31)
    on_eve = _ties(raw, Period("eve", eve, eve))
    reform_ties = [t for t in result["ties"] if t["cohort"] == "reform"]
    assert {t["tie"] for t in reform_ties} == {t["id"] for t in on_eve}
    ended = [t for t in on_eve if t["end"] is not None and t["end"].first <= date(2018, 12, 31)]
    assert sum(t["event"] for t in reform_ties) == len(ended)
    assert result["observed_until"] == date(2018, 12, 31)
    assert survival.observation_end(db)["source"] in ("case", "data")
    for by in ("type", "sector-pair", "stage"):
        assert survival.tie_survival(db, reform="bill-10", by=by, placebo="12m")["cohorts"]


# -- stages, snapshot, robustness, case ----------------------------------------------------
def test_stages_are_the_records_in_time_order(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    expected = sorted(raw["stages"], key=lambda s: s["start"].first)
    found = stages.stages(db)
    assert [s.id for s in found] == [s["id"] for s in expected]
    for stage, record in zip(found, expected, strict=True):
        assert stage.period.first == record["start"].first
        assert stage.period.last == _last(record["end"])
    assert stages.stage(db, found[0].id) == found[0]
    with pytest.raises(ValidationError, match=found[0].id):
        stages.stage(db, "no-such-stage")


def test_snapshot_keeps_the_ties_of_its_period(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    shot = snapshot.network_snapshot(db, Selection.build(at="2016"))
    expected = _ties(raw, parse_at("2016"))
    assert {t.id for t in shot.network.ties} == {t["id"] for t in expected}
    ends = {n for t in expected for n in (t["source"], t["target"])}
    assert shot.actors_with_ties == sorted(ends)
    first = stages.stages(db)[0]
    in_stage = snapshot.network_snapshot(db, stage=first.id)
    assert len(in_stage.network.ties) == len(_ties(raw, first.period))
    with pytest.raises(ValidationError, match="not both"):
        snapshot.network_snapshot(db, Selection.build(at="2016"), stage=first.id)


def test_robustness_sets_all_ties_against_triangulated_ones(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    periods: list[Period | None] = [None, *(s.period for s in stages.stages(db))]
    result = robustness.robustness(db, periods=periods)
    strong = _ties(raw, strong=True)
    assert result.ties == len(raw["ties"]) and result.triangulated == len(strong)
    assert sum(r["triangulated"] for r in result.by_type) == len(strong)
    assert result.problem is None and len(result.periods) == len(periods)
    whole = result.periods[0]
    assert whole["ties_all"] == len(raw["ties"]) and whole["ties_triangulated"] == len(strong)
    assert 0 <= whole["top_shared"] <= 10


def test_case_results_holds_every_section(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    results = case.case_results(db)
    assert [s.id for s in results.stages] == [s.id for s in stages.stages(db)]
    assert results.database["nodes"] == len(db.nodes)
    assert sum(r["ties"] for r in results.ties_by_type) == len(raw["ties"])
    assert results.robustness is not None and results.robustness.triangulated > 0
    assert results.evolution_by_stage and results.consensus and results.survival
    assert results.stage_title(None) == "All time"
    assert results.stage_title(results.stages[0].id) == results.stages[0].name


def test_selections_that_keep_nothing_are_refused(db: MemoryReader) -> None:
    with pytest.raises(ValidationError, match="most any has is 3"):
        fetch(db, Selection(min_evidence=4))
    with pytest.raises(ValidationError, match="FRIEND"):
        fetch(db, Selection.build(types="friend"))
    with pytest.raises(ValidationError, match="at 1990: the case is observed"):
        fetch(db, Selection.build(at="1990"))
    assert len(fetch(db, TRIANGULATED).ties) == 34


def test_inference_helpers() -> None:
    assert inference.finite({"a": float("nan"), "b": 1.0, "c": "x"}) == {
        "a": None,
        "b": 1.0,
        "c": "x",
    }
