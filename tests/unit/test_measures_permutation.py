"""Null-model tests: exact p-values against brute force, Monte Carlo against exact."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Callable

import pytest

from kb.measures.brokerage import ROLES, brokerage
from kb.measures.evolution import snapshot_metrics
from kb.measures.permutation import (
    brokerage_test,
    centralization_of,
    centralization_test,
    group_test,
    labelings_count,
)


def small_case(seed: int, n: int = 7, p: float = 0.3) -> tuple[list[str], list[tuple[str, str]]]:
    rng = random.Random(seed)
    nodes = [f"a{i}" for i in range(n)]
    arcs = [(a, b) for a in nodes for b in nodes if a != b and rng.random() < p]
    return nodes, arcs


def brute_labels(
    nodes: list[str],
    arcs: list[tuple[str, str]],
    groups: dict[str, str],
    statistic: Callable[[dict[str, str]], float],
) -> list[float]:
    """Every distinct labeling, computed independently with kb's plain measure."""
    labels = [groups[n] for n in nodes]
    values = []
    for order in set(itertools.permutations(labels)):
        values.append(statistic(dict(zip(nodes, order, strict=True))))
    return values


def test_labelings_count_is_the_multinomial() -> None:
    assert labelings_count([3, 2, 2]) == 210
    assert labelings_count([7]) == 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_label_p_values_equal_brute_force(seed: int) -> None:
    nodes, arcs = small_case(seed)
    groups = {n: "XYZ"[i % 3] for i, n in enumerate(nodes)}
    result = brokerage_test(nodes, arcs, groups=groups, draws=10, seed=1)
    assert result.method == "exact" and result.draws == 210  # 7! / (3! 2! 2!)
    for role in ROLES:

        def network_count(g: dict[str, str], r: str = role) -> float:
            return brokerage(nodes, arcs, groups=g).network[r].raw

        values = brute_labels(nodes, arcs, groups, network_count)
        observed = brokerage(nodes, arcs, groups=groups).network[role].raw
        test = result.tests[role]
        assert test.observed == observed
        assert test.p_greater == pytest.approx(sum(v >= observed for v in values) / len(values))
        assert test.p_less == pytest.approx(sum(v <= observed for v in values) / len(values))
        assert test.se is None
        # Every labeling enumerated: the null is the population, so its sd is the
        # population sd (divisor N, not N - 1; issue 17).
        mean = sum(values) / len(values)
        population_sd = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
        assert test.mean == pytest.approx(mean)
        assert test.sd == pytest.approx(population_sd, abs=1e-12)
    # per actor too: the broker's own count of each role
    actor = nodes[0]
    for role in ("itinerant", "coordinator"):

        def actor_count(g: dict[str, str], r: str = role) -> float:
            return brokerage(nodes, arcs, groups=g).actors[actor][r].raw

        values = brute_labels(nodes, arcs, groups, actor_count)
        observed = brokerage(nodes, arcs, groups=groups).actors[actor][role].raw
        assert result.actors is not None
        got = result.actors[actor][role]
        assert got.p_greater == pytest.approx(sum(v >= observed for v in values) / len(values))


def test_exact_group_statistics_equal_brute_force() -> None:
    nodes, arcs = small_case(5, n=8)
    groups = {n: "XY"[i % 2] for i, n in enumerate(nodes)}
    result = group_test(nodes, arcs, groups=groups)
    assert result.method == "exact" and result.draws == 70
    values = brute_labels(
        nodes,
        arcs,
        groups,
        lambda g: float(snapshot_metrics(nodes, arcs, groups=g)["ei_index"] or 0),
    )
    observed = snapshot_metrics(nodes, arcs, groups=groups)["ei_index"]
    assert observed is not None
    assert result.tests["ei_index"].observed == pytest.approx(observed)
    assert result.tests["ei_index"].p_greater == pytest.approx(
        sum(v >= observed - 1e-12 for v in values) / len(values)
    )


def test_exact_cug_edges_on_four_actors_equal_brute_force() -> None:
    nodes = ["a", "b", "c", "d"]
    arcs = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("a", "c")]
    groups = {"a": "X", "b": "Y", "c": "X", "d": "Y"}
    result = brokerage_test(nodes, arcs, groups=groups, null="cug-edges")
    slots = [(s, t) for s in nodes for t in nodes if s != t]
    assert result.method == "exact" and result.draws == 792  # C(12, 5)
    for role in ROLES:
        values = [
            brokerage(nodes, list(chosen), groups=groups).network[role].raw
            for chosen in itertools.combinations(slots, 5)
        ]
        observed = brokerage(nodes, arcs, groups=groups).network[role].raw
        assert result.tests[role].p_greater == pytest.approx(
            sum(v >= observed for v in values) / len(values)
        )
        assert result.tests[role].mean == pytest.approx(sum(values) / len(values))


def test_monte_carlo_is_within_its_standard_error_of_exact() -> None:
    nodes, arcs = small_case(7, n=9, p=0.25)
    groups = {n: "XYZ"[i % 3] for i, n in enumerate(nodes)}  # 1680 labelings: exact
    exact = brokerage_test(nodes, arcs, groups=groups)
    assert exact.method == "exact"
    import kb.measures.permutation as permutation

    limit = permutation.EXACT_LIMIT
    permutation.EXACT_LIMIT = 10  # force sampling on the same case
    try:
        sampled = brokerage_test(nodes, arcs, groups=groups, draws=4000, seed=11)
    finally:
        permutation.EXACT_LIMIT = limit
    assert sampled.method == "monte carlo" and sampled.seed == 11
    for role in ROLES[:-1]:
        got, want = sampled.tests[role], exact.tests[role]
        assert got.se is not None
        assert abs(got.p_greater - want.p_greater) <= 4 * max(got.se, 1e-3), role


def test_sampled_nulls_use_the_sample_sd() -> None:
    import numpy as np

    from kb.measures.permutation import _summarise

    draws = np.array([[1.0], [2.0], [4.0], [7.0]])
    observed = np.array([3.0])
    (sampled,) = _summarise(observed, draws, exact=False)
    (enumerated,) = _summarise(observed, draws, exact=True)
    assert sampled.sd == pytest.approx(float(np.std(draws, ddof=1)))
    assert enumerated.sd == pytest.approx(float(np.std(draws, ddof=0)))


def test_same_seed_same_p_values_and_labels_keep_total_brokerage() -> None:
    nodes, arcs = small_case(9, n=30, p=0.1)
    groups = {n: "ABCD"[i % 4] for i, n in enumerate(nodes)}
    first = brokerage_test(nodes, arcs, groups=groups, draws=200, seed=3)
    again = brokerage_test(nodes, arcs, groups=groups, draws=200, seed=3)
    other = brokerage_test(nodes, arcs, groups=groups, draws=200, seed=4)
    assert first.method == "monte carlo"
    assert first.tests == again.tests
    assert first.tests != other.tests
    # permuting labels never changes how many pairs are brokered
    assert first.tests["total"].p_greater == first.tests["total"].p_less == 1.0


def test_centralization_matches_its_definition_and_refuses_label_permutations() -> None:
    nodes = ["hub", "a", "b", "c"]
    arcs = [("hub", x) for x in "abc"] + [(x, "hub") for x in "abc"]
    values = centralization_of(nodes, arcs)
    # the two-way star is the most centralised digraph for both measures
    assert values["degree_centralization"] == pytest.approx(1.0)
    assert values["betweenness_centralization"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="labels"):
        centralization_test(nodes, arcs, null="labels")
    degrees = Counter(x for arc in arcs for x in arc)
    assert degrees["hub"] == 6
