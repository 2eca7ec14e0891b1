"""Burt's constraint and effective size against hand values, networkx, igraph and a matrix form.

Where the references differ:

- networkx (checked with 3.6.1) computes both measures in pure Python when scipy is missing or
  ``nodes=`` is given; that path tests "isolated" with ``G[v]``, the *successors* only, so on a
  directed graph an actor with only incoming ties gets NaN although Burt's measures count
  contacts in either direction (networkx issue #2661, fixed only in its scipy fast path).
  The tests compare with networkx on directed graphs only for actors with an outgoing tie,
  and check actors with only incoming ties against a hand example, igraph's ``constraint``
  (which counts both directions) and the matrix form below.
- igraph has constraint but no effective size.
- ``_matrix_form`` evaluates both measures from the mutual-weight matrix ``M = A + A^T``:
  ``P = M / rowsum``, constraint ``sum_j [M_ij > 0] (P + P P)_ij^2``, effective size
  ``sum_j [M_ij > 0] (1 - (P (M / rowmax)^T)_ij)``. Without self-loops the ``q = i`` and
  ``q = j`` terms vanish, so this equals the definition; it is evaluated on directed,
  weighted graphs where networkx has no reliable answer.
"""

from __future__ import annotations

import math
import random

import igraph
import networkx as nx
import numpy as np
import pytest

from kb.measures.structural_holes import HoleStats, structural_holes, sum_arc_weights


def _both_ways(
    graph: nx.Graph,
) -> tuple[list[str], list[tuple[str, str]], dict[tuple[str, str], float]]:
    nodes = [str(v) for v in graph]
    arcs: list[tuple[str, str]] = []
    weights: dict[tuple[str, str], float] = {}
    for u, v, data in graph.edges(data=True):
        for a, b in ((str(u), str(v)), (str(v), str(u))):
            arcs.append((a, b))
            weights[(a, b)] = float(data.get("weight", 1.0))
    return nodes, arcs, weights


def _random_weighted_graph(seed: int, *, directed: bool) -> nx.Graph:
    rng = random.Random(seed)
    graph = nx.gnp_random_graph(
        rng.randint(4, 14), rng.uniform(0.15, 0.5), seed=seed, directed=directed
    )
    graph.add_node("isolate")
    for u, v in graph.edges:
        graph[u][v]["weight"] = float(rng.randint(1, 5))
    return graph


def _matrix_form(
    nodes: list[str], arcs: list[tuple[str, str]], weights: dict[tuple[str, str], float] | None
) -> dict[str, tuple[float, float] | None]:
    index = {v: k for k, v in enumerate(nodes)}
    a = np.zeros((len(nodes), len(nodes)))
    for s, t in set(arcs):
        a[index[s], index[t]] = 1.0 if weights is None else weights[(s, t)]
    m = a + a.T
    out: dict[str, tuple[float, float] | None] = {}
    rowsum = m.sum(axis=1)
    tied = rowsum > 0
    p = np.zeros_like(m)
    p[tied] = m[tied] / rowsum[tied, None]
    mx = np.zeros_like(m)
    mx[tied] = m[tied] / m[tied].max(axis=1)[:, None]
    local = (p + p @ p) ** 2
    redundancy = 1 - p @ mx.T
    for v, k in index.items():
        if not tied[k]:
            out[v] = None
            continue
        contacts = m[k] > 0
        out[v] = (float(local[k][contacts].sum()), float(redundancy[k][contacts].sum()))
    return out


def _assert_close(ours: HoleStats, constraint: float, effective_size: float) -> None:
    assert ours.constraint == pytest.approx(constraint, rel=1e-12)
    assert ours.effective_size == pytest.approx(effective_size, rel=1e-12)


# --- hand-worked examples --------------------------------------------------------------------


def test_hand_example_undirected() -> None:
    # i is tied to j, k, l (both directions); j - k are tied. For i every p_i. = 1/3; for j
    # p_jk = 1/2. Constraint of i: j and k each (1/3 + 1/3 * 1/2)^2 = 1/4, l (1/3)^2 = 1/9,
    # total 11/18. Effective size: j and k are each 1 - 1/3 * 1 redundant -> 2/3, l is 1,
    # total 7/3 (Borgatti: n - 2t/n = 3 - 2/3).
    ties = [("i", "j"), ("i", "k"), ("i", "l"), ("j", "k")]
    arcs = ties + [(b, a) for a, b in ties]
    result = structural_holes(["i", "j", "k", "l", "m"], arcs)
    _assert_close(result["i"], 11 / 18, 7 / 3)
    # l has one contact: constraint 1, effective size 1.
    _assert_close(result["l"], 1.0, 1.0)
    assert result["m"] == HoleStats(constraint=None, effective_size=None)


