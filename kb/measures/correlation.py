"""Spearman's rank correlation, as R's ``cor(x, y, method = "spearman")`` computes it.

Tied values get the mean of the ranks they span, and rho is Pearson's correlation of the
ranks (scipy's `spearmanr`; tests/unit/test_correlation.py checks it against R).
"""

from __future__ import annotations

from collections.abc import Sequence


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho of two equally long score lists.

    Raises:
        ValueError: lengths differ, fewer than two values, or a list is constant (rho is
            undefined, where R returns NA with a warning).
    """
    from scipy.stats import spearmanr

    if len(x) != len(y):
        raise ValueError(f"spearman: {len(x)} and {len(y)} values; give as many of each.")
    if len(x) < 2 or len(set(x)) == 1 or len(set(y)) == 1:
        raise ValueError("spearman: rho is undefined for constant or single scores.")
    return float(spearmanr(x, y).statistic)
