"""Survival analysis of spells: Kaplan-Meier, Turnbull, log-rank and Cox models (lifelines).

Numbers in, numbers out: durations (any unit; kb uses days), whether each spell's end was
observed, groups and covariates. The estimators are lifelines' (Davidson-Pilon 2019); this
module only chooses their settings, reads their results into plain dataclasses and turns
their warnings into notes. Every number is checked against R's ``survival`` package in
tests/handoff/r/ (docs/analyses.md):

- Kaplan-Meier with Greenwood variances and **log-log** confidence bands
  (``survfit(..., conf.type = "log-log")``; R's default is ``"log"``, lifelines' is log-log,
  which stays inside [0, 1]);
- the median as R reports it: the first time the curve is at or below 0.5, or the middle of
  the flat stretch when the curve sits exactly at 0.5 (its confidence limits the same way on
  the bands);
- the log-rank test (``survdiff``), k groups, k - 1 degrees of freedom;
- Cox proportional hazards with Efron's handling of tied times (``coxph``'s default), Wald
  confidence intervals and p-values, and the Grambsch-Therneau test of proportional hazards
  on scaled Schoenfeld residuals against 1 - KM(t) (``cox.zph``'s transform ``"km"`` as in
  survival < 3.0);
- Turnbull's non-parametric estimate for interval-censored spells (``survfit`` with
  ``Surv(lower, upper, type = "interval2")``), found by EM to lifelines' tolerance.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ALPHA = 0.05
# R's survfit treats survival within this of 0.5 as exactly 0.5 (sqrt(.Machine$double.eps)).
_HALF_TOLERANCE = 1.4901161193847656e-08


@dataclass(frozen=True)
class Step:
    """The Kaplan-Meier curve at one distinct time.

    ``at_risk`` counts spells with a time at or after ``time``; ``survival`` holds from
    ``time`` (included) to the next step; ``lower`` / ``upper`` are the confidence band
    (None where undefined: survival 0, or before any event).
    """

    time: float
    at_risk: int
    events: int
    censored: int
    survival: float
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class AtTime:
    """The curve read at a chosen time: spells at risk, survival and its band."""

    time: float
    at_risk: int
    survival: float
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan-Meier estimate. ``median`` and its limits are None when not reached."""

    n: int
    events: int
    censored: int
    steps: list[Step]
    median: float | None
    median_lower: float | None
    median_upper: float | None
    at: list[AtTime] = field(default_factory=list)


@dataclass(frozen=True)
class TurnbullStep:
    """Turnbull's estimate: survival ``survival`` after the interval [left, right] where
    the mass of the preceding drop lies (the curve is not identified inside it)."""

    left: float
    right: float
    survival: float


@dataclass(frozen=True)
class Turnbull:
    """Turnbull's NPMLE of the survival curve of interval-censored spells."""

    n: int
    events: int
    censored: int
    steps: list[TurnbullStep]
    median: float | None


@dataclass(frozen=True)
class LogRank:
    """The log-rank test of equal survival across groups: chi-squared on k - 1 df."""

    statistic: float
    df: int
    p: float
    observed: dict[str, int]
    expected: dict[str, float]


@dataclass(frozen=True)
class Coefficient:
    """One covariate of a Cox model, and its proportional-hazards test."""

    name: str
    coef: float
    se: float
    hazard_ratio: float
    lower: float
    upper: float
    z: float
    p: float
    ph_statistic: float | None
    ph_p: float | None


@dataclass(frozen=True)
class CoxModel:
    """A Cox proportional-hazards model; ``notes`` say what was dropped or went wrong."""

    n: int
    events: int
    coefficients: list[Coefficient]
    log_likelihood: float
    lr_statistic: float
    lr_df: int
    lr_p: float
    concordance: float
    notes: list[str] = field(default_factory=list)


def _check(durations: Sequence[float], events: Sequence[bool]) -> None:
    if len(durations) != len(events):
        raise ValueError("durations and events differ in length")
    if any(not math.isfinite(d) or d < 0 for d in durations):
        raise ValueError("durations must be finite and not negative")