def test_actor_with_only_incoming_ties() -> None:
    # a -> i, b -> i, a -> b. i's contacts a, b with mutual weight 1 each: p_ia = p_ib = 1/2;
    # a's contacts i, b: p_ab = 1/2; b's contacts i, a: p_ba = 1/2.
    # Constraint of i: 2 * (1/2 + 1/2 * 1/2)^2 = 9/8. Effective size: each contact is
    # 1 - 1/2 * 1 redundant -> 1/2, total 1.
    arcs = [("a", "i"), ("b", "i"), ("a", "b")]
    result = structural_holes(["a", "b", "i"], arcs)
    _assert_close(result["i"], 9 / 8, 1.0)
    # networkx 3.6.1's pure-Python path returns NaN here (see the module docstring); igraph
    # counts both directions.
    g = igraph.Graph(n=3, edges=[(0, 2), (1, 2), (0, 1)], directed=True)
    assert g.constraint()[2] == pytest.approx(9 / 8)


def test_hand_example_weighted_directed() -> None:
    # i->j 3, j->i 1, i->k 2, j->k 1. Mutual weights: i-j 4, i-k 2, j-k 1.
    # p_ij = 4/6, p_ik = 2/6; p_jk = 1/5; p_kj = 1/3.
    # Constraint of i = (2/3 + 1/3 * 1/3)^2 + (1/3 + 2/3 * 1/5)^2 = 49/81 + 49/225.
    # m_jk = 1/4 (j's largest mutual weight is 4), m_kj = 1/2 (k's largest is 2):
    # effective size of i = (1 - 1/3 * 1/4) + (1 - 2/3 * 1/2) = 11/12 + 2/3 = 19/12.
    weights = {("i", "j"): 3.0, ("j", "i"): 1.0, ("i", "k"): 2.0, ("j", "k"): 1.0}
    result = structural_holes(["i", "j", "k"], list(weights), weights=weights)
    _assert_close(result["i"], 49 / 81 + 49 / 225, 19 / 12)


# --- networkx and igraph ---------------------------------------------------------------------


@pytest.mark.parametrize("weighted", [False, True])
def test_undirected_graphs_match_networkx(weighted: bool) -> None:
    for seed in range(25):
        graph = _random_weighted_graph(seed, directed=False)
        nodes, arcs, weights = _both_ways(graph)
        result = structural_holes(nodes, arcs, weights=weights if weighted else None)
        weight = "weight" if weighted else None
        constraint = nx.constraint(graph, weight=weight)
        # nodes= keeps networkx on its loop; its scipy path normalises weighted mutual
        # weights by the wrong maximum (docs/analyses.md, "Where references differ").
        effective = nx.effective_size(graph, nodes=list(graph), weight=weight)
        for v in graph:
            if graph.degree(v) == 0:
                assert result[str(v)] == HoleStats(None, None)
                assert math.isnan(constraint[v]) and math.isnan(effective[v])
            else:
                _assert_close(result[str(v)], constraint[v], effective[v])


