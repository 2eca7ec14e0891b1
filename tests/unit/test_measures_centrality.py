"""Degree and directed betweenness (igraph) against networkx and Zachary's karate club."""

from __future__ import annotations

import json
from dataclasses import asdict

import networkx as nx
import pytest

from kb.measures.centrality import CentralityStats, centrality


def _arcs(graph: nx.DiGraph) -> list[tuple[str, str]]:
    return [(str(u), str(v)) for u, v in graph.edges]


def test_directed_betweenness_matches_networkx() -> None:
    for seed in range(30):
        graph = nx.gnp_random_graph(5 + seed % 15, 0.2, seed=seed, directed=True)
        graph.add_node("isolate")
        nodes = [str(v) for v in graph]
        arcs = _arcs(graph)
        result = centrality(nodes, arcs + arcs[:3])  # parallel arcs must not count twice
        raw = nx.betweenness_centrality(graph, normalized=False)
        normalized = nx.betweenness_centrality(graph, normalized=True)
        for v in graph:
            stats = result[str(v)]
            assert stats.betweenness == pytest.approx(raw[v], abs=1e-9)
            assert stats.betweenness_normalized == pytest.approx(normalized[v], abs=1e-12)
            assert stats.in_degree == graph.in_degree(v)
            assert stats.out_degree == graph.out_degree(v)
            assert stats.degree == len(set(graph.successors(v)) | set(graph.predecessors(v)))


def test_karate_club_both_directions_doubles_undirected_betweenness() -> None:
    karate = nx.karate_club_graph()
    nodes = [str(v) for v in karate]
    arcs = [(str(u), str(v)) for u, v in karate.edges]
    arcs += [(b, a) for a, b in arcs]
    result = centrality(nodes, arcs)
    undirected = nx.betweenness_centrality(karate, normalized=False)
    for v in karate:
        assert result[str(v)].betweenness == pytest.approx(2 * undirected[v], abs=1e-9)
        assert result[str(v)].degree == karate.degree(v)
    # Published undirected betweenness of Zachary's actors 1 and 34, as printed by R igraph's
    # betweenness(karate) and asserted in igraph's C tutorial: 231.0714 and 160.5516.
    assert result["0"].betweenness / 2 == pytest.approx(231.071, abs=1e-3)
    assert result["33"].betweenness / 2 == pytest.approx(160.552, abs=1e-3)
    # The normalised value is the same whether pairs are counted once or in both orders.
    assert result["0"].betweenness_normalized == pytest.approx(nx.betweenness_centrality(karate)[0])


def test_hand_example_path_and_star() -> None:
    # a -> b -> c -> d: b lies on (a,c), (a,d); c on (a,d), (b,d). n = 4, max (n-1)(n-2) = 6.
    result = centrality(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("c", "d")])
    assert result["b"] == CentralityStats(
        degree=2, in_degree=1, out_degree=1, betweenness=2.0, betweenness_normalized=2 / 6
    )
    assert result["a"].betweenness == 0.0
    # Two shortest paths a -> x -> d and a -> y -> d: x and y get 1/2 each.
    result = centrality(["a", "x", "y", "d"], [("a", "x"), ("a", "y"), ("x", "d"), ("y", "d")])
    assert result["x"].betweenness == pytest.approx(0.5)


def test_reciprocal_ties_count_once_in_degree() -> None:
    result = centrality(["a", "b", "c"], [("a", "b"), ("b", "a"), ("a", "b"), ("c", "a")])
    assert (result["a"].degree, result["a"].in_degree, result["a"].out_degree) == (2, 2, 1)
    assert (result["b"].degree, result["b"].in_degree, result["b"].out_degree) == (1, 1, 1)


def test_small_graphs_and_isolates() -> None:
    assert centrality([], []) == {}
    two = centrality(["a", "b"], [("a", "b")])
    assert two["a"].betweenness == 0.0
    assert two["a"].betweenness_normalized is None
    lonely = centrality(["a", "b", "c"], [("a", "a")])
    assert lonely["a"] == CentralityStats(0, 0, 0, 0.0, 0.0)
    assert json.dumps([asdict(s) for s in lonely.values()], allow_nan=False)


def test_unknown_node_is_an_error() -> None:
    with pytest.raises(ValueError, match="not in the node list"):
        centrality(["a"], [("a", "b")])


def test_undirected_betweenness_is_the_textbook_value_on_the_florentine_marriages() -> None:
    # Padgett's Florentine marriage network: every textbook gives the Medici 47.5.
    florence = nx.florentine_families_graph()
    nodes = list(florence)
    arcs = [(u, v) for u, v in florence.edges] + [(v, u) for u, v in florence.edges]
    undirected = centrality(nodes, arcs, mode="undirected")
    assert undirected["Medici"].betweenness == pytest.approx(47.5)
    directed = centrality(nodes, arcs, mode="directed")
    assert directed["Medici"].betweenness == pytest.approx(95.0)
    # the normalised value does not depend on the mode: both divide by their maximum
    expected = nx.betweenness_centrality(florence, normalized=True)
    for node in nodes:
        assert undirected[node].betweenness_normalized == pytest.approx(expected[node])
        assert directed[node].betweenness_normalized == pytest.approx(expected[node])
    # undirected mode symmetrises a one-way arc: a path a -> b -> c and c -> b
    line = centrality(["a", "b", "c"], [("a", "b"), ("c", "b")], mode="undirected")
    assert line["b"].betweenness == 1.0
    with pytest.raises(ValueError, match="mode"):
        centrality(nodes, arcs, mode="both")
