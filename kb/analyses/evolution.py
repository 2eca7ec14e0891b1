"""The network's evolution: one row of snapshot measures per stage, year or quarter."""

from __future__ import annotations

from typing import Any

from kb.analyses.inference import as_data, check_options
from kb.analyses.network import Network, case_periods, fetch
from kb.analyses.selection import ALL_TIES, Selection
from kb.errors import ParameterError
from kb.measures.evolution import formed_dissolved, snapshot_metrics, unordered_pairs
from kb.results import Rows
from kb.store import Reader


class Evolution(Rows):
    """`evolution`'s answer (``kb evolution``): one record per period."""

    def test_records(self) -> list[dict[str, Any]]:
        """The null-model tests, one record per period and statistic: ``{period,
        statistic, observed, mean, sd, p_greater, p_less, draws, description}``."""
        return [
            {
                "period": row["period"],
                "statistic": name,
                **test,
                "draws": row["test"]["draws"],
                "description": row["test"]["description"],
            }
            for row in self.rows
            if row.get("test")
            for name, test in row["test"]["tests"].items()
        ]


def evolution(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    by: str = "stage",
    group_by: str | None = "sector",
    permutations: int = 0,
    seed: int | None = None,
    null: str = "labels",
) -> Evolution:
    """Per period: actors, ties, density, components, ties within and between groups,
    E-I index, and ties formed and dissolved since the previous period.

    With ``permutations`` > 0 and groups, each period also has ``"test"``: the E-I index
    and the arc densities within and between groups among the actors with ties, against
    ``null`` (``labels`` or ``cug-edges``; `kb.measures.permutation.group_test`).

    ``selection`` chooses the ties (`kb.analyses.selection.Selection`; the periods replace
    its own); every row records its evidence rule. Years and quarters span the dated ties
    of its types whatever their evidence, so two selections compare the same periods.
    """
    check_options(permutations, null, seed=seed)
    if permutations and not group_by:
        raise ParameterError.sentence("Permutation tests of the E-I index need {group_by}.")
    network = fetch(db, selection.during(None), group_by=group_by)
    rows: list[dict[str, Any]] = []
    previous: set[tuple[str, str]] | None = None
    for period in case_periods(db, by, types=selection.types):
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
                **selection.evidence_params(),
            }
        )
        if permutations:
            rows[-1]["test"] = _group_test(snapshot, permutations, seed, null)
        previous = pairs
    return Evolution(tuple(rows))


def _group_test(
    snapshot: Network, permutations: int, seed: int | None, null: str
) -> dict[str, Any] | None:
    """The null-model test of the period's group statistics, among the actors with ties."""
    from kb.measures.permutation import group_test

    tied = sorted({end for arc in snapshot.arcs for end in arc if arc[0] != arc[1]})
    if len(tied) < 2:
        return None
    groups = {node: snapshot.groups[node] for node in tied}
    return as_data(
        group_test(tied, snapshot.arcs, groups=groups, null=null, draws=permutations, seed=seed)
    )
