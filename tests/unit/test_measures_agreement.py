"""Agreement measures against the references: alpha against the `krippendorff` package
(PyPI), kappa and percent agreement against a hand computation, on generated data."""

from __future__ import annotations

import random

import pytest

from kb.coders import CoderAliases, lookalikes
from kb.measures.agreement import (
    alpha_interval,
    krippendorff_alpha,
    pair_agreement,
    undefined_alpha,
)

krippendorff = pytest.importorskip("krippendorff")
np = pytest.importorskip("numpy")


def _generated(seed: int, coders: int, units: int, missing: float) -> list[tuple[int | None, ...]]:
    rng = random.Random(seed)
    data: list[tuple[int | None, ...]] = []
    for _ in range(units):
        truth = rng.random() < 0.4
        row: list[int | None] = []
        for _ in range(coders):
            if rng.random() < missing:
                row.append(None)
            else:
                row.append(int(truth if rng.random() < 0.8 else not truth))
        data.append(tuple(row))
    return data


def _reference(units: list[tuple[int | None, ...]]) -> float:
    matrix = np.array([[np.nan if v is None else v for v in unit] for unit in units]).T
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


@pytest.mark.parametrize(("seed", "coders", "missing"), [(1, 2, 0.0), (2, 3, 0.2), (3, 5, 0.4)])
def test_alpha_matches_the_krippendorff_package(seed: int, coders: int, missing: float) -> None:
    units = _generated(seed, coders, 200, missing)
    assert krippendorff_alpha(units) == pytest.approx(_reference(units), abs=1e-12)


def test_alpha_on_krippendorffs_published_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the nominal example
    # with missing values: alpha = 0.743.
    rows = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = list(zip(*rows, strict=True))
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


def test_alpha_is_undefined_rather_than_a_number() -> None:
    assert krippendorff_alpha([(1, 1), (1, 1)]) is None
    assert "one category" in (undefined_alpha([(1, 1), (1, 1)]) or "")
    assert krippendorff_alpha([(1, None), (None, 0)]) is None
    assert "two coders" in (undefined_alpha([(1, None), (None, 0)]) or "")
    assert alpha_interval([(1, 1)], seed=1) is None


def test_kappa_matches_a_hand_computation() -> None:
    first = [1, 1, 0, 1, 0, 1, None, 1, 0, 1]
    second = [1, 0, 0, 1, 1, 1, 1, None, 0, 1]
    # Both coded 8 units: pairs (1,1)(1,0)(0,0)(1,1)(0,1)(1,1)(0,0)(1,1) -> 6 agree.
    # Coder 1: five 1s, three 0s; coder 2: five 1s, three 0s.
    p_o = 6 / 8
    p_e = (5 / 8) * (5 / 8) + (3 / 8) * (3 / 8)
    result = pair_agreement(first, second)
    assert (result.units, result.agreed) == (8, 6)
    assert result.percent == pytest.approx(p_o)
    assert result.kappa == pytest.approx((p_o - p_e) / (1 - p_e))


def test_kappa_on_generated_data_matches_the_formula() -> None:
    units = _generated(7, 2, 300, 0.1)
    first, second = [u[0] for u in units], [u[1] for u in units]
    both = [(a, b) for a, b in zip(first, second, strict=True) if a is not None and b is not None]
    n = len(both)
    table = {(a, b): sum(1 for x in both if x == (a, b)) for a in (0, 1) for b in (0, 1)}
    p_o = (table[0, 0] + table[1, 1]) / n
    row1, col1 = table[1, 0] + table[1, 1], table[0, 1] + table[1, 1]
    p_e = (row1 * col1 + (n - row1) * (n - col1)) / n**2
    assert pair_agreement(first, second).kappa == pytest.approx((p_o - p_e) / (1 - p_e))


def test_kappa_undefined_with_one_value() -> None:
    result = pair_agreement([1, 1], [1, 1])
    assert result.kappa is None and result.percent == 1.0 and result.undefined
    assert pair_agreement([1, None], [None, 1]).units == 0


def test_bootstrap_interval_is_seeded_and_brackets_alpha() -> None:
    units = _generated(11, 3, 150, 0.2)
    alpha = krippendorff_alpha(units)
    assert alpha is not None
    low, high = alpha_interval(units, seed=5) or (0.0, 0.0)
    assert low < alpha < high and -1 <= low and high <= 1
    assert alpha_interval(units, seed=5) == (low, high)
    # More data, narrower interval.
    wide = alpha_interval(units[:30], seed=5)
    assert wide is not None and wide[1] - wide[0] > high - low


def test_aliases_and_lookalikes() -> None:
    aliases = CoderAliases.of(["JL=Julie Lavallée", "jlav=JL"])
    assert aliases.resolve("jl") == "Julie Lavallée"
    assert aliases.resolve("JLAV") == "Julie Lavallée"
    assert aliases.resolve("Samuel Bédard") == "Samuel Bédard"
    found = lookalikes(["JL", "Julie Lavallée", "julie lavallee", "Samuel Bédard", "S. Bédard"])
    pairs = {(x.first, x.second) for x in found}
    assert ("JL", "Julie Lavallée") in pairs
    assert ("Julie Lavallée", "julie lavallee") in pairs
    assert ("S. Bédard", "Samuel Bédard") in pairs
    assert not any("Samuel" in a and "Julie" in b for a, b in pairs)
    assert lookalikes(["JL", "Julie Lavallée"], aliases) == []
    assert "--coder-alias" in found[0].warning()


def test_alias_errors() -> None:
    from kb.errors import ParameterError

    with pytest.raises(ParameterError):
        CoderAliases.of(["JL"])
    with pytest.raises(ParameterError):
        CoderAliases.of(["JL=Julie Lavallée", "jl=Jean Leblanc"])
