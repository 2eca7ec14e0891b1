"""Gould and Fernandez (1989) brokerage roles, as statnet's ``sna::brokerage(g, cl)``.

Broker ``b`` brokers the ordered pair ``(a, c)`` when ``a -> b`` and ``b -> c`` exist, the
three are distinct and there is no arc ``a -> c`` (an arc ``c -> a`` does not close the
two-path). By the groups ``G`` of the three actors the two-path is:

- coordinator: ``G(a) = G(b) = G(c)``            (sna ``w_I``)
- itinerant:   ``G(a) = G(c) != G(b)``           (sna ``w_O``; also called consultant)
- representative: ``G(a) = G(b) != G(c)``        (sna ``b_IO``)
- gatekeeper:  ``G(a) != G(b) = G(c)``           (sna ``b_OI``)
- liaison:     all three groups differ           (sna ``b_O``)

Expected values and standard deviations follow sna's null model: every arc present
independently with the observed density ``d = m / (N (N - 1))``. The formulas are those of
sna's ``brokerage()`` (R/nli.R), transcribed term by term; see docs/analyses.md.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kb.measures.arcs import Arc, check_groups, collapse_arcs

ROLES: tuple[str, ...] = (
    "coordinator",
    "itinerant",
    "representative",
    "gatekeeper",
    "liaison",
    "total",
)


@dataclass(frozen=True)
class RoleStats:
    """Observed count of one role and its null-model moments.

    ``expected``, ``sd`` and ``z`` are ``None`` when the density is undefined (fewer than
    two actors); ``z`` is also ``None`` when ``sd`` is 0.
    """

    raw: int
    expected: float | None
    sd: float | None
    z: float | None


@dataclass(frozen=True)
class BrokerageResult:
    """Network-level and per-actor brokerage, keyed by role name (see ``ROLES``).

    ``density`` is the ``d`` of the null model (``None`` below two actors); ``group_sizes``
    counts the actors of each group, isolates included.
    """

    network: dict[str, RoleStats]
    actors: dict[str, dict[str, RoleStats]]
    density: float | None
    group_sizes: dict[str, int]


def role_of(group_a: str, group_b: str, group_c: str) -> str:
    """Name the Gould-Fernandez role of broker ``b`` on the two-path ``a -> b -> c``."""
    if group_a == group_b:
        return "coordinator" if group_b == group_c else "representative"
    if group_b == group_c:
        return "gatekeeper"
    if group_a == group_c:
        return "itinerant"
    return "liaison"


def brokerage_pairs(nodes: Iterable[str], arcs: Iterable[Arc]) -> set[tuple[str, str, str]]:
    """Return every open two-path ``(a, b, c)``: ``a -> b -> c``, distinct, no ``a -> c``.

    ``b`` is the broker. Comparing these sets before and after an event shows the brokerage
    opportunities kept, lost and gained.

    Args:
        nodes: Node ids, isolates included.
        arcs: Directed ``(source, target)`` pairs; parallel arcs collapse, self-loops drop.

    Returns:
        The set of ``(a, b, c)`` triples.

    Raises:
        ValidationError: An arc names a node that is not in ``nodes``.
    """
    _, arc_set = collapse_arcs(nodes, arcs)
    successors: dict[str, set[str]] = {}
    predecessors: dict[str, set[str]] = {}
    for source, target in arc_set:
        successors.setdefault(source, set()).add(target)
        predecessors.setdefault(target, set()).add(source)
    triples: set[tuple[str, str, str]] = set()
    for b, ins in predecessors.items():
        outs = successors.get(b, set())
        for a in ins:
            a_out = successors.get(a, set())
            for c in outs:
                if c != a and c not in a_out:
                    triples.add((a, b, c))
    return triples


def _role_counts(
    node_list: list[str], arc_set: set[Arc], groups: Mapping[str, str]
) -> dict[str, Counter[str]]:
    """Role counts per broker without listing the two-paths (their number explodes at hubs).

    For broker b and in-neighbour a, the open c are b's successors less a and less a's own
    successors; only the closed ones (a C-level set intersection, usually small) are
    looked at one by one. The counts equal classifying every triple of `brokerage_pairs`
    with `role_of` (tested).
    """
    successors: dict[str, set[str]] = {}
    predecessors: dict[str, set[str]] = {}
    for source, target in arc_set:
        successors.setdefault(source, set()).add(target)
        predecessors.setdefault(target, set()).add(source)
    counts: dict[str, Counter[str]] = {node: Counter() for node in node_list}
    empty: set[str] = set()
    for b, ins in predecessors.items():
        outs = successors.get(b)
        if not outs:
            continue
        g_b = groups[b]
        outs_by_group = Counter(groups[c] for c in outs)
        role = counts[b]
        for a in ins:
            g_a = groups[a]
            closed = outs & successors.get(a, empty)
            back = a in outs  # c = a is not a two-path
            open_total = len(outs) - len(closed) - back
            closed_b = sum(1 for c in closed if groups[c] == g_b)
            if g_a == g_b:
                in_b = outs_by_group[g_b] - closed_b - back
                role["coordinator"] += in_b
                role["representative"] += open_total - in_b
            else:
                in_b = outs_by_group[g_b] - closed_b
                in_a = outs_by_group[g_a] - sum(1 for c in closed if groups[c] == g_a) - back
                role["gatekeeper"] += in_b
                role["itinerant"] += in_a
                role["liaison"] += open_total - in_b - in_a
    return counts


def _choose2(x: float) -> float:
    # R's choose(x, 2) for real x.
    return x * (x - 1) / 2


def _actor_moments(
    n_i: float, others: list[float], big_n: float, d: float
) -> dict[str, tuple[float, float]]:
    """sna's per-broker expectation and variance by role, for a broker in a group of n_i."""
    q = d * d * (1 - d)
    r = d**3 * (1 - d) ** 3
    out: dict[str, tuple[float, float]] = {}
    e = q * (n_i - 1) * (n_i - 2)
    out["coordinator"] = (e, e * (1 - q) + 2 * (n_i - 1) * (n_i - 2) * (n_i - 3) * r)
    e = q * sum(n * (n - 1) for n in others)
    out["itinerant"] = (e, e * (1 - q) + 2 * sum(n * (n - 1) * (n - 2) for n in others) * r)
    e = q * (big_n - n_i) * (n_i - 1)
    v = (
        e * (1 - q)
        + 2 * ((n_i - 1) * _choose2(big_n - n_i) + (big_n - n_i) * _choose2(n_i - 1)) * r
    )
    out["representative"] = (e, v)
    out["gatekeeper"] = (e, v)
    e = q * (sum(others) ** 2 - sum(n * n for n in others))
    out["liaison"] = (
        e,
        e * (1 - q) + 4 * sum(n * _choose2(big_n - n - n_i) * r for n in others),
    )
    e = q * (big_n - 1) * (big_n - 2)
    out["total"] = (e, e * (1 - q) + 2 * (big_n - 1) * (big_n - 2) * (big_n - 3) * r)
    return out