def _optional(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def _quantile_time(times: Sequence[float], curve: Sequence[float | None]) -> float | None:
    """R's survfit median of a step curve: the first time it is <= 0.5; when it sits at
    exactly 0.5, the middle between that time and the next step down (if there is one)."""
    for i, value in enumerate(curve):
        if value is None:
            continue
        if abs(value - 0.5) < _HALF_TOLERANCE:
            for j in range(i + 1, len(times)):
                later = curve[j]
                if later is not None and later < 0.5 - _HALF_TOLERANCE:
                    return (times[i] + times[j]) / 2
            return times[i]  # never drops below: R gives where it reached 0.5
        if value < 0.5:
            return times[i]
    return None


def kaplan_meier(
    durations: Sequence[float],
    events: Sequence[bool],
    *,
    at: Sequence[float] = (),
    alpha: float = ALPHA,
) -> KaplanMeier:
    """The Kaplan-Meier curve of right-censored spells, with log-log confidence bands.

    Args:
        durations: time from the origin to the end or the censoring of each spell.
        events: True where the spell's end was observed, False where it was censored.
        at: times at which to read the curve and the number at risk (e.g. every 6 months).
        alpha: 1 - the confidence level of the bands.

    Returns:
        The curve at every distinct time, its median and the readings at ``at``.

    Raises:
        ValueError: no spells, mismatched lengths, or a negative or infinite duration.
    """
    from lifelines import KaplanMeierFitter

    _check(durations, events)
    if not durations:
        raise ValueError("no spells to estimate a survival curve from")
    fitter = KaplanMeierFitter(alpha=alpha)
    fitter.fit(list(durations), [bool(e) for e in events])
    table = fitter.event_table
    survival = fitter.survival_function_.iloc[:, 0]
    bands = fitter.confidence_interval_
    steps: list[Step] = []
    for time, row in table.iterrows():
        if row["observed"] == 0 and row["censored"] == 0:
            continue  # lifelines' row for time 0 when no spell ends there
        lower, upper = (_optional(bands.loc[time].iloc[k]) for k in (0, 1))
        level = float(survival.loc[time])
        if (row["observed"] == 0 and not steps) or level == 0.0:
            # No event yet, or no spell left: Greenwood's variance is undefined (R: NA).
            lower = upper = None
        steps.append(
            Step(
                time=float(time),
                at_risk=int(row["at_risk"]),
                events=int(row["observed"]),
                censored=int(row["censored"]),
                survival=level,
                lower=lower,
                upper=upper,
            )
        )
    times = [s.time for s in steps]
    readings = [_read(steps, durations, float(t)) for t in at]
    return KaplanMeier(
        n=len(durations),
        events=sum(1 for e in events if e),
        censored=sum(1 for e in events if not e),
        steps=steps,
        median=_quantile_time(times, [s.survival for s in steps]),
        median_lower=_quantile_time(times, [s.lower for s in steps]),
        median_upper=_quantile_time(times, [s.upper for s in steps]),
        at=readings,
    )


def _read(steps: Sequence[Step], durations: Sequence[float], time: float) -> AtTime:
    """The curve at ``time``: the last step at or before it (1 before the first)."""
    at_risk = sum(1 for d in durations if d >= time)
    current: Step | None = None
    for step in steps:
        if step.time > time:
            break
        current = step
    if current is None:
        return AtTime(time, at_risk, 1.0, None, None)
    return AtTime(time, at_risk, current.survival, current.lower, current.upper)


def turnbull(
    lower: Sequence[float], upper: Sequence[float | None], *, tol: float = 1e-10
) -> Turnbull:
    """Turnbull's estimate of survival when each end is only known to lie in an interval.

    lifelines' ``fit_interval_censoring`` mishandles ends known to the day (lower = upper:
    it leaves their mass out), so the self-consistency (EM) algorithm of Turnbull (1976) is
    run here, vectorised with numpy, on Turnbull's innermost intervals. Tests compare it
    with R's ``survfit(Surv(lower, upper, type = "interval2") ~ 1)``.

    Args:
        lower: earliest time of each end; for a censored spell, the censoring time.
        upper: latest time of each end (equal to ``lower`` when known exactly); None when
            the spell is right-censored (its end is after ``lower``).
        tol: the EM stops when no interval's mass changes by more than this.

    Returns:
        The curve as drops located in innermost intervals, and its median (the middle of
        the interval where the curve crosses 0.5, as R places a drop).

    Raises:
        ValueError: no spells, mismatched lengths, or an upper bound below its lower one.
    """
    import numpy as np

    if len(lower) != len(upper):
        raise ValueError("lower and upper bounds differ in length")
    if not lower:
        raise ValueError("no spells to estimate a survival curve from")
    if any(u is not None and u < lo for lo, u in zip(lower, upper, strict=True)):
        raise ValueError("an upper bound is below its lower bound")
    # Ends as sortable keys (time, kind): a closed left end (0) sorts before a right end
    # (1) at the same time, a censored spell's open left end (2) after it.
    lefts = [(float(lo), 0 if u is not None else 2) for lo, u in zip(lower, upper, strict=True)]
    rights = [(math.inf if u is None else float(u), 1) for u in upper]
    ends = sorted(set(lefts) | set(rights))
    intervals = [
        (ends[k], ends[k + 1])
        for k in range(len(ends) - 1)
        if ends[k][1] != 1 and ends[k + 1][1] == 1
    ]
    left_key = np.array(lefts)
    right_key = np.array(rights)
    starts = np.array([q for q, _ in intervals])
    stops = np.array([p for _, p in intervals])

    def at_or_after(a: Any, b: Any) -> Any:  # key a >= key b, lexicographically
        return (a[..., 0] > b[..., 0]) | ((a[..., 0] == b[..., 0]) & (a[..., 1] >= b[..., 1]))

    covers = at_or_after(starts[None, :, :], left_key[:, None, :]) & at_or_after(
        right_key[:, None, :], stops[None, :, :]
    )
    mass = np.full(len(intervals), 1.0 / len(intervals))
    for _ in range(100_000):
        weighted = covers * mass
        updated = (weighted / weighted.sum(axis=1, keepdims=True)).mean(axis=0)
        change = float(np.abs(updated - mass).max())
        mass = updated
        if change < tol:
            break
    survival = 1.0 - np.cumsum(mass)
    steps = [
        TurnbullStep(q[0], p[0], max(0.0, float(level)))
        for (q, p), weight, level in zip(intervals, mass, survival, strict=True)
        if weight > 1e-9 and math.isfinite(p[0])
    ]
    median = _quantile_time([(s.left + s.right) / 2 for s in steps], [s.survival for s in steps])
    censored = sum(1 for u in upper if u is None)
    return Turnbull(len(lower), len(lower) - censored, censored, steps, median)


def logrank(durations: Sequence[float], events: Sequence[bool], groups: Sequence[str]) -> LogRank:
    """The log-rank test that every group has the same survival (``survdiff``).

    Raises:
        ValueError: fewer than two groups, or mismatched lengths.
    """
    import numpy as np
    from lifelines.statistics import multivariate_logrank_test

    _check(durations, events)
    if len(groups) != len(durations):
        raise ValueError("groups and durations differ in length")
    names = sorted(set(groups))
    if len(names) < 2:
        raise ValueError("the log-rank test needs at least two groups")
    result = multivariate_logrank_test(
        np.asarray(durations, dtype=float), np.asarray(groups), np.asarray(events, dtype=bool)
    )
    # Observed and expected events per group, as survdiff prints them.
    time = np.asarray(durations, dtype=float)
    event = np.asarray(events, dtype=bool)
    label = np.asarray(groups)
    expected = dict.fromkeys(names, 0.0)
    for t in np.unique(time[event]):
        at_risk = time >= t
        died = event & (time == t)
        rate = died.sum() / at_risk.sum()
        for name in names:
            expected[name] += float(rate * (at_risk & (label == name)).sum())
    observed = {name: int((event & (label == name)).sum()) for name in names}
    return LogRank(
        statistic=float(result.test_statistic),
        df=len(names) - 1,
        p=float(result.p_value),
        observed=observed,
        expected=expected,
    )


def _separation(values: Any, events: Any) -> str | None:
    """Why a 0/1 covariate separates the events (its likelihood has no maximum), or None."""
    if not set(values.tolist()) <= {0.0, 1.0}:
        return None
    for level in (1, 0):
        if not events[values == level].any():
            return f"no spell with it = {level} ended"
    return None


def _first_sentence(message: str) -> str:
    """A lifelines warning without its code examples and links."""
    text = " ".join(message.split())
    for cut in (" See http", " For example", " >>>"):
        text = text.split(cut)[0]
    return text


def cox(
    durations: Sequence[float],
    events: Sequence[bool],
    covariates: Mapping[str, Sequence[float]],
    *,
    alpha: float = ALPHA,
) -> CoxModel:
    """A Cox proportional-hazards model (Efron ties) with a test of proportional hazards.

    Covariates without variation are left out (a note says so), since the model cannot
    estimate them; lifelines' convergence warnings (e.g. a covariate that separates the
    events, whose estimate runs off to infinity) become notes.

    Args:
        durations: time to the end or censoring of each spell.
        events: True where the end was observed.
        covariates: name -> one number per spell (indicators as 0/1).
        alpha: 1 - the confidence level of the hazard ratios' intervals.

    Returns:
        Coefficients with hazard ratios, Wald intervals and p-values, each covariate's
        Grambsch-Therneau test, the likelihood-ratio test and the concordance.

    Raises:
        ValueError: no event, mismatched lengths, or no covariate left to fit.
    """
    import numpy as np
    import pandas as pd
    from lifelines import CoxPHFitter
    from lifelines.statistics import proportional_hazard_test

    _check(durations, events)
    if not any(events):
        raise ValueError("a Cox model needs at least one observed end")
    notes: list[str] = []
    columns: dict[str, Any] = {}
    for name, values in covariates.items():
        if len(values) != len(durations):
            raise ValueError(f"covariate {name} has {len(values)} values for {len(durations)}")
        array = np.asarray(values, dtype=float)
        if np.all(array == array[0]):
            notes.append(f"{name} left out: the same value for every spell.")
            continue
        separated = _separation(array, np.asarray(events, dtype=bool))
        if separated:
            notes.append(f"{name} left out: {separated}, so its hazard ratio is not finite.")
            continue
        columns[name] = array
    if not columns:
        raise ValueError("no covariate varies: nothing for a Cox model to estimate")
    frame = pd.DataFrame(columns)
    frame["_duration"] = np.asarray(durations, dtype=float)
    frame["_event"] = np.asarray(events, dtype=int)
    model = CoxPHFitter(alpha=alpha)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # lifelines stops on the step size; at its default (1e-7) coefficients differ from
        # R's converged coxph in the 6th digit, at 1e-14 they agree to about 1e-9.
        model.fit(frame, "_duration", "_event", fit_options={"precision": 1e-14})
        ph = proportional_hazard_test(model, frame, time_transform="km")
        lr = model.log_likelihood_ratio_test()
    notes += sorted({_first_sentence(str(w.message)) for w in caught})
    summary = model.summary
    ph_summary = ph.summary
    coefficients = []
    for name in columns:
        row = summary.loc[name]
        coefficients.append(
            Coefficient(
                name=name,
                coef=float(row["coef"]),
                se=float(row["se(coef)"]),
                hazard_ratio=float(row["exp(coef)"]),
                lower=float(row[f"exp(coef) lower {100 * (1 - alpha):g}%"]),
                upper=float(row[f"exp(coef) upper {100 * (1 - alpha):g}%"]),
                z=float(row["z"]),
                p=float(row["p"]),
                ph_statistic=_optional(ph_summary.loc[name, "test_statistic"]),
                ph_p=_optional(ph_summary.loc[name, "p"]),
            )
        )
    return CoxModel(
        n=len(durations),
        events=int(sum(1 for e in events if e)),
        coefficients=coefficients,
        log_likelihood=float(model.log_likelihood_),
        lr_statistic=float(lr.test_statistic),
        lr_df=int(lr.degrees_freedom),
        lr_p=float(lr.p_value),
        concordance=float(model.concordance_index_),
        notes=notes,
    )
