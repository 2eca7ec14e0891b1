"""The network's evolution: one row of snapshot measures per stage, year or quarter."""

from __future__ import annotations

from typing import Any

from kb.analyses.network import case_periods, fetch, parse_types
from kb.measures.evolution import formed_dissolved, snapshot_metrics, unordered_pairs
from kb.store import Reader


def evolution(
    db: Reader,
    *,
    by: str = "stage",
    group_by: str | None = "sector",
    types: str | list[str] | None = None,
) -> list[dict[str, Any]]:
    """Per period: actors, ties, density, components, ties within and between groups,
    E-I index, and ties formed and dissolved since the previous period."""
    chosen = parse_types(types)
    network = fetch(db, types=chosen, group_by=group_by)
    rows: list[dict[str, Any]] = []
    previous: set[tuple[str, str]] | None = None
    for period in case_periods(db, by, types=chosen):
        snapshot = network.during(period)
        metrics = snapshot_metrics(
            snapshot.nodes, snapshot.arcs, groups=snapshot.groups if group_by else None
        )
        pairs = unordered_pairs(snapshot.arcs)
        formed, dissolved = (None, None) if previous is None else formed_dissolved(previous, pairs)
        rows.append(
            {
                "period": period.label,
                "first": period.first,
                "last": period.last,
                **metrics,
                "formed": None if formed is None else len(formed),
                "dissolved": None if dissolved is None else len(dissolved),
            }
        )
        previous = pairs
    return rows
