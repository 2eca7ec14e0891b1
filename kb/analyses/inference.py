"""Null-model tests for the case-level analyses: options checked once, results as plain data.

`kb.analyses.brokerage`, `evolution` and `centrality` call these when asked for
``permutations``; the tests themselves are `kb.measures.permutation` (docs/analyses.md).
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from kb.errors import ParameterError

if TYPE_CHECKING:
    from kb.measures.permutation import NullResult

NULLS = ("labels", "cug-edges")
# More draws only shrink the Monte Carlo standard error sqrt(p (1 - p) / draws), already at
# most 0.0016 with 100,000 of them, while the run time grows with the count (about a minute
# per 100,000 on a small case): a larger count would look like a hang for no gain.
MAX_PERMUTATIONS = 100_000
MAX_PERMUTATIONS_WHY = (
    "With 100,000 random draws a p-value's Monte Carlo standard error is at most 0.0016, and "
    "more draws take longer without changing a conclusion; when the distinct draws are fewer "
    "than 20,000 they are all enumerated anyway (exact p-values)."
)


def check_options(
    permutations: int,
    null: str,
    *,
    allowed: tuple[str, ...] = NULLS,
    seed: int | None = None,
) -> None:
    """Raises ValidationError for a count outside 0..`MAX_PERMUTATIONS`, a negative seed or
    a null model the analysis lacks."""
    if permutations < 0:
        raise ParameterError("permutations", permutations, "give 0 (no test) or more.")
    if permutations > MAX_PERMUTATIONS:
        raise ParameterError(
            "permutations",
            permutations,
            f"at most {MAX_PERMUTATIONS:,}. {MAX_PERMUTATIONS_WHY}",
        )
    if seed is not None and seed < 0:
        raise ParameterError("seed", seed, "give 0 or a positive whole number.")
    if null not in allowed:
        raise ParameterError("null", null, f"use one of {', '.join(allowed)}.")


def describe(result: NullResult) -> str:
    """One line saying how the p-values were obtained."""
    what = "labelings" if result.null == "labels" else "graphs"
    if result.method == "exact":
        return f"exact: all {result.draws:,} distinct {what} enumerated ({result.null} null)"
    return f"Monte Carlo: {result.draws:,} random {what}, seed {result.seed} ({result.null} null)"


def as_data(result: NullResult) -> dict[str, Any]:
    """The test without per-actor details: null, method, draws, seed, tests, description."""
    return {
        "null": result.null,
        "method": result.method,
        "draws": result.draws,
        "seed": result.seed,
        "description": describe(result),
        "tests": {name: finite(asdict(test)) for name, test in result.tests.items()},
    }


def finite(values: dict[str, Any]) -> dict[str, Any]:
    """NaN (an undefined statistic, e.g. the E-I index without ties) as None."""
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in values.items()}
