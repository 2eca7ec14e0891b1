"""Breadth-first reach on arrays, against networkx and a hand-made tie order."""

from __future__ import annotations

import random

import networkx as nx

from kb.measures.bfs import ArcTable, breadth_first


def _table(nodes: list[str], ties: list[tuple[str, str, str, bool]]) -> ArcTable:
    return ArcTable.build(nodes, [f"Name {n}" for n in nodes], ["g"] * len(nodes), ties)


def test_hops_and_paths_match_networkx_on_random_graphs() -> None:
    rng = random.Random(2015)
    for seed in range(30):
        n = rng.randint(2, 40)
        nodes = [f"a{i:02d}" for i in range(n)]
        ties = []
        for i in range(rng.randint(0, 3 * n)):
            s, t = rng.choice(nodes), rng.choice(nodes)
            ties.append((f"t{i:03d}", s, t, rng.random() < 0.6))
        graph = nx.DiGraph()
        graph.add_nodes_from(nodes)
        for _, s, t, directed in ties:
            if s != t:
                graph.add_edge(s, t)
                if not directed:
                    graph.add_edge(t, s)
        table = _table(nodes, ties)
        max_hops = rng.randint(1, 6)
        found = breadth_first(table, 0, max_hops)
        expected = nx.single_source_shortest_path_length(graph, nodes[0], cutoff=max_hops)
        got = {nodes[i]: int(found.hops[i]) for i in found.order}
        assert got == {v: d for v, d in expected.items() if v != nodes[0]}, seed
        assert [found.hops[i] for i in found.order] == sorted(found.hops[i] for i in found.order)
        by_id = {t[0]: t for t in ties}
        for i in found.order:
            actors, tie_ids = found.path(table, i)
            assert actors[0] == nodes[0] and actors[-1] == nodes[i]
            assert len(tie_ids) == found.hops[i]
            for (a, b), tie in zip(zip(actors, actors[1:], strict=False), tie_ids, strict=True):
                _, s, t, directed = by_id[tie]
                assert (s, t) == (a, b) or (not directed and (t, s) == (a, b))


def test_parent_is_the_first_arc_by_source_then_tie_id() -> None:
    nodes = ["a", "b", "c", "d"]
    ties = [
        ("t9", "a", "c", True),
        ("t2", "a", "b", True),
        ("t5", "b", "d", True),
        ("t3", "c", "d", True),
        ("t1", "a", "c", True),  # a parallel tie with a smaller id
    ]
    found = breadth_first(_table(nodes, sorted(ties)), 0, 6)
    table = _table(nodes, sorted(ties))
    assert found.path(table, 2) == (["a", "c"], ["t1"])
    # d is reached from b and c at hop 2; b comes first in id order
    assert found.path(table, 3) == (["a", "b", "d"], ["t2", "t5"])
    assert [nodes[i] for i in found.order] == ["b", "c", "d"]


def test_isolated_source_and_self_loops() -> None:
    table = _table(["a", "b"], [("t1", "a", "a", True), ("t2", "b", "a", True)])
    found = breadth_first(table, 0, 3)
    assert found.order == [] and found.hops.tolist() == [0, -1]
