"""Snapshot metrics against networkx and hand values; tie formation and dissolution."""

from __future__ import annotations

import json
import random

import networkx as nx
import pytest

from kb.measures.arcs import collapse_arcs
from kb.measures.evolution import (
    formed_dissolved,
    snapshot_metrics,
    unordered_pairs,
)


def test_hand_example() -> None:
    # Community (C) and public (P) actors. Ties: c1 <-> c2 (reciprocal), c2 -> p1, p1 -> p2,
    # p2 -> p1, c3 -> p2, plus a parallel c2 -> p1 and a self-loop; iso has no tie.
    nodes = ["c1", "c2", "c3", "p1", "p2", "iso"]
    arcs = [
        ("c1", "c2"),
        ("c2", "c1"),
        ("c2", "p1"),
        ("c2", "p1"),
        ("p1", "p2"),
        ("p2", "p1"),
        ("c3", "p2"),
        ("c3", "c3"),
    ]
    groups = {"c1": "C", "c2": "C", "c3": "C", "p1": "P", "p2": "P", "iso": "C"}
    metrics = snapshot_metrics(nodes, arcs, groups=groups)
    # Pairs: {c1,c2} within, {c2,p1} between, {p1,p2} within, {c3,p2} between.
    # E-I = (2 - 2) / 4 = 0. Density: 6 arcs over 5 tied actors: 6 / 20.
    assert metrics == {
        "actors": 5,
        "actors_total": 6,
        "arcs": 6,
        "pairs": 4,
        "density": pytest.approx(0.3),
        "components": 1,
        "within_pairs": 2,
        "between_pairs": 2,
        "ei_index": 0.0,
    }
    assert json.dumps(metrics, allow_nan=False)


def test_ei_index_extremes_and_no_groups() -> None:
    arcs = [("a", "b"), ("c", "d")]
    assert snapshot_metrics("abcd", arcs, groups={"a": "X", "b": "Y", "c": "X", "d": "Y"})[
        "ei_index"
    ] == pytest.approx(1.0)
    assert snapshot_metrics("abcd", arcs, groups=dict.fromkeys("abcd", "X"))["ei_index"] == -1.0
    plain = snapshot_metrics("abcd", arcs)
    assert plain["within_pairs"] is None and plain["ei_index"] is None
    assert plain["components"] == 2


def test_empty_and_tiny_snapshots() -> None:
    empty = snapshot_metrics(["a", "b"], [], groups={"a": "X", "b": "X"})
    assert empty["actors"] == 0 and empty["actors_total"] == 2
    assert empty["density"] is None and empty["components"] == 0
    assert empty["ei_index"] is None and empty["within_pairs"] == 0
    one_tie = snapshot_metrics(["a", "b"], [("a", "b")])
    assert one_tie["density"] == 0.5


def test_matches_networkx_on_random_graphs() -> None:
    rng = random.Random(2023)
    for seed in range(40):
        graph = nx.gnp_random_graph(
            rng.randint(2, 25), rng.uniform(0.02, 0.3), seed=seed, directed=True
        )
        nodes = [str(v) for v in graph]
        arcs = [(str(u), str(v)) for u, v in graph.edges]
        groups = {v: rng.choice("XYZ") for v in nodes}
        metrics = snapshot_metrics(nodes, arcs + arcs[:2], groups=groups)
        tied = graph.subgraph([v for v in graph if graph.degree(v) > 0])
        assert metrics["actors"] == tied.number_of_nodes()
        assert metrics["arcs"] == graph.number_of_edges()
        assert metrics["pairs"] == graph.to_undirected().number_of_edges()
        if tied.number_of_nodes() >= 2:
            assert metrics["density"] == pytest.approx(nx.density(tied))
        assert metrics["components"] == nx.number_weakly_connected_components(tied)
        within = sum(1 for u, v in graph.to_undirected().edges if groups[str(u)] == groups[str(v)])
        assert metrics["within_pairs"] == within


def test_formed_and_dissolved_ignore_orientation() -> None:
    before = {("a", "b"), ("c", "b"), ("c", "d")}
    after = [("b", "a"), ("d", "e"), ("b", "c")]
    formed, dissolved = formed_dissolved(before, after)
    assert formed == [("d", "e")]
    assert dissolved == [("c", "d")]


def test_pairs_from_arcs() -> None:
    pairs = unordered_pairs([("b", "a"), ("a", "b"), ("a", "a"), ("c", "a")])
    assert pairs == {("a", "b"), ("a", "c")}


def test_collapse_arcs() -> None:
    nodes, arcs = collapse_arcs(["a", "b", "a", "c"], [("a", "b"), ("a", "b"), ("c", "c")])
    assert nodes == ["a", "b", "c"]
    assert arcs == {("a", "b")}
    with pytest.raises(ValueError, match="2 tie end"):
        collapse_arcs(["a"], [("x", "y")])
    with pytest.raises(ValueError, match="no group"):
        snapshot_metrics(["a", "b"], [("a", "b")], groups={"a": "X"})