def _network_moments(sizes: list[float], big_n: float, d: float) -> dict[str, tuple[float, float]]:
    """sna's network-level expectation and variance by role."""
    q = d * d * (1 - d)
    t3 = d**3 * (1 - d) ** 3
    t4 = d**4 * (1 - d) ** 2
    t5 = d**5 * (1 - d)
    out: dict[str, tuple[float, float]] = {}

    def within_like(n: float) -> float:
        return n * (n - 1) * (n - 2) * ((4 * n - 10) * t3 - 4 * (n - 3) * t4 + (n - 3) * t5)

    e = q * sum(n * (n - 1) * (n - 2) for n in sizes)
    out["coordinator"] = (e, e * (1 - q) + sum(within_like(n) for n in sizes))

    e = q * sum(n * (big_n - n) * (n - 1) for n in sizes)
    v = e * (1 - q)
    v += sum(
        x * y * (x - 1) * ((2 * x + 2 * y - 6) * t3 + (big_n - x - 1) * t5)
        for x in sizes
        for y in sizes
    )
    v -= sum(n * n * (n - 1) * ((4 * n - 6) * t3 + (big_n - n - 1) * t5) for n in sizes)
    out["itinerant"] = (e, v)

    e = q * sum(n * (big_n - n) * (n - 1) for n in sizes)
    v = e * (1 - q) + sum(
        n * (big_n - n) * (n - 1) * ((big_n - 3) * t3 + (n - 2) * t5) for n in sizes
    )
    out["representative"] = (e, v)
    out["gatekeeper"] = (e, v)

    e = q * (
        sum(x * y * (big_n - x - y) for x in sizes for y in sizes)
        - sum(n * n * (big_n - 2 * n) for n in sizes)
    )
    v = e * (1 - q)
    k = len(sizes)
    for i in range(k):
        for j in range(k):
            for h in range(k):
                if i != j and j != h and i != h:
                    ni, nj, nh = sizes[i], sizes[j], sizes[h]
                    v += (
                        ni
                        * nj
                        * nh
                        * (
                            (4 * (big_n - nj) - 2 * (ni + nh + 1)) * t3
                            - (4 * (big_n - nh) - 2 * (ni + nj + 1)) * t4
                            + (big_n - (ni + nh + 1)) * t5
                        )
                    )
    out["liaison"] = (e, v)

    e = q * big_n * (big_n - 1) * (big_n - 2)
    out["total"] = (e, e * (1 - q) + within_like(big_n))
    return out


