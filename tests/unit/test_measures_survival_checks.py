"""kb.measures.survival's checks of when a Cox model cannot be trusted, and the concordance as
R counts it (the equalities with R itself are in tests/handoff/r/test_survival_r.py)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from kb.measures import survival


def spells(seed: int, n: int = 120) -> tuple[list[float], list[bool], dict[str, list[float]]]:
    """Spells with two informative covariates (exposed doubles the hazard)."""
    rng = random.Random(seed)
    times, events, exposed, weight = [], [], [], []
    for _ in range(n):
        x = float(rng.random() < 0.5)
        w = float(rng.choice([1, 2, 3]))
        end = rng.expovariate(1 / 300 * (2 if x else 1))
        censor = rng.uniform(100, 900)
        times.append(float(math.ceil(min(end, censor))))
        events.append(end <= censor)
        exposed.append(x)
        weight.append(w)
    return times, events, {"exposed": exposed, "weight": weight}


def by_name(model: survival.CoxModel) -> dict[str, survival.Coefficient]:
    return {c.name: c for c in model.coefficients}


def test_a_covariate_without_variance_is_named_and_left_out() -> None:
    times, events, covariates = spells(1)
    covariates["same"] = [1.0] * len(times)
    rows = by_name(survival.cox(times, events, covariates))
    assert rows["same"].status == "no-variance" and rows["same"].hazard_ratio is None
    assert rows["exposed"].status == rows["weight"].status == "ok"


def test_a_fit_stopped_before_its_maximum_is_not_converged_on_every_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    times, events, covariates = spells(4)
    assert survival.cox(times, events, covariates).status == "ok"
    monkeypatch.setattr(survival, "MAX_ITERATIONS", 1)  # one step cannot reach the maximum
    model = survival.cox(times, events, covariates)
    assert model.status == "not-converged"
    assert {c.status for c in model.coefficients} == {"not-converged"}
    advice = survival.STATUS_ADVICE["not-converged"]
    assert [w for w in model.warnings if advice in w] and len(model.warnings) >= 2


def test_a_combination_of_earlier_covariates_is_collinear() -> None:
    times, events, covariates = spells(2)
    covariates["sum"] = [a + 2 * b for a, b in zip(*covariates.values(), strict=True)]
    model = survival.cox(times, events, covariates)
    rows = by_name(model)
    assert rows["sum"].status == "collinear" and "exposed, weight" in rows["sum"].detail
    assert any(w.startswith("sum (collinear)") for w in model.warnings)


def test_a_level_where_no_spell_ended_is_separation() -> None:
    times, events, covariates = spells(3)
    # spells with rare = 1 never end: their hazard ratio would run off to 0
    covariates["rare"] = [float(not e and k % 3 == 0) for k, e in enumerate(events)]
    model = survival.cox(times, events, covariates)
    rare = by_name(model)["rare"]
    assert rare.status == "separation" and rare.coef is None
    assert rare.detail == "no tie with rare = 1 ended, so its hazard ratio runs off to 0"
    assert any(survival.STATUS_ADVICE["separation"] in w for w in model.warnings)


def test_a_monotone_continuous_covariate_is_separation() -> None:
    times, events, covariates = spells(4)
    # the later a spell ends, the higher its value: every end has the lowest of its risk set
    covariates["age"] = list(times)
    rows = by_name(survival.cox(times, events, covariates))
    assert rows["age"].status == "separation" and "lowest age" in rows["age"].detail


def test_separation_by_a_combination_only_is_found() -> None:
    # Neither a nor b alone orders the ends, a + b does (5, 4, ... 0 over time).
    times = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    events = [True, True, True, True, True, False, False]
    a = [1.0, 4.0, 0.0, 2.0, 0.0, 0.0, 0.0]
    b = [4.0, 0.0, 3.0, 0.0, 1.0, 0.0, 0.0]
    for name, column in (("a", a), ("b", b)):
        alone = survival.cox(times, events, {name: column})
        assert alone.coefficients[0].status == "ok", name
    model = survival.cox(times, events, {"a": a, "b": b})
    statuses = sorted(c.status for c in model.coefficients)
    assert statuses == ["ok", "separation"]
    separated = next(c for c in model.coefficients if c.status == "separation")
    assert "together with" in separated.detail and "runs off to infinity" in separated.detail


def test_a_covariate_of_almost_no_variance_has_absurd_bounds_and_is_unstable() -> None:
    times, events, covariates = spells(5)
    rng = random.Random(5)
    covariates["tiny"] = [1e-7 * rng.gauss(0, 1) for _ in times]
    model = survival.cox(times, events, covariates)
    tiny = by_name(model)["tiny"]
    assert tiny.status == "unstable"
    assert tiny.upper is None or tiny.lower is None or tiny.upper > 1e6 * tiny.lower
    assert "its 95 % interval runs from" in tiny.detail
    assert by_name(model)["exposed"].status == "ok"


def test_fewer_than_ten_ends_per_covariate_is_a_warning() -> None:
    times, events, covariates = spells(6, n=200)
    many = survival.cox(times, events, covariates)
    assert many.events_per_covariate == many.events / 2 >= 10
    assert not any("Peduzzi" in w for w in many.warnings)
    few = survival.cox(times[:15], events[:15], {k: v[:15] for k, v in covariates.items()})
    assert few.events_per_covariate < 10
    assert any("Peduzzi" in w and f"{few.events} ended ties" in w for w in few.warnings)


def test_concordance_counts_tied_scores_as_half_and_leaves_tied_ends_out() -> None:
    times = np.array([1.0, 2.0, 3.0, 4.0])
    ended = np.array([True, True, True, True])
    # pairs: (1,2) (1,3) (1,4) (2,4) (3,4) concordant, (2,3) a tied score
    assert survival.concordance(times, ended, np.array([2.0, 1.0, 1.0, 0.0])) == 5.5 / 6
    # a spell censored at the time of an end outlived it; two ends at one time: no pair
    assert (
        survival.concordance(np.array([2.0, 2.0]), np.array([True, False]), np.array([1, 0])) == 1
    )
    assert (
        survival.concordance(np.array([2.0, 2.0]), np.array([True, True]), np.array([1, 0])) == 0.5
    )


def test_equal_covariate_rows_get_equal_scores() -> None:
    rng = np.random.default_rng(7)
    patterns = rng.normal(size=(5, 4))
    x = patterns[rng.integers(0, 5, size=400)]
    beta = rng.normal(size=4)
    assert len(set(survival.linear_predictor(x, beta).tolist())) == len(np.unique(x, axis=0))


def test_a_reading_before_the_first_step_has_the_band_one_to_one() -> None:
    km = survival.kaplan_meier([5.0, 6.0, 9.0], [False, True, True], at=[0.0, 4.0, 5.5, 7.0])
    before, also_before, censored_only, after = km.at
    assert (before.lower, before.upper) == (also_before.lower, also_before.upper) == (1.0, 1.0)
    # after a step with no end yet, Greenwood's band is undefined, as in R
    assert censored_only.survival == 1.0 and censored_only.lower is None
    assert after.survival == pytest.approx(0.5) and after.lower is not None
