"""Inter-coder agreement on nominal values: Krippendorff's alpha, Cohen's kappa, percent
agreement, and a bootstrap interval for alpha. Numbers in, numbers out; no database.

Reliability data are a list of units, each a tuple of one value per coder (None: the coder
did not code the unit). A statistic that is undefined on the data (one category only, no
unit with two values) is None, never a number: the caller says why (`undefined_alpha`).

- **Alpha** (Krippendorff 2011, "Computing Krippendorff's alpha-reliability", nominal
  metric): units with fewer than two values are not pairable and drop out; the coincidence
  matrix o_ck counts each ordered pair of values within a unit with weight 1/(m_u - 1);
  alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k.
- **Kappa** (Cohen 1960) for two coders on the units both coded: (p_o - p_e) / (1 - p_e),
  p_e from each coder's own marginal proportions.
- **Bootstrap** for alpha after Hayes & Krippendorff (2007) and Krippendorff's algorithm
  (2006, rev. 2011): resamples draw as many pairs of values as the data hold (sum over
  units of m_u (m_u - 1) / 2) from the observed coincidences, keep the expected
  disagreement fixed, and give alpha* = 1 - D_o* / D_e; alpha* is capped at 1 and at -1
  (Krippendorff's correction) and the interval is the percentile interval.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

Value = Hashable
Unit = Sequence[Value | None]

BOOTSTRAP_SAMPLES = 1000
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Coincidences:
    """The coincidence matrix of reliability data, nominal metric.

    Attributes:
        pairable: n, the number of values in units with at least two values.
        pairs: the pairs of values within units, sum of m_u (m_u - 1) / 2.
        observed: sum of o_ck over c != k (the observed disagreeing coincidences).
        marginals: n_c per value.
    """

    pairable: int
    pairs: int
    observed: float
    marginals: dict[Value, int]

    @property
    def expected(self) -> float:
        """sum over c != k of n_c n_k (the expected disagreement, times n (n - 1))."""
        total = sum(self.marginals.values())
        return float(total * total - sum(n * n for n in self.marginals.values()))

    @property
    def observed_disagreement(self) -> float:
        """D_o = sum_{c != k} o_ck / n."""
        return self.observed / self.pairable if self.pairable else 0.0

    @property
    def expected_disagreement(self) -> float:
        """D_e = sum_{c != k} n_c n_k / (n (n - 1))."""
        n = self.pairable
        return self.expected / (n * (n - 1)) if n > 1 else 0.0


def coincidences(units: Sequence[Unit]) -> Coincidences:
    """The coincidence matrix of ``units`` (missing values are None)."""
    pairable = pairs = 0
    observed = 0.0
    marginals: Counter[Value] = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        pairable += m
        pairs += m * (m - 1) // 2
        marginals.update(counts)
        # Ordered pairs of different values in the unit, each weighted 1/(m - 1).
        same = sum(c * (c - 1) for c in counts.values())
        observed += (m * (m - 1) - same) / (m - 1)
    return Coincidences(pairable, pairs, observed, dict(marginals))


def krippendorff_alpha(units: Sequence[Unit]) -> float | None:
    """Krippendorff's alpha, nominal, with missing values; None where undefined."""
    matrix = coincidences(units)
    if matrix.pairable < 2 or matrix.expected == 0:
        return None
    return 1.0 - (matrix.pairable - 1) * matrix.observed / matrix.expected


def undefined_alpha(units: Sequence[Unit]) -> str | None:
    """Why alpha is undefined on ``units``, or None when it is defined."""
    matrix = coincidences(units)
    if matrix.pairable < 2:
        return "no unit was coded by two coders"
    if matrix.expected == 0:
        return "every value is the same (one category only): agreement cannot be told from chance"
    return None


def alpha_interval(
    units: Sequence[Unit],
    *,
    seed: int | None = None,
    samples: int = BOOTSTRAP_SAMPLES,
    confidence: float = CONFIDENCE,
) -> tuple[float, float] | None:
    """The bootstrap percentile interval of alpha (see the module docstring); None where
    alpha is undefined."""
    import numpy as np

    matrix = coincidences(units)
    if matrix.pairable < 2 or matrix.expected == 0:
        return None
    rng = np.random.default_rng(seed)
    # Nominal metric: a drawn coincidence disagrees (delta = 1) with probability D_o, so the
    # disagreeing draws among the M pairs drawn are binomial.
    draws = matrix.pairs
    disagreeing = rng.binomial(draws, min(1.0, matrix.observed_disagreement), size=samples)
    alphas = 1.0 - (disagreeing / draws) / matrix.expected_disagreement
    alphas = np.clip(alphas, -1.0, 1.0)
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(alphas, [tail, 100 - tail])
    return float(low), float(high)


@dataclass(frozen=True)
class PairAgreement:
    """Two coders on the units both coded.

    Attributes:
        units: units both coded.
        agreed: units where their values are equal.
        percent: agreed / units (None without units).
        kappa: Cohen's kappa (None where undefined).
        undefined: why kappa is undefined, or None.
    """

    units: int
    agreed: int
    percent: float | None
    kappa: float | None
    undefined: str | None


def pair_agreement(first: Sequence[Value | None], second: Sequence[Value | None]) -> PairAgreement:
    """Percent agreement and Cohen's kappa of two coders' values over the same units."""
    both = [(a, b) for a, b in zip(first, second, strict=True) if a is not None and b is not None]
    n = len(both)
    if n == 0:
        return PairAgreement(0, 0, None, None, "no unit was coded by both")
    agreed = sum(1 for a, b in both if a == b)
    p_o = agreed / n
    left, right = Counter(a for a, _ in both), Counter(b for _, b in both)
    p_e = sum(left[c] * right[c] for c in left) / (n * n)
    if p_e >= 1.0:
        return PairAgreement(
            n, agreed, p_o, None, "both coders gave one and the same value to every unit"
        )
    return PairAgreement(n, agreed, p_o, (p_o - p_e) / (1.0 - p_e), None)
