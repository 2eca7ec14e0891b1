"""Burt's (1992) constraint and effective size, on directed data.

A contact of ``i`` is anyone ``i`` sends a tie to or receives one from. With ``a_ij`` the tie
from ``i`` to ``j`` (0/1, or the summed weight):

- proportional tie strength ``p_ij = (a_ij + a_ji) / sum_k (a_ik + a_ki)``;
- constraint ``c_i = sum_j (p_ij + sum_{q != i, j} p_iq p_qj) ** 2``;
- effective size ``ES_i = sum_j [1 - sum_{q != i, j} p_iq m_jq]`` with
  ``m_jq = (a_jq + a_qj) / max_k (a_jk + a_kj)``.

Sums over ``j`` and ``q`` run over the contacts of ``i``. Isolates have neither measure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kb.measures.arcs import Arc, collapse_arcs


@dataclass(frozen=True)
class HoleStats:
    """Constraint and effective size of one actor; ``None`` for an isolate."""

    constraint: float | None
    effective_size: float | None


def sum_arc_weights(weighted_arcs: Iterable[tuple[str, str, float]]) -> dict[Arc, float]:
    """Sum the weights of parallel arcs (one per tie type, say) into one weight per arc.

    Self-loops are dropped.
    """
    weights: dict[Arc, float] = {}
    for source, target, weight in weighted_arcs:
        if source != target:
            weights[(source, target)] = weights.get((source, target), 0.0) + float(weight)
    return weights


def _mutual_weights(
    arc_set: set[Arc], weights: Mapping[Arc, float] | None
) -> dict[str, dict[str, float]]:
    """Return ``mw[i][j] = a_ij + a_ji`` for every pair of contacts, in both directions."""
    if weights is not None:
        missing = sorted(arc for arc in arc_set if arc not in weights)
        bad = sorted(arc for arc in arc_set if arc in weights and not weights[arc] > 0)
        if missing or bad:
            issues = [f"no weight for {s} -> {t}" for s, t in missing]
            issues += [f"weight of {s} -> {t} is not positive" for s, t in bad]
            raise ValueError(f"{len(issues)} tie weight problem(s): {'; '.join(issues[:5])}.")
    mutual: dict[str, dict[str, float]] = {}
    # In a fixed order: the sums below run over these rows, and a set's order changes with
    # the process's hash seed (the same case gave constraints differing in the last bits).
    for source, target in sorted(arc_set):
        weight = 1.0 if weights is None else float(weights[(source, target)])
        row = mutual.setdefault(source, {})
        row[target] = row.get(target, 0.0) + weight
        col = mutual.setdefault(target, {})
        col[source] = col.get(source, 0.0) + weight
    return mutual


def structural_holes(
    nodes: Iterable[str],
    arcs: Iterable[Arc],
    *,
    weights: Mapping[Arc, float] | None = None,
) -> dict[str, HoleStats]:
    """Compute Burt's constraint and effective size for every actor.

    Args:
        nodes: Node ids, isolates included.
        arcs: Directed ``(source, target)`` pairs; parallel arcs collapse, self-loops drop.
        weights: Optional positive weight of each distinct arc, keyed ``(source, target)``;
            parallel ties must already be summed into one weight (see ``sum_arc_weights``).
            Weights of pairs that are not arcs are ignored. Without weights every arc
            counts 1.

    Returns:
        ``HoleStats`` per node id; both values are ``None`` for isolates.

    Raises:
        ValueError: An arc names an unknown node, or has no positive weight.
    """
    node_list, arc_set = collapse_arcs(nodes, arcs)
    mutual = _mutual_weights(arc_set, weights)
    total = {i: sum(row.values()) for i, row in mutual.items()}
    largest = {i: max(row.values()) for i, row in mutual.items()}

    def p(i: str, j: str) -> float:
        return mutual[i].get(j, 0.0) / total[i]

    result: dict[str, HoleStats] = {}
    for i in node_list:
        contacts = mutual.get(i)
        if not contacts:
            result[i] = HoleStats(constraint=None, effective_size=None)
            continue
        constraint = 0.0
        effective_size = 0.0
        for j in contacts:
            indirect = 0.0
            redundancy = 0.0
            for q in contacts:
                if q == j:
                    continue
                p_iq = p(i, q)
                indirect += p_iq * p(q, j)
                redundancy += p_iq * mutual[j].get(q, 0.0) / largest[j]
            constraint += (p(i, j) + indirect) ** 2
            effective_size += 1.0 - redundancy
        result[i] = HoleStats(constraint=constraint, effective_size=effective_size)
    return result
