"""Each analysis on the real Neo4j, checked against networkx/igraph or hand-worked answers."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kb.analyses.network import fetch
from kb.analyses.selection import Selection
from kb.errors import NotFoundError, ValidationError
from kb.graph import KnowledgeBase
from kb.imports import Dataset
from kb.result_cache import ResultCache
from tests.brute_force import brokerage_roles

pytestmark = pytest.mark.neo4j


def load(
    kb: KnowledgeBase,
    ties: list[dict[str, Any]],
    actors: dict[str, str],
    **tables: list[dict[str, Any]],
) -> None:
    """Import persons {id: sector} and ties (explicit ids keep parallel ties apart)."""
    rows = [{"id": a, "name": f"Actor {a}", "sector": s} for a, s in actors.items()]
    numbered = [{"id": f"t{i}", **tie} for i, tie in enumerate(ties)]
    kb.import_data(Dataset.from_records({"actors": rows, "ties": numbered, **tables}))


def random_digraph(n: int, p: float, seed: int) -> nx.DiGraph:
    graph = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    return nx.relabel_nodes(graph, {i: f"a{i:02d}" for i in graph})


# -- centrality ------------------------------------------------------------------------------
def test_centrality_matches_networkx_on_the_karate_club(kb: KnowledgeBase) -> None:
    karate = nx.relabel_nodes(nx.karate_club_graph(), lambda i: f"k{i:02d}")
    actors = {n: karate.nodes[n]["club"] for n in karate}
    ties = [
        {"source": a, "target": b, "type": "FRIEND", "directed": "false"} for a, b in karate.edges
    ]
    load(kb, ties, actors)
    undirected = kb.centrality()
    assert undirected["mode"] == "undirected"  # every tie is undirected: auto picks it
    result = {a["id"]: a for a in undirected["actors"]}
    directed = {a["id"]: a for a in kb.centrality(mode="directed")["actors"]}
    betweenness = nx.betweenness_centrality(karate, normalized=False)
    constraint = nx.constraint(karate)
    effective = nx.effective_size(karate)
    n = karate.number_of_nodes()
    for node in karate:
        got = result[node]
        assert got["degree"] == karate.degree(node)
        assert got["betweenness"] == pytest.approx(betweenness[node])
        assert got["betweenness_normalized"] == pytest.approx(
            betweenness[node] / ((n - 1) * (n - 2) / 2)
        )
        # directed: both orders of every pair, twice the value, the same normalised value
        assert directed[node]["betweenness"] == pytest.approx(2 * betweenness[node])
        assert directed[node]["betweenness_normalized"] == pytest.approx(
            got["betweenness_normalized"]
        )
        assert got["constraint"] == pytest.approx(constraint[node])
        assert got["effective_size"] == pytest.approx(effective[node])
    # Zachary's karate club: actor 1 (k00) has the published 231.0714 undirected betweenness
    assert result["k00"]["betweenness"] == pytest.approx(231.0714, abs=1e-4)
    # one directed tie makes the network mixed: auto keeps the directed definition
    load(kb, [*ties, {"source": "k00", "target": "k33", "type": "ADVICE"}], actors)
    assert kb.centrality()["mode"] == "directed"


def test_weights_of_several_ties_between_two_actors_sum_or_max(kb: KnowledgeBase) -> None:
    ties = [
        {
            "source": "a",
            "target": "b",
            "type": "ADVICE",
            "weight": "2",
            "start": "2015",
            "end": "2015",
        },
        {"source": "a", "target": "b", "type": "ADVICE", "weight": "3", "start": "2017"},
        {"source": "a", "target": "c", "type": "FUNDING"},  # no weight: counts 1
        {"source": "b", "target": "c", "type": "ADVICE", "weight": "1"},
    ]
    load(kb, ties, {"a": "x", "b": "x", "c": "x"})
    from kb.measures.structural_holes import structural_holes

    def constraint(weights: dict[tuple[str, str], float]) -> float | None:
        arcs = list(weights)
        return structural_holes(["a", "b", "c"], arcs, weights=weights)["a"].constraint

    summed = {("a", "b"): 5.0, ("a", "c"): 1.0, ("b", "c"): 1.0}
    strongest = {("a", "b"): 3.0, ("a", "c"): 1.0, ("b", "c"): 1.0}
    by_actor = {r["id"]: r for r in kb.centrality(weight="weight")["actors"]}
    assert by_actor["a"]["constraint"] == pytest.approx(constraint(summed))
    by_actor = {r["id"]: r for r in kb.centrality(weight="weight", combine="max")["actors"]}
    assert by_actor["a"]["constraint"] == pytest.approx(constraint(strongest))
    at_2015 = {
        r["id"]: r for r in kb.centrality(Selection.build(at="2015"), weight="weight")["actors"]
    }
    assert at_2015["a"]["constraint"] == pytest.approx(
        constraint({("a", "b"): 2.0, ("a", "c"): 1.0, ("b", "c"): 1.0})
    )
    with pytest.raises(ValidationError, match="combine="):
        kb.centrality(weight="weight", combine="mean")


def test_directed_betweenness_and_weighted_constraint(kb: KnowledgeBase) -> None:
    graph = random_digraph(25, 0.12, seed=7)
    rng = random.Random(7)
    weights = {edge: rng.choice([1.0, 2.0, 3.5]) for edge in graph.edges}
    ties = [
        {"source": a, "target": b, "type": "ADVICE", "weight": str(weights[a, b])}
        for a, b in graph.edges
    ]
    load(kb, ties, dict.fromkeys(graph, "community"))
    plain = {a["id"]: a for a in kb.centrality()["actors"]}
    expected = nx.betweenness_centrality(graph, normalized=False)
    for node in graph:
        assert plain[node]["betweenness"] == pytest.approx(expected[node])
    weighted = {a["id"]: a for a in kb.centrality(weight="weight")["actors"]}
    import igraph

    g = igraph.Graph.TupleList(
        [(a, b, weights[a, b]) for a, b in graph.edges], directed=True, weights=True
    )
    ig_constraint = dict(zip(g.vs["name"], g.constraint(weights="weight"), strict=True))
    for node, value in ig_constraint.items():
        assert weighted[node]["constraint"] == pytest.approx(value)


# -- brokerage ---------------------------------------------------------------------------------
def test_brokerage_raw_counts_match_brute_force_and_the_cypher_view(kb: KnowledgeBase) -> None:
    graph = random_digraph(30, 0.1, seed=3)
    rng = random.Random(3)
    groups = {n: rng.choice(["community", "public", "citizen"]) for n in graph}
    # some ties undirected: both arcs must then exist in the brute-force graph
    ties, arcs = [], nx.DiGraph()
    arcs.add_nodes_from(graph)
    for a, b in graph.edges:
        undirected = rng.random() < 0.3
        ties.append({"source": a, "target": b, "type": "INFO", "directed": str(not undirected)})
        arcs.add_edge(a, b)
        if undirected:
            arcs.add_edge(b, a)
    load(kb, ties, groups)
    result = kb.brokerage(group_by="sector")
    expected = brokerage_roles(arcs, groups)
    for actor in result["actors"]:
        raw = {role: s["raw"] for role, s in actor["roles"].items() if role != "total"}
        assert raw == expected[actor["id"]], actor["id"]
        assert actor["roles"]["total"]["raw"] == sum(raw.values())
        cypher = kb.read(
            "brokerage/pairs_of_broker",
            broker=actor["id"],
            types=None,
            at_first=None,
            at_last=None,
            group_by="sector",
        )
        by_role = {role: sum(1 for r in cypher if r["role"] == role) for role in raw}
        assert by_role == raw
    totals = {
        role: sum(a["roles"][role]["raw"] for a in result["actors"])
        for role in expected[next(iter(expected))]
    }
    assert {r: s["raw"] for r, s in result["network"].items() if r != "total"} == totals
    assert set(result) == {
        "at",
        "group_by",
        "types",
        "min_evidence",
        "triangulated",
        "coders",
        "network",
        "actors",
    }


def test_brokerage_roles_by_hand_with_time_and_types(kb: KnowledgeBase) -> None:
    """a(community) -> b(public) -> c(public): b is a gatekeeper for (a, c) while a-c is
    open; a c->a tie does not close it; an a->c tie of another type or time does not
    either when that type or time is not selected."""
    actors = {"a": "community", "b": "public", "c": "public"}
    ties = [
        {"source": "a", "target": "b", "type": "INFO", "start": "2015", "end": "2017"},
        {"source": "b", "target": "c", "type": "INFO", "start": "2016-03"},
        {"source": "c", "target": "a", "type": "INFO"},
        {"source": "a", "target": "c", "type": "FUNDING", "start": "2018"},
    ]
    load(kb, ties, actors)

    def b_roles(**kwargs: Any) -> dict[str, int]:
        result = kb.brokerage(Selection.build(**kwargs), group_by="sector")
        roles = next(a for a in result["actors"] if a["id"] == "b")["roles"]
        return {r: s["raw"] for r, s in roles.items() if s["raw"]}

    assert b_roles(types="INFO") == {"gatekeeper": 1, "total": 1}
    assert b_roles() == {}  # the FUNDING a->c tie closes the pair in the aggregated network
    assert b_roles(at="2016-06-01") == {"gatekeeper": 1, "total": 1}  # FUNDING not yet
    assert b_roles(at="2016-02") == {}  # b->c starts 2016-03
    assert b_roles(at="2016") == {"gatekeeper": 1, "total": 1}  # overlaps the year
    assert b_roles(at="2018-05") == {}  # a->b ended 2017
    by_year = kb.brokerage_by(Selection.build(types="INFO"), by="year", group_by="sector")
    # the years span the selected (INFO) ties' dates: 2015 to 2017
    assert [r["at"] for r in by_year] == ["2015", "2016", "2017"]
    # 2015: a brokers (c, b); from 2016 also b brokers (a, c) and c brokers (b, a)
    assert [r["network"]["total"]["raw"] for r in by_year] == [1, 3, 3]


# -- evolution -----------------------------------------------------------------------------
def test_evolution_matches_networkx_per_period(kb: KnowledgeBase) -> None:
    rng = random.Random(11)
    people = {f"p{i}": rng.choice(["community", "public"]) for i in range(20)}
    ties = []
    for _ in range(45):
        a, b = rng.sample(sorted(people), 2)
        start = rng.randint(2014, 2018)
        end = rng.choice([None, start, start + 1, start + 2])
        ties.append(
            {
                "source": a,
                "target": b,
                "type": "INFO",
                "start": str(start),
                "end": None if end is None else str(end),
                "directed": rng.choice(["true", "false"]),
            }
        )
    load(kb, ties, people)
    rows = kb.evolution(by="year", group_by="sector")
    assert [r["period"] for r in rows] == [str(y) for y in range(2014, 2021)]
    previous: set[frozenset[str]] | None = None
    for row in rows:
        year = int(row["period"])
        active = [
            t
            for t in ties
            if int(str(t["start"])) <= year and (t["end"] is None or int(t["end"]) >= year)
        ]
        g = nx.DiGraph()
        for t in active:
            g.add_edge(t["source"], t["target"])
            if t["directed"] == "false":
                g.add_edge(t["target"], t["source"])
        pairs = {frozenset(e) for e in g.edges}
        assert row["actors"] == g.number_of_nodes()
        assert row["arcs"] == g.number_of_edges()
        assert row["pairs"] == len(pairs)
        assert row["density"] == (pytest.approx(nx.density(g)) if g.number_of_nodes() > 1 else None)
        assert row["components"] == nx.number_weakly_connected_components(g)
        between = sum(1 for p in pairs if len({people[x] for x in p}) == 2)
        if pairs:
            assert row["ei_index"] == pytest.approx((2 * between - len(pairs)) / len(pairs))
        if previous is not None:
            assert row["formed"] == len(pairs - previous)
            assert row["dissolved"] == len(previous - pairs)
        previous = pairs


# -- paths and legitimacy ------------------------------------------------------------------
def test_shortest_paths_and_reach_match_networkx(kb: KnowledgeBase) -> None:
    graph = random_digraph(40, 0.06, seed=5)
    groups = {n: ("public" if int(n[1:]) % 4 == 0 else "community") for n in graph}
    ties = [{"source": a, "target": b, "type": "INFO"} for a, b in graph.edges]
    load(kb, ties, groups)
    source = "a01"
    lengths = nx.single_source_shortest_path_length(graph, source)
    for target in ["a05", "a17", "a30", "a39"]:
        result = kb.paths(source, target, max_hops=12)
        if target in lengths:
            expected = sorted(nx.all_shortest_paths(graph, source, target))
            assert sorted(p["actors"] for p in result["paths"]) == expected
            assert {p["hops"] for p in result["paths"]} == {lengths[target]}
        else:
            assert result["paths"] == []
    reached = kb.legitimacy_of_source(source, to_group="public", max_hops=12)
    expected_reach = {t: d for t, d in lengths.items() if groups[t] == "public" and t != source}
    assert {r["target"]: r["hops"] for r in reached} == expected_reach
    for r in reached:  # each returned path is a real path of that length
        assert len(r["ties"]) == r["hops"] and nx.is_path(graph, r["actors"])

    legit = {
        r["source"]: r
        for r in kb.legitimacy(from_group="community", to_group="public", max_hops=12, brokers=None)
    }
    top = {
        r["source"]: r
        for r in kb.legitimacy(from_group="community", to_group="public", max_hops=12)
    }
    for node, row in legit.items():
        dist = {
            t: d
            for t, d in nx.single_source_shortest_path_length(graph, node).items()
            if groups[t] == "public" and t != node
        }
        assert row["reached"] == len(dist)
        assert sorted(row["targets"]) == sorted(dist)
        if dist:
            assert row["min_hops"] == min(dist.values())
            # dependency: over reached targets, the share of shortest paths through a broker
            dependency: dict[str, float] = {}
            for t in dist:
                found = list(nx.all_shortest_paths(graph, node, t))
                for path in found:
                    for middle in path[1:-1]:
                        dependency[middle] = dependency.get(middle, 0.0) + 1 / len(found)
            got = {b["id"]: b["dependency"] for b in row["brokers"]}
            assert got == pytest.approx(dependency, abs=1e-6)  # kb rounds to 6 decimals
            assert row["brokers_total"] == len(dependency)
            # by default the ten highest, ties broken by id
            ranked = sorted(dependency, key=lambda b: (-round(dependency[b], 6), b))[:10]
            assert [b["id"] for b in top[node]["brokers"]] == ranked
            assert top[node]["brokers_total"] == len(dependency)
    with pytest.raises(ValidationError, match="from 1 to 12"):
        kb.paths(source, "a05", max_hops=13)
    assert kb.paths(source, "a05", max_hops=13, time_respecting=True) is not None
    for bad in (0, 101):
        with pytest.raises(ValidationError, match="max_hops="):
            kb.legitimacy(from_group="community", to_group="public", max_hops=bad)
        with pytest.raises(ValidationError, match="max_hops="):
            kb.legitimacy_of_source(source, to_group="public", max_hops=bad)


def test_reach_reuses_the_network_until_the_database_changes(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(kb, [{"source": "a", "target": "b", "type": "INFO"}], {"a": "c", "b": "p", "c": "p"})
    cached = KnowledgeBase(kb.driver, database=kb.database, uri=kb.uri, cache=ResultCache(tmp_path))
    assert kb.state() == kb.state()  # reads leave the state alone
    assert [r["target"] for r in cached.legitimacy_of_source("a", to_group="p")] == ["b"]
    assert len(list(tmp_path.glob("*.pickle"))) == 1

    def no_fetch(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("fetched again although nothing changed")

    with monkeypatch.context() as patched:
        patched.setattr("kb.analyses.legitimacy.fetch", no_fetch)
        assert [r["target"] for r in cached.legitimacy_of_source("a", to_group="p")] == ["b"]
        with pytest.raises(NotFoundError):
            cached.legitimacy_of_source("nobody", to_group="p")

    before = kb.state()
    cached.add("ties", {"source": "b", "target": "c", "type": "INFO"})
    assert kb.state() != before
    assert [r["target"] for r in cached.legitimacy_of_source("a", to_group="p")] == ["b", "c"]
    # a write from outside kb (Neo4j Browser, say) retires the entry too
    kb.driver.execute_query("MATCH ()-[t:TIE {id: 't0'}]->() DELETE t", database_=kb.database)
    assert cached.legitimacy_of_source("a", to_group="p") == []


def test_result_computed_while_the_database_changed_is_not_kept(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    cached = KnowledgeBase(kb.driver, database=kb.database, uri=kb.uri, cache=ResultCache(tmp_path))

    def compute_during_a_write() -> int:
        cached.add("actors", {"id": "late", "name": "Written meanwhile"})
        return 1

    assert cached.cached(["test"], compute_during_a_write) == 1
    assert not list(tmp_path.glob("*.pickle"))
    assert cached.cached(["test"], lambda: 2) == 2
    assert cached.cached(["test"], lambda: 3) == 2  # nothing written since


def test_paths_to_an_unreachable_actor_answer_at_once(example: KnowledgeBase) -> None:
    # Neo4j's ALL SHORTEST searched every trail up to 12 hops here (minutes): kb now
    # answers from a breadth-first search without sending the query.
    graph = nx.DiGraph()
    for tie in fetch(example).ties:
        graph.add_edge(tie.source, tie.target)
        if not tie.directed:
            graph.add_edge(tie.target, tie.source)
    assert "msss" not in nx.descendants(graph, "p-kdiallo")
    assert example.paths("p-kdiallo", "msss", max_hops=12)["paths"] == []
    far = max(nx.single_source_shortest_path_length(graph, "p-kdiallo").items(), key=lambda i: i[1])
    target, hops = far
    assert hops > 1
    assert example.paths("p-kdiallo", target, max_hops=hops - 1)["paths"] == []
    found = example.paths("p-kdiallo", target, max_hops=min(hops, 12))["paths"]
    assert found and {p["hops"] for p in found} == {hops}


def test_time_respecting_paths_by_hand(kb: KnowledgeBase) -> None:
    """a->b from 2017; b->c ended 2016: static path a-b-c exists, no time-respecting one.
    a->d (2015) then d->c (2016, undirected): time-respecting a-d-c arriving 2016."""
    actors = dict.fromkeys("abcd", "community")
    ties = [
        {"source": "a", "target": "b", "type": "INFO", "start": "2017"},
        {"source": "b", "target": "c", "type": "INFO", "start": "2014", "end": "2016"},
        {"source": "a", "target": "d", "type": "INFO", "start": "2015-05", "end": "2015-12"},
        {"source": "c", "target": "d", "type": "INFO", "start": "2016-02", "directed": "false"},
    ]
    load(kb, ties, actors)
    static = kb.paths("a", "c")
    assert sorted(p["actors"] for p in static["paths"]) == [["a", "b", "c"], ["a", "d", "c"]]
    timed = kb.paths("a", "c", time_respecting=True, evidence=True)
    assert [p["actors"] for p in timed["paths"]] == [["a", "d", "c"]]
    assert str(timed["paths"][0]["arrival"]) == "2016-02-01"
    assert (
        kb.paths("a", "c", Selection.build(between=("2017", "2018")), time_respecting=True)["paths"]
        == []
    )
    assert (
        kb.paths("a", "c", Selection.build(at="2016-06"))["paths"] == []
    )  # a->d ended 2015, a->b from 2017
    with pytest.raises(NotFoundError):
        kb.paths("a", "nobody")


# -- reforms -------------------------------------------------------------------------------------
def test_broken_ties_and_brokerage_change_by_hand(kb: KnowledgeBase) -> None:
    orgs = [
        {"id": "csss", "name": "CSSS", "sector": "public"},
        {"id": "ciusss", "name": "CIUSSS", "sector": "public"},
        {"id": "org", "name": "Community org", "sector": "community"},
    ]
    actors = {"co": "public", "cm": "community", "x": "community"}
    ties = [
        # ended the eve of the reform, through co's membership of the CSSS: broken
        {"source": "cm", "target": "co", "type": "INFO", "start": "2012", "end": "2015-03-31"},
        # the CSSS itself, ended within 12 months: broken
        {"source": "org", "target": "csss", "type": "FUNDING", "start": "2010", "end": "2015-06"},
        # ended after the window: kept
        {"source": "x", "target": "co", "type": "INFO", "start": "2014", "end": "2016-08"},
        # no affected organization: not counted
        {"source": "cm", "target": "x", "type": "INFO", "start": "2014", "end": "2015-05"},
        # started after the reform: not counted
        {"source": "cm", "target": "ciusss", "type": "INFO", "start": "2015-06", "end": "2015-09"},
        {"source": "co", "target": "x", "type": "INFO", "start": "2013"},
    ]
    kb.import_data(
        Dataset.from_records(
            {
                "organizations": orgs,
                "actors": [{"id": a, "name": a, "sector": s} for a, s in actors.items()],
                "ties": ties,
                "memberships": [
                    {"person": "co", "organization": "csss", "start": "2010", "end": "2015-03-31"}
                ],
                "reforms": [{"id": "bill-10", "name": "Bill 10", "date": "2015-04-01"}],
                "reform_effects": [
                    {
                        "reform": "bill-10",
                        "organization": "csss",
                        "effect": "merged_into",
                        "successor": "ciusss",
                    }
                ],
            }
        )
    )
    broken = kb.broken_ties(reform="bill-10", window="12m")
    assert sorted((t["source"], t["target"]) for t in broken) == [("cm", "co"), ("org", "csss")]
    via = {t["source"]: t["effects"][0]["via"] for t in broken}
    assert via == {"cm": "co", "org": "csss"}  # the member, or the organization itself
    assert [t["source"] for t in kb.broken_ties(reform="bill-10", window="20m")].count("x") == 1
    with pytest.raises(ValidationError, match="no reform 'bill-99'.*Known: bill-10"):
        kb.broken_ties(reform="bill-99")
    with pytest.raises(ValidationError):
        kb.broken_ties(reform="bill-10", window="soon")


def test_brokerage_change_across_a_reform_by_hand(kb: KnowledgeBase) -> None:
    """b brokers (a, c) on the eve (gatekeeper); a year later b->c has ended and b->d
    started, so b brokers (a, d) instead (itinerant): one lost, one gained, none kept."""
    actors = {"a": "community", "b": "public", "c": "public", "d": "community"}
    ties = [
        {"source": "a", "target": "b", "type": "INFO", "start": "2014"},
        {"source": "b", "target": "c", "type": "INFO", "start": "2014", "end": "2016-03"},
        {"source": "b", "target": "d", "type": "INFO", "start": "2016-06"},
    ]
    load(kb, ties, actors, reforms=[{"id": "r", "name": "Reform", "date": "2016-01-01"}])
    result = kb.brokerage_change(reform="r", group_by="sector")
    assert (result["before"], result["after"]) == ("2015-12-31", "2017-01-01")
    assert result["actors"] == [
        {
            "id": "b",
            "name": "Actor b",
            "group": "public",
            "before": 1,
            "after": 1,
            "kept": 0,
            "lost": 1,
            "gained": 1,
            "lost_by_role": {"gatekeeper": 1},
            "gained_by_role": {"itinerant": 1},
        },
    ]
    later = kb.brokerage_change(reform="r", group_by="sector", after="2016-02")
    assert later["actors"][0]["kept"] == 1 and later["actors"][0]["gained"] == 0


# -- consensus ---------------------------------------------------------------------------------
def test_consensus_by_hand(kb: KnowledgeBase) -> None:
    kb.import_data(
        Dataset.from_records(
            {
                "actors": [
                    {"id": a, "name": a, "sector": s}
                    for a, s in [("a", "community"), ("b", "public"), ("c", "public")]
                ],
                "problems": [{"id": "pb", "statement": "Access"}],
                "stages": [
                    {"id": "s1", "name": "One", "start": "2015", "end": "2016"},
                    {"id": "s2", "name": "Two", "start": "2017", "end": "2018"},
                ],
                "positions": [
                    {"actor": "a", "problem": "pb", "stance": "agree", "date": "2015-05"},
                    {"actor": "b", "problem": "pb", "stance": "disagree", "date": "2015-09"},
                    {"actor": "b", "problem": "pb", "stance": "agree", "date": "2017-03"},
                    {"actor": "c", "problem": "pb", "stance": "neutral", "date": "2016"},
                    {"actor": "c", "problem": "pb", "stance": "agree", "date": "2018-01"},
                ],
                "meetings": [
                    {"id": "m1", "date": "2016-02-01", "problems": "pb"},
                    {"id": "m2", "date": "2017-05-01", "problems": "pb; other"},
                ],
                "attendance": [
                    {"meeting": "m1", "actor": "a"},
                    {"meeting": "m1", "actor": "b"},
                    {"meeting": "m2", "actor": "a"},
                    {"meeting": "m2", "actor": "b"},
                    {"meeting": "m2", "actor": "c"},
                ],
            }
        )
    )
    rows = {r["period"]: r for r in kb.consensus(by="stage") if r["problem"] == "pb"}
    assert (rows["s1"]["agree"], rows["s1"]["disagree"], rows["s1"]["neutral"]) == (1, 1, 1)
    assert rows["s1"]["share_agree"] == pytest.approx(1 / 3)
    assert rows["s2"]["share_agree"] == 1.0
    assert rows["s2"]["change"] == pytest.approx(2 / 3)
    assert (rows["s1"]["meetings"], rows["s1"]["co_attending_pairs"]) == (1, 1)
    assert (rows["s2"]["meetings"], rows["s2"]["co_attending_pairs"]) == (1, 3)
