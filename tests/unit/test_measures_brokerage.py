"""Gould-Fernandez brokerage against hand counts, published sna output and exact moments.

The null model of sna's ``brokerage()`` draws every arc independently with probability ``d``
(the observed density). Under that model the moments of any brokerage count can be computed
exactly, independently of sna's closed forms, from the pairwise covariances of the two-path
indicators ``X_abc = A_ab A_bc (1 - A_ac)``; ``_exact_moments`` below does that, and
``test_exact_moments_match_full_enumeration`` checks it against a full enumeration of all
graphs on four actors.

Findings the tests pin down:

- per-actor expectations and variances (sna's ``exp.nli`` / ``sd.nli``) are exact;
- network-level expectations (``exp.gli``) are exact, and so are the network-level variances
  of the itinerant and liaison roles;
- sna's network-level variances of the coordinator, representative, gatekeeper and total
  roles leave out some negative covariances (two-paths that cannot both be open because one
  needs an arc the other forbids), so they exceed the exact variance by a closed-form amount
  (``_omitted_conflicts``). kb reproduces sna, so the tests check that identity.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections import Counter
from dataclasses import asdict

import networkx as nx
import pytest

from kb.measures.brokerage import ROLES, RoleStats, brokerage, brokerage_pairs, role_of


def _raw(by_role: dict[str, RoleStats]) -> dict[str, int]:
    return {role: stats.raw for role, stats in by_role.items()}


def _only(role: str, count: int) -> dict[str, int]:
    counts = dict.fromkeys(ROLES, 0)
    counts[role] = count
    counts["total"] = count
    return counts


# --- one hand-checked graph per role -------------------------------------------------------


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        # a -> b -> c, no a -> c: b brokers (a, c) once. Groups decide the role.
        ({"a": "X", "b": "X", "c": "X"}, "coordinator"),  # X X X
        ({"a": "X", "b": "Y", "c": "X"}, "itinerant"),  # a, c share a group b is not in
        ({"a": "X", "b": "X", "c": "Y"}, "representative"),  # b speaks for its group to c
        ({"a": "X", "b": "Y", "c": "Y"}, "gatekeeper"),  # b lets a into its group
        ({"a": "X", "b": "Y", "c": "Z"}, "liaison"),  # three groups
    ],
)
def test_each_role_on_a_single_two_path(groups: dict[str, str], role: str) -> None:
    result = brokerage(["a", "b", "c"], [("a", "b"), ("b", "c")], groups=groups)
    assert _raw(result.actors["b"]) == _only(role, 1)
    assert _raw(result.actors["a"]) == _only(role, 0)
    assert _raw(result.actors["c"]) == _only(role, 0)
    assert _raw(result.network) == _only(role, 1)


def test_gatekeeper_counts_every_outsider_and_insider() -> None:
    # Outsiders o1, o2 (group O) send to b; b sends to i1, i2 (group B, like b); o1 -> i1
    # already exists. Open two-paths through b: (o1,i2), (o2,i1), (o2,i2) = 3 gatekeeper.
    nodes = ["o1", "o2", "b", "i1", "i2"]
    arcs = [("o1", "b"), ("o2", "b"), ("b", "i1"), ("b", "i2"), ("o1", "i1")]
    groups = {"o1": "O", "o2": "O", "b": "B", "i1": "B", "i2": "B"}
    assert _raw(brokerage(nodes, arcs, groups=groups).actors["b"]) == _only("gatekeeper", 3)


def test_reciprocal_ties_broker_both_directions() -> None:
    # a <-> b <-> c and no a-c tie: b brokers (a, c) and (c, a); a and c broker nothing
    # (a -> b -> a is not a two-path between distinct actors).
    arcs = [("a", "b"), ("b", "a"), ("b", "c"), ("c", "b")]
    result = brokerage(["a", "b", "c"], arcs, groups={"a": "X", "b": "X", "c": "X"})
    assert result.actors["b"]["coordinator"].raw == 2
    assert result.actors["a"]["total"].raw == 0
    assert result.actors["c"]["total"].raw == 0
    assert brokerage_pairs(["a", "b", "c"], arcs) == {("a", "b", "c"), ("c", "b", "a")}


def test_reverse_arc_does_not_close_the_two_path() -> None:
    # a -> b -> c with c -> a: (a, c) is still open (no a -> c), so b brokers it. The two-paths
    # b -> c -> a and c -> a -> b are open as well (no b -> a, no c -> b): a 3-cycle is fully
    # brokered, one pair per actor.
    arcs = [("a", "b"), ("b", "c"), ("c", "a")]
    assert brokerage_pairs(["a", "b", "c"], arcs) == {
        ("a", "b", "c"),
        ("b", "c", "a"),
        ("c", "a", "b"),
    }


def test_closing_arc_removes_only_its_pair() -> None:
    # Adding a -> c to the 3-cycle closes (a, c) for b. c -> a -> b stays open (no c -> b),
    # b -> c -> a stays open (no b -> a); a -> c -> a is no two-path.
    arcs = [("a", "b"), ("b", "c"), ("c", "a"), ("a", "c")]
    assert brokerage_pairs(["a", "b", "c"], arcs) == {("b", "c", "a"), ("c", "a", "b")}


def test_parallel_arcs_and_self_loops_are_ignored() -> None:
    arcs = [("a", "b"), ("a", "b"), ("b", "b"), ("b", "c"), ("b", "c")]
    result = brokerage(["a", "b", "c"], arcs, groups={"a": "X", "b": "X", "c": "X"})
    assert result.network["total"].raw == 1
    assert result.density == pytest.approx(2 / 6)


def test_groups_of_size_one_and_two_and_isolates() -> None:
    # Groups: S = {s} (size 1), P = {p1, p2} (size 2), Q = {q1, q2, iso} with an isolate.
    # Arcs: p1 -> s -> p2, p1 -> s -> q1, q1 -> p1 -> s, q2 -> p1.
    nodes = ["s", "p1", "p2", "q1", "q2", "iso"]
    groups = {"s": "S", "p1": "P", "p2": "P", "q1": "Q", "q2": "Q", "iso": "Q"}
    arcs = [("p1", "s"), ("s", "p2"), ("s", "q1"), ("q1", "p1"), ("q2", "p1")]
    result = brokerage(nodes, arcs, groups=groups)
    # s brokers (p1, p2): P S P itinerant; (p1, q1): P S Q liaison.
    assert _raw(result.actors["s"]) == {
        **dict.fromkeys(ROLES, 0),
        "itinerant": 1,
        "liaison": 1,
        "total": 2,
    }
    # p1 brokers (q1, s): Q P S liaison; (q2, s): Q P S liaison.
    assert result.actors["p1"]["liaison"].raw == 2
    # q1 brokers (s, p1): S Q P liaison.
    assert result.actors["q1"]["liaison"].raw == 1
    assert result.actors["iso"]["total"].raw == 0
    assert result.group_sizes == {"S": 1, "P": 2, "Q": 3}
    # The isolate counts in N: d = 5 / (6 * 5).
    assert result.density == pytest.approx(5 / 30)
    # A broker alone in its group can be no coordinator or representative: expectation 0.
    for role in ("coordinator", "representative", "gatekeeper"):
        assert result.actors["s"][role].expected == 0.0
    # s is alone, so gatekeeping through s is impossible too (b and c must share a group).
    assert result.actors["s"]["coordinator"].z is None


# --- published sna output --------------------------------------------------------------------


def test_matches_published_sna_output() -> None:
    """The example of the cograph R package's brokerage pages, which state bit-exact agreement
    with ``sna::brokerage()$raw.nli`` (sonsoles.me/cograph/reference/centrality_brokerage_*):
    adjacency A->B, A->C, B->C, B->D, C->D, D->A with membership c(1, 1, 2, 2) gives
    coordinator 0 0 0 0, itinerant 1 0 0 1, representative 0 1 0 1, gatekeeper 1 0 1 0,
    liaison 0 0 0 0 for A B C D.
    """
    arcs = [("A", "B"), ("A", "C"), ("B", "C"), ("B", "D"), ("C", "D"), ("D", "A")]
    groups = {"A": "1", "B": "1", "C": "2", "D": "2"}
    result = brokerage(list("ABCD"), arcs, groups=groups)
    published = {
        "coordinator": [0, 0, 0, 0],
        "itinerant": [1, 0, 0, 1],
        "representative": [0, 1, 0, 1],
        "gatekeeper": [1, 0, 1, 0],
        "liaison": [0, 0, 0, 0],
    }
    for role, column in published.items():
        assert [result.actors[v][role].raw for v in "ABCD"] == column, role


def test_role_names_follow_sna_code_not_old_help_text() -> None:
    # sna's C code: cl[i]==cl[j]!=cl[k] is b_IO "Representative"; cl[i]!=cl[j]==cl[k] is b_OI
    # "Gatekeeping". Old help pages swapped the two in the prose.
    assert role_of("X", "X", "Y") == "representative"
    assert role_of("X", "Y", "Y") == "gatekeeper"
    assert role_of("X", "Y", "X") == "itinerant"
    assert role_of("X", "Y", "Z") == "liaison"
    assert role_of("X", "X", "X") == "coordinator"


# --- raw counts against brute force ----------------------------------------------------------


def _random_case(rng: random.Random) -> tuple[list[str], list[tuple[str, str]], dict[str, str]]:
    n = rng.randint(3, 12)
    nodes = [f"v{k}" for k in range(n)]
    p = rng.uniform(0.1, 0.6)
    arcs = [(a, b) for a in nodes for b in nodes if a != b and rng.random() < p]
    arcs += rng.sample(arcs, k=min(3, len(arcs)))  # parallel arcs
    arcs.append((nodes[0], nodes[0]))  # a self-loop
    labels = ["A", "B", "C", "D"][: rng.randint(1, 4)]
    groups = {v: rng.choice(labels) for v in nodes}
    return nodes, arcs, groups


def test_raw_counts_match_brute_force_over_all_triples() -> None:
    rng = random.Random(20150401)
    for _ in range(60):
        nodes, arcs, groups = _random_case(rng)
        graph = nx.DiGraph()
        graph.add_nodes_from(nodes)
        graph.add_edges_from((a, b) for a, b in arcs if a != b)
        expected: dict[str, Counter[str]] = {v: Counter() for v in nodes}
        pairs = set()
        for a, b, c in itertools.permutations(nodes, 3):
            if graph.has_edge(a, b) and graph.has_edge(b, c) and not graph.has_edge(a, c):
                expected[b][role_of(groups[a], groups[b], groups[c])] += 1
                expected[b]["total"] += 1
                pairs.add((a, b, c))
        result = brokerage(nodes, arcs, groups=groups)
        for v in nodes:
            assert _raw(result.actors[v]) == {role: expected[v][role] for role in ROLES}
        for role in ROLES:
            assert result.network[role].raw == sum(expected[v][role] for v in nodes)
        assert brokerage_pairs(nodes, arcs) == pairs


# --- null-model moments ----------------------------------------------------------------------


Triple = tuple[str, str, str]


def _exact_moments(triples: list[Triple], d: float) -> tuple[float, float]:
    """Exact mean and variance of the number of open two-paths among ``triples`` when every
    arc is present independently with probability ``d``."""
    mean = len(triples) * d * d * (1 - d)
    second = 0.0
    for t in triples:
        for u in triples:
            present = {(t[0], t[1]), (t[1], t[2]), (u[0], u[1]), (u[1], u[2])}
            absent = {(t[0], t[2]), (u[0], u[2])}
            if not present & absent:
                second += d ** len(present) * (1 - d) ** len(absent)
    return mean, second - mean * mean


def _triples(groups: dict[str, str], role: str, broker: str | None = None) -> list[Triple]:
    return [
        (a, b, c)
        for a, b, c in itertools.permutations(groups, 3)
        if (broker is None or b == broker)
        and (role == "total" or role_of(groups[a], groups[b], groups[c]) == role)
    ]


def _omitted_conflicts(role: str, sizes: list[int], d: float) -> float:
    """How much sna's network-level variance exceeds the exact one.

    For an open two-path a -> b -> c, the two-paths a -> c -> b and b -> a -> c need an arc
    it forbids (a -> c) or forbid one it needs (a -> b, b -> c): covariance -d^4 (1-d)^2.
    sna's coordinator and total formulas omit these two per two-path; its representative
    (and gatekeeper) formula has no such term at all, omitting the 2n - 3 conflicting
    representative two-paths (y, a, c) and (b, y, c) per two-path.
    """
    t4 = d**4 * (1 - d) ** 2
    big_n = sum(sizes)
    if role == "coordinator":
        return 2 * t4 * sum(n * (n - 1) * (n - 2) for n in sizes)
    if role == "total":
        return 2 * t4 * big_n * (big_n - 1) * (big_n - 2)
    if role in ("representative", "gatekeeper"):
        return t4 * sum(n * (big_n - n) * (n - 1) * (2 * n - 3) for n in sizes)
    return 0.0


def _graph_with_density(nodes: list[str], m: int) -> list[tuple[str, str]]:
    return list(itertools.permutations(nodes, 2))[:m]


@pytest.mark.parametrize(
    "labels",
    [
        "XXXYYZW",  # sizes 3, 2, 1, 1
        "XXYYZZ",  # sizes 2, 2, 2
        "XXXXYYY",  # two groups
        "XXXXX",  # one group
        "XYZWV",  # every actor alone
    ],
)
def test_moments_against_exact_bernoulli_model(labels: str) -> None:
    nodes = [f"v{k}" for k in range(len(labels))]
    groups = dict(zip(nodes, labels, strict=True))
    big_n = len(nodes)
    m = (big_n * (big_n - 1)) // 3
    result = brokerage(nodes, _graph_with_density(nodes, m), groups=groups)
    d = m / (big_n * (big_n - 1))
    assert result.density == pytest.approx(d)
    sizes = list(Counter(labels).values())

    for role in ROLES:
        mean, variance = _exact_moments(_triples(groups, role), d)
        stats = result.network[role]
        assert stats.expected == pytest.approx(mean, rel=1e-9, abs=1e-12)
        sna_variance = variance + _omitted_conflicts(role, sizes, d)
        assert stats.sd == pytest.approx(math.sqrt(sna_variance), rel=1e-9, abs=1e-12)
        if stats.sd:
            assert stats.z == pytest.approx((stats.raw - mean) / stats.sd)
        else:
            assert stats.z is None

    for broker in nodes:
        for role in ROLES:
            mean, variance = _exact_moments(_triples(groups, role, broker), d)
            stats = result.actors[broker][role]
            assert stats.expected == pytest.approx(mean, rel=1e-9, abs=1e-12)
            assert stats.sd == pytest.approx(math.sqrt(variance), rel=1e-9, abs=1e-12)


def test_exact_moments_match_full_enumeration() -> None:
    """Check the covariance computation itself on all 2^12 graphs over four actors."""
    groups = {"a": "X", "b": "X", "c": "Y", "d": "Z"}
    nodes = list(groups)
    possible = list(itertools.permutations(nodes, 2))
    d = 0.3
    moments = {role: [0.0, 0.0] for role in ROLES}
    broker_moments = {role: [0.0, 0.0] for role in ROLES}
    for mask in range(1 << len(possible)):
        arcs = [arc for k, arc in enumerate(possible) if mask >> k & 1]
        weight = d ** len(arcs) * (1 - d) ** (len(possible) - len(arcs))
        result = brokerage(nodes, arcs, groups=groups)
        for role in ROLES:
            x = result.network[role].raw
            moments[role][0] += weight * x
            moments[role][1] += weight * x * x
            y = result.actors["a"][role].raw
            broker_moments[role][0] += weight * y
            broker_moments[role][1] += weight * y * y
    for role in ROLES:
        mean, variance = _exact_moments(_triples(groups, role), d)
        assert moments[role][0] == pytest.approx(mean)
        assert moments[role][1] - moments[role][0] ** 2 == pytest.approx(variance)
        mean, variance = _exact_moments(_triples(groups, role, "a"), d)
        assert broker_moments[role][0] == pytest.approx(mean)
        assert broker_moments[role][1] - broker_moments[role][0] ** 2 == pytest.approx(variance)


def test_z_is_none_when_sd_is_zero_and_moments_none_below_two_actors() -> None:
    nodes = ["a", "b", "c"]
    groups = dict.fromkeys(nodes, "X")
    complete = brokerage(nodes, list(itertools.permutations(nodes, 2)), groups=groups)
    assert complete.density == 1.0
    assert complete.network["total"] == RoleStats(raw=0, expected=0.0, sd=0.0, z=None)
    empty = brokerage(nodes, [], groups=groups)
    assert empty.actors["a"]["total"].sd == 0.0
    assert empty.actors["a"]["total"].z is None
    single = brokerage(["a"], [], groups={"a": "X"})
    assert single.density is None
    assert single.network["total"].expected is None
    assert single.actors["a"]["total"].z is None


def test_result_is_json_serialisable_with_plain_floats() -> None:
    nodes = [f"v{k}" for k in range(6)]
    groups = dict(zip(nodes, "XXYYZZ", strict=True))
    arcs = [("v0", "v2"), ("v2", "v4"), ("v4", "v1"), ("v1", "v3"), ("v3", "v5")]
    result = brokerage(nodes, arcs, groups=groups)
    data = asdict(result)
    text = json.dumps(data, allow_nan=False)
    assert "NaN" not in text
    stats = result.network["liaison"]
    assert type(stats.expected) is float and type(stats.sd) is float
    assert type(stats.z) is float


def test_missing_group_or_unknown_actor_is_an_error() -> None:
    with pytest.raises(ValueError, match="no group: c"):
        brokerage(["a", "b", "c"], [("a", "b")], groups={"a": "X", "b": "X"})
    with pytest.raises(ValueError, match="not in the node list: z"):
        brokerage(["a", "b"], [("a", "z")], groups={"a": "X", "b": "X"})


def test_brokerage_pairs_before_and_after_a_reform() -> None:
    # Before: the CLSC organiser o links community groups c1, c2 to the agency a.
    before = [("c1", "o"), ("c2", "o"), ("o", "a")]
    # After: the agency is gone; c1 reaches the new CISSS x directly, o links c2 to x.
    after = [("c1", "x"), ("c2", "o"), ("o", "x")]
    nodes = ["c1", "c2", "o", "a", "x"]
    old, new = brokerage_pairs(nodes, before), brokerage_pairs(nodes, after)
    assert not old & new  # nothing kept
    assert old - new == {("c1", "o", "a"), ("c2", "o", "a")}
    assert new - old == {("c2", "o", "x")}