@pytest.mark.parametrize("weighted", [False, True])
def test_directed_graphs_match_networkx_where_it_is_defined(weighted: bool) -> None:
    for seed in range(25):
        graph = _random_weighted_graph(seed, directed=True)
        nodes = [str(v) for v in graph]
        arcs = [(str(u), str(v)) for u, v in graph.edges]
        weights = {(str(u), str(v)): w for u, v, w in graph.edges(data="weight")}
        result = structural_holes(nodes, arcs, weights=weights if weighted else None)
        weight = "weight" if weighted else None
        senders = [v for v in graph if graph.out_degree(v) > 0]
        constraint = nx.constraint(graph, nodes=senders, weight=weight)
        effective = nx.effective_size(graph, nodes=senders, weight=weight)
        for v in senders:
            _assert_close(result[str(v)], constraint[v], effective[v])


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_matrix_form_and_igraph_constraint(directed: bool, weighted: bool) -> None:
    for seed in range(25):
        graph = _random_weighted_graph(seed, directed=directed)
        if directed:
            nodes = [str(v) for v in graph]
            arcs = [(str(u), str(v)) for u, v in graph.edges]
            weights = {(str(u), str(v)): w for u, v, w in graph.edges(data="weight")}
        else:
            nodes, arcs, weights = _both_ways(graph)
        used = weights if weighted else None
        result = structural_holes(nodes, arcs, weights=used)
        reference = _matrix_form(nodes, arcs, used)
        index = {v: k for k, v in enumerate(nodes)}
        g = igraph.Graph(n=len(nodes), edges=[(index[s], index[t]) for s, t in arcs], directed=True)
        ig_constraint = g.constraint(weights=[weights[arc] for arc in arcs] if weighted else None)
        for v in nodes:
            expected = reference[v]
            if expected is None:
                assert result[v] == HoleStats(None, None)
                assert math.isnan(ig_constraint[index[v]])
                continue
            _assert_close(result[v], *expected)
            assert result[v].constraint == pytest.approx(ig_constraint[index[v]], rel=1e-12)


# --- input handling --------------------------------------------------------------------------


def test_parallel_arcs_collapse_when_unweighted() -> None:
    once = structural_holes(["a", "b", "c"], [("a", "b"), ("a", "c"), ("b", "c")])
    twice = structural_holes(
        ["a", "b", "c"], [("a", "b"), ("a", "b"), ("a", "c"), ("b", "c"), ("c", "c")]
    )
    assert once == twice


def test_sum_arc_weights_adds_parallel_ties() -> None:
    weights = sum_arc_weights([("a", "b", 1), ("a", "b", 2.5), ("b", "a", 1), ("a", "a", 9)])
    assert weights == {("a", "b"): 3.5, ("b", "a"): 1.0}


def test_weights_must_cover_arcs_and_be_positive() -> None:
    with pytest.raises(ValueError, match="no weight for a -> b"):
        structural_holes(["a", "b"], [("a", "b")], weights={})
    with pytest.raises(ValueError, match="not positive"):
        structural_holes(["a", "b"], [("a", "b")], weights={("a", "b"): 0.0})


def test_effective_size_differs_from_borgattis_on_directed_data_as_documented() -> None:
    # docs/analyses.md, "Structural holes": ego i with contacts j, k, l; i <-> j mutual,
    # i -> k, i -> l, and j -> k. Borgatti's n - 2t/n on the symmetrised binary graph:
    # 3 - 2 * 1 / 3 = 2.333...; Burt's p on a + a^T weighs the mutual tie twice: 2.375.
    arcs = [("i", "j"), ("j", "i"), ("i", "k"), ("i", "l"), ("j", "k")]
    holes = structural_holes(["i", "j", "k", "l"], arcs)
    assert holes["i"].effective_size == pytest.approx(2.375)
    n, t = 3, 1
    assert n - 2 * t / n == pytest.approx(7 / 3)
    # on symmetrised binary data the two agree (Borgatti 1997)
    symmetric = sorted({(a, b) for a, b in arcs} | {(b, a) for a, b in arcs})
    assert structural_holes(["i", "j", "k", "l"], symmetric)["i"].effective_size == (
        pytest.approx(7 / 3)
    )


def test_the_same_network_gives_the_same_bits_whatever_the_hash_seed() -> None:
    """Sums in a fixed order: two processes with different string hashes agree exactly."""
    import subprocess
    import sys

    script = (
        "from kb.measures.structural_holes import structural_holes\n"
        "nodes = [f'n{i}' for i in range(30)]\n"
        "arcs = [(f'n{i}', f'n{(i * 7 + k) % 30}') for i in range(30) for k in (1, 2, 5, 11)]\n"
        "weights = {arc: 1 + ((k * 37) % 11) / 7 for k, arc in enumerate(arcs)}\n"
        "stats = structural_holes(nodes, arcs, weights=weights)\n"
        "print([(stats[n].constraint, stats[n].effective_size) for n in nodes])\n"
    )
    printed = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={"PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3, 4)
    }
    assert len(printed) == 1
