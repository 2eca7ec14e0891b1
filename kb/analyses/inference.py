"""Null-model tests for the case-level analyses: options checked once, results as plain data.

`kb.analyses.brokerage`, `evolution` and `centrality` call these when asked for
``permutations``; the tests themselves are `kb.measures.permutation` (docs/analyses.md).
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from kb.errors import ValidationError

if TYPE_CHECKING:
    from kb.measures.permutation import NullResult

NULLS = ("labels", "cug-edges")


def check_options(permutations: int, null: str, *, allowed: tuple[str, ...] = NULLS) -> None:
    """Raises ValidationError for a negative count or a null model the analysis lacks."""
    if permutations < 0:
        raise ValidationError(f"--permutations {permutations}: give 0 (no test) or more.")
    if null not in allowed:
        raise ValidationError(f"--null {null!r}: use one of {', '.join(allowed)}.")


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