def _stats(raw: int, moments: tuple[float, float] | None) -> RoleStats:
    if moments is None:
        return RoleStats(raw=raw, expected=None, sd=None, z=None)
    expected, variance = moments
    # Rounding can leave a variance a hair below zero where it is exactly zero.
    if variance < 0 and variance > -1e-12:
        variance = 0.0
    if variance < 0:
        return RoleStats(raw=raw, expected=float(expected), sd=None, z=None)
    sd = math.sqrt(variance)
    z = (raw - expected) / sd if sd > 0 else None
    return RoleStats(raw=raw, expected=float(expected), sd=float(sd), z=z)


def brokerage(
    nodes: Iterable[str], arcs: Iterable[Arc], *, groups: Mapping[str, str]
) -> BrokerageResult:
    """Count Gould-Fernandez brokerage roles and test them against sna's density null model.

    Args:
        nodes: Node ids, isolates included (they count in ``N`` and in group sizes, as in
            sna, and broker nothing).
        arcs: Directed ``(source, target)`` pairs; parallel arcs collapse, self-loops drop.
            The density is ``distinct arcs / (N (N - 1))``.
        groups: Group of every node.

    Returns:
        Raw counts, expectations, standard deviations and z-scores per role, for the whole
        network and for every actor (the per-actor moments depend on the broker's group).

    Raises:
        ValidationError: An arc names an unknown node, or a node has no group.
    """
    node_list, arc_set = collapse_arcs(nodes, arcs)
    check_groups(node_list, groups)
    counts = _role_counts(node_list, arc_set, groups)

    group_sizes = dict(Counter(groups[node] for node in node_list))
    big_n = len(node_list)
    density = len(arc_set) / (big_n * (big_n - 1)) if big_n >= 2 else None

    actor_moments: dict[str, dict[str, tuple[float, float]]] = {}
    network_moments: dict[str, tuple[float, float]] | None = None
    if density is not None:
        sizes = [float(s) for s in group_sizes.values()]
        network_moments = _network_moments(sizes, float(big_n), density)
        for group, size in group_sizes.items():
            others = [float(s) for g, s in group_sizes.items() if g != group]
            actor_moments[group] = _actor_moments(float(size), others, float(big_n), density)

    actors: dict[str, dict[str, RoleStats]] = {}
    totals: Counter[str] = Counter()
    for node in node_list:
        raw = counts[node]
        raw["total"] = sum(raw[role] for role in ROLES[:-1])
        totals.update(raw)
        moments = actor_moments.get(groups[node])
        actors[node] = {
            role: _stats(raw[role], moments[role] if moments else None) for role in ROLES
        }
    network = {
        role: _stats(totals[role], network_moments[role] if network_moments else None)
        for role in ROLES
    }
    return BrokerageResult(network=network, actors=actors, density=density, group_sizes=group_sizes)
