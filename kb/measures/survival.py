"""Survival analysis of spells: Kaplan-Meier, Turnbull, log-rank and Cox models.

Numbers in, numbers out: durations (any unit; kb uses days), whether each spell's end was
observed, groups and covariates. Kaplan-Meier and the log-rank test are lifelines'
(Davidson-Pilon 2019); Turnbull's EM and the Cox model are computed here with numpy and
scipy, because lifelines drops ends known to the day from the one and its Newton-Raphson
overshoots on small samples in the other. Every number is checked against R's ``survival``
package in tests/handoff/r/ (docs/analyses.md):

- Kaplan-Meier with Greenwood variances and **log-log** confidence bands
  (``survfit(..., conf.type = "log-log")``; R's default is ``"log"``, lifelines' is log-log,
  which stays inside [0, 1]);
- the median as R reports it: the first time the curve is at or below 0.5, or the middle of
  the flat stretch when the curve sits exactly at 0.5 (its confidence limits the same way on
  the bands);
- the log-rank test (``survdiff``), k groups, k - 1 degrees of freedom;
- Cox proportional hazards with Efron's handling of tied times (``coxph``'s default), Wald
  confidence intervals and p-values, the concordance as ``concordance(fit)`` counts it (tied
  risk scores are ties), and the test of proportional hazards of survival 3.x's ``cox.zph``
  (transform ``"km"``, ``terms = TRUE``): the score test of the covariates times
  g(t) = 1 - KM(t-) with the full information matrix, per covariate and global;
- the checks that say when a Cox model cannot be trusted: a covariate with no variance,
  collinear covariates, separation (monotone likelihood: a direction in which the ties that
  ended always had the highest risk score of those still active, so a hazard ratio runs off to
  0 or infinity), a fit that did not converge, intervals spanning more than a factor of 10^6,
  and fewer than 10 ended spells per covariate (Peduzzi et al. 1995);
- Turnbull's non-parametric estimate for interval-censored spells (``survfit`` with
  ``Surv(lower, upper, type = "interval2")``), found by EM to lifelines' tolerance.
"""

from __future__ import annotations

import math
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


# What each status of a Cox row means and what to do about it, in kb's words.
STATUS_ADVICE = {
    "ok": "",
    "no-variance": "there is nothing to estimate: drop the covariate.",
    "collinear": "it is a combination of the covariates before it, so it cannot be told apart "
    "from them: drop it or merge levels.",
    "separation": "merge levels, drop the covariate, or follow up longer so that more ties end.",
    "not-converged": "the fit did not converge, so no estimate can be trusted: drop covariates "
    "or merge levels.",
    "unstable": "too few ended ties at one of its values: merge levels or drop the covariate.",
}
MIN_EVENTS_PER_COVARIATE = 10  # Peduzzi et al. (1995)
_WIDEST_RATIO = 1e6  # upper / lower bound of a hazard ratio's interval beyond which it is noise


@dataclass(frozen=True)
class Coefficient:
    """One covariate of a Cox model, and its proportional-hazards test.

    ``status`` is ``ok`` or names why the numbers cannot be trusted (`STATUS_ADVICE`); a
    covariate left out of the fit (``no-variance``, ``collinear``, ``separation``) has no
    numbers, ``detail`` says what kb found. ``ph_statistic`` / ``ph_p`` are None when the test
    cannot be computed (its information matrix is singular).
    """

    name: str
    status: str
    detail: str
    coef: float | None
    se: float | None
    hazard_ratio: float | None
    lower: float | None
    upper: float | None
    z: float | None
    p: float | None
    ph_statistic: float | None
    ph_p: float | None


@dataclass(frozen=True)
class CoxModel:
    """A Cox proportional-hazards model.

    ``status`` is ``ok`` or ``not-converged``; ``warnings`` are sentences saying what cannot be
    trusted and what to do (one per problem); ``notes`` name the tests that cannot be
    computed. The global proportional-hazards test (``ph_global_*``) is None when it cannot
    be computed.
    """

    n: int
    events: int
    status: str
    coefficients: list[Coefficient]
    log_likelihood: float
    lr_statistic: float
    lr_df: int
    lr_p: float
    concordance: float
    ph_global_statistic: float | None
    ph_global_df: int
    ph_global_p: float | None
    events_per_covariate: float
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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
    if current is None:  # before the first step: certainly 1 (R's summary(fit, times=))
        return AtTime(time, at_risk, 1.0, 1.0, 1.0)
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


def _efron(times: Any, events: Any, x: Any, beta: Any, g: Any = None) -> tuple[float, Any, Any]:
    """Efron's log partial likelihood, its score and information at ``beta``.

    The sums of R's coxph (and of survival's zph1 routine): at each time with ``d`` ends the
    dead enter the risk-set sums in fractions 1/d, 2/d, ..., 1. With ``g`` (per spell, a
    function of its time) the covariates are augmented with g(t)·x at coefficient 0, giving
    the 2p score and 2p × 2p information of cox.zph's score test.
    """
    import numpy as np

    p = x.shape[1]
    x = x - x.mean(axis=0)  # as zph1 does: changes nothing but rounding
    with np.errstate(all="ignore"):  # a step too far gives inf or nan: the caller halves it
        return _efron_sums(times, events, x, x @ beta, g, p)


def _efron_sums(
    times: Any, events: Any, x: Any, eta: Any, g: Any, p: int
) -> tuple[float, Any, Any]:
    import numpy as np

    shift = float(eta.max())
    risk = np.exp(eta - shift)
    size = 2 * p if g is not None else p
    u = np.zeros(size)
    imat = np.zeros((size, size))
    loglik = 0.0
    for time in np.unique(times[events]):
        dead = events & (times == time)
        rest = (times >= time) & ~dead
        w_rest, w_dead = risk[rest], risk[dead]
        s0, d0 = w_rest.sum(), w_dead.sum()
        s1, d1 = x[rest].T @ w_rest, x[dead].T @ w_dead
        s2 = (x[rest] * w_rest[:, None]).T @ x[rest]
        d2 = (x[dead] * w_dead[:, None]).T @ x[dead]
        ends = int(dead.sum())
        score = x[dead].sum(axis=0)
        info = np.zeros((p, p))
        loglik += float(eta[dead].sum())
        for k in range(ends):
            share = (k + 1) / ends
            denominator = s0 + share * d0
            mean = (s1 + share * d1) / denominator
            score = score - mean
            info += (s2 + share * d2) / denominator - np.outer(mean, mean)
            loglik -= float(np.log(denominator)) + shift
        u[:p] += score
        imat[:p, :p] += info
        if g is not None:
            weight = float(g[dead][0])
            u[p:] += weight * score
            imat[:p, p:] += weight * info
            imat[p:, :p] += weight * info
            imat[p:, p:] += weight * weight * info
    return loglik, u, imat


# Newton-Raphson steps before a fit is declared not converged (coxph's iter.max is 20; kb
# allows more because its step halving can make progress slow near a flat maximum).
MAX_ITERATIONS = 100


def _newton_raphson(times: Any, events: Any, x: Any) -> tuple[Any, float, float, Any, bool]:
    """Maximise Efron's partial likelihood as coxph does: Newton-Raphson from 0, halving a
    step that lowers the likelihood. Returns (beta, loglik, loglik at 0, information,
    converged)."""
    import numpy as np

    beta = np.zeros(x.shape[1])
    loglik, u, imat = _efron(times, events, x, beta)
    null = loglik
    for _ in range(MAX_ITERATIONS):
        try:
            step = np.linalg.solve(imat, u)
        except np.linalg.LinAlgError:
            return beta, loglik, null, imat, False
        for _halving in range(40):
            trial = _efron(times, events, x, beta + step)
            if math.isfinite(trial[0]) and trial[0] >= loglik - 1e-12 * abs(loglik):
                break
            step = step / 2
        beta = beta + step
        change = trial[0] - loglik
        loglik, u, imat = trial
        if float(np.abs(step).max()) < 1e-10 or (0 <= change < 1e-14 * abs(loglik)):
            return beta, loglik, null, imat, True
    return beta, loglik, null, imat, False


def _km_before(times: Any, events: Any) -> Any:
    """1 - KM(t-) at each spell's own time: the curve just before it (cox.zph's "km")."""
    import numpy as np

    level, before = 1.0, {}
    for time in np.unique(times):
        before[float(time)] = level
        ends = int((events & (times == time)).sum())
        if ends:
            level *= 1 - ends / int((times >= time).sum())
    return np.array([1.0 - before[float(t)] for t in times])


def _score_test(u: Any, imat: Any) -> float | None:
    """u' I^-1 u, or None when I is (numerically) singular."""
    import numpy as np

    if not np.all(np.isfinite(imat)) or np.linalg.cond(imat) > 1e12:
        return None
    return float(u @ np.linalg.solve(imat, u))


def ph_test(times: Any, events: Any, x: Any, beta: Any) -> tuple[list[float | None], float | None]:
    """survival 3.x's cox.zph (transform "km", terms = TRUE): per covariate and global.

    The score test, at (beta, 0), of adding g(t)·x to the model, with g(t) = 1 - KM(t-)
    centred on its mean over the ends and the full 2p × 2p information; the first p score
    components are set to 0, as cox.zph does. A test whose information is singular is None.
    """
    import numpy as np

    transformed = _km_before(times, events)
    g = transformed - transformed[events].mean()
    _, u, imat = _efron(times, events, x, beta, g)
    p = x.shape[1]
    u = np.concatenate([np.zeros(p), u[p:]])
    tests: list[float | None] = []
    for j in range(p):
        keep = [*range(p), p + j]
        tests.append(_score_test(u[keep], imat[np.ix_(keep, keep)]))
    return tests, _score_test(u, imat)


def concordance(times: Any, events: Any, risk: Any) -> float:
    """Harrell's C as R's ``concordance(fit)`` counts it: over pairs where the shorter time
    is an end (a spell censored at the same time counts as longer), the share where the
    higher risk score ended first, tied scores counting one half; tied ends are left out."""
    import numpy as np

    concordant = discordant = tied = 0
    for i in np.flatnonzero(events):
        longer = (times > times[i]) | ((times == times[i]) & ~events)
        concordant += int((risk[longer] < risk[i]).sum())
        discordant += int((risk[longer] > risk[i]).sum())
        tied += int((risk[longer] == risk[i]).sum())
    pairs = concordant + discordant + tied
    return (concordant + tied / 2) / pairs if pairs else 0.5


def linear_predictor(x: Any, beta: Any) -> Any:
    """x·beta computed once per distinct covariate row, so equal rows get equal scores (a
    matrix product may round equal rows differently and split their ties)."""
    import numpy as np

    patterns, index = np.unique(x, axis=0, return_inverse=True)
    scores = [
        math.fsum(float(b) * float(v) for b, v in zip(beta, row, strict=True)) for row in patterns
    ]
    return np.asarray(scores)[np.asarray(index).reshape(-1)]


def _risk_set_extremes(times: Any, events: Any, column: Any) -> tuple[Any, Any]:
    """The lowest and highest value of ``column`` among the spells at risk at each end."""
    import numpy as np

    order = np.argsort(-times, kind="stable")  # latest first: a risk set is a prefix
    highest = np.maximum.accumulate(column[order])
    lowest = np.minimum.accumulate(column[order])
    at_risk = np.searchsorted(-times[order], -times[events], side="right") - 1
    return lowest[at_risk], highest[at_risk]


def _pattern_differences(times: Any, events: Any, x: Any) -> Any | None:
    """x_i - x_j for every end i and every spell j at risk then, once per pair of distinct
    covariate rows (None when there are too many distinct rows to pair)."""
    import numpy as np

    patterns, index = np.unique(x, axis=0, return_inverse=True)
    index = np.asarray(index).reshape(-1)
    if len(patterns) > 3000:
        return None
    seen = np.zeros((len(patterns), len(patterns)), dtype=bool)
    for i in np.flatnonzero(events):
        seen[index[i], index[times >= times[i]]] = True
    np.fill_diagonal(seen, False)
    dead, alive = np.nonzero(seen)
    return patterns[dead] - patterns[alive]


def _separating_direction(times: Any, events: Any, x: Any) -> Any | None:
    """A direction d in which the partial likelihood is monotone, or None.

    The likelihood has no maximum when some d != 0 gives every spell that ended the highest
    d·x of the spells still at risk (Bryson and Johnson 1981). One covariate alone is
    checked first (the common case: no tie at one level ended); then a linear programme
    looks for a combination: maximise the total margin sum(d·(x_i - x_j)) subject to
    d·(x_i - x_j) >= 0 for every end i and every j at risk then, d in [-1, 1]^p (columns
    scaled to unit sd).
    """
    import numpy as np
    from scipy.optimize import linprog

    for j in range(x.shape[1]):
        lowest, highest = _risk_set_extremes(times, events, x[:, j])
        value = x[events, j]
        if np.any(lowest < highest):
            for sign, extreme in ((1.0, highest), (-1.0, lowest)):
                if np.all(value == extreme):
                    direction = np.zeros(x.shape[1])
                    direction[j] = sign
                    return direction
    rows = _pattern_differences(times, events, x)
    if rows is None or not len(rows):  # too many distinct rows to solve here: the fit tells
        return None
    result = linprog(
        -rows.sum(axis=0),
        A_ub=-rows,
        b_ub=np.zeros(len(rows)),
        bounds=[(-1, 1)] * x.shape[1],
        method="highs",
    )
    if result.status != 0 or -result.fun <= 1e-7 * len(rows):
        return None
    return result.x


def _separation_detail(
    name: str, values: Any, events: Any, direction: Any, names: list[str]
) -> str:
    """What kb found, in words, for a covariate that separates the ends."""
    import numpy as np

    toward = "infinity" if direction[names.index(name)] > 0 else "0"
    others = [n for n, d in zip(names, direction, strict=True) if abs(d) > 1e-7 and n != name]
    if set(np.unique(values).tolist()) <= {0.0, 1.0} and not others:
        for level in (1, 0):
            if not events[values == level].any():
                return (
                    f"no tie with {name} = {level} ended, so its hazard ratio runs off to {toward}"
                )
    highest = "highest" if toward == "infinity" else "lowest"
    together = f" (together with {', '.join(others)})" if others else ""
    return (
        f"the ties that ended always had the {highest} {name}{together} of the ties still "
        f"active, so its hazard ratio runs off to {toward}"
    )


def _exp(value: float) -> float:
    """exp that gives inf (or 0) instead of failing, for bounds of estimates that ran off."""
    return math.inf if value > 709 else math.exp(value)


def _finite(value: float) -> float | None:
    """None for inf or nan, which JSON cannot carry (the row's status says why)."""
    return value if math.isfinite(value) else None


def _warning_for(name: str, status: str, detail: str) -> str:
    return f"{name} ({status}): {detail}; {STATUS_ADVICE[status]}"


def cox(
    durations: Sequence[float],
    events: Sequence[bool],
    covariates: Mapping[str, Sequence[float]],
    *,
    alpha: float = ALPHA,
) -> CoxModel:
    """A Cox proportional-hazards model (Efron ties) that says when it cannot be trusted.

    Before fitting, a covariate with one value for every spell (``no-variance``), one that is
    a combination of earlier ones (``collinear``) and one in whose direction the likelihood
    is monotone (``separation``) are left out: each keeps a row with its status and what kb
    found. The rest are fitted by Newton-Raphson with step halving, as R's coxph does
    (lifelines' fitter overshoots on such data: on the example's placebo cohort of bill-20
    it stops at a hazard ratio of 3852 where coxph converges to 30.5). A fit that does not
    converge marks every row ``not-converged``; an interval spanning more than a factor of
    10^6 marks its row ``unstable``. Fewer than 10 ends per fitted covariate is a warning
    (Peduzzi et al. 1995).

    Args:
        durations: time to the end or censoring of each spell.
        events: True where the end was observed.
        covariates: name -> one number per spell (indicators as 0/1).
        alpha: 1 - the confidence level of the hazard ratios' intervals.

    Returns:
        One row per covariate (status, hazard ratio, Wald interval and p-value, and its test
        of proportional hazards), the global test, the likelihood-ratio test, the
        concordance, and warnings in kb's words.

    Raises:
        ValueError: no event, mismatched lengths, or no covariate that can be estimated.
    """
    import numpy as np
    from scipy.special import chdtrc, ndtr, ndtri  # scipy.stats takes seconds to import

    _check(durations, events)
    if not any(events):
        raise ValueError("a Cox model needs at least one observed end")
    times = np.asarray(durations, dtype=float)
    ended = np.asarray(events, dtype=bool)
    status: dict[str, tuple[str, str]] = {}
    columns: dict[str, Any] = {}
    for name, values in covariates.items():
        if len(values) != len(durations):
            raise ValueError(f"covariate {name} has {len(values)} values for {len(durations)}")
        array = np.asarray(values, dtype=float)
        if np.all(array == array[0]):
            status[name] = ("no-variance", f"every tie has {name} = {array[0]:g}")
            continue
        fitted = [columns[n] for n in columns]
        if fitted:
            centred = np.column_stack([*fitted, array]) - np.column_stack([*fitted, array]).mean(0)
            if np.linalg.matrix_rank(centred) < len(fitted) + 1:
                status[name] = ("collinear", f"{name} is a combination of {', '.join(columns)}")
                continue
        columns[name] = array
    while columns:
        names = list(columns)
        matrix = np.column_stack([columns[n] for n in names])
        scale = matrix.std(axis=0)
        direction = _separating_direction(times, ended, matrix / scale)
        if direction is None:
            break
        worst = names[int(np.argmax(np.abs(direction)))]
        detail = _separation_detail(worst, columns[worst], ended, list(direction), names)
        status[worst] = ("separation", detail)
        del columns[worst]
    if not columns:
        found = "; ".join(f"{n}: {s}" for n, (s, _) in status.items())
        raise ValueError(f"no covariate can be estimated ({found})")
    names = list(columns)
    x = np.column_stack([columns[n] for n in names])
    beta, loglik, null, imat, converged = _newton_raphson(times, ended, x)
    try:
        variance = np.linalg.inv(imat)
    except np.linalg.LinAlgError:
        variance = np.full(imat.shape, math.nan)
        converged = False
    ph, ph_global = ph_test(times, ended, x, beta)
    quantile = float(ndtri(1 - alpha / 2))
    fitted_rows: dict[str, Coefficient] = {}
    for j, name in enumerate(names):
        coef = float(beta[j])
        se = math.sqrt(variance[j, j]) if variance[j, j] >= 0 else math.nan
        z = coef / se if se > 0 else math.nan
        lower, upper = _exp(coef - quantile * se), _exp(coef + quantile * se)
        state, detail = "ok", ""
        if not converged:
            state, detail = "not-converged", "Newton-Raphson did not reach a maximum"
        elif not (math.isfinite(se) and quantile * se * 2 <= math.log(_WIDEST_RATIO)):
            state, detail = "unstable", f"its 95 % interval runs from {lower:.3g} to {upper:.3g}"
        fitted_rows[name] = Coefficient(
            name=name,
            status=state,
            detail=detail,
            coef=coef,
            se=_finite(se),
            hazard_ratio=_finite(_exp(coef)),
            lower=_finite(lower),
            upper=_finite(upper),
            z=_finite(z),
            p=_finite(float(2 * ndtr(-abs(z)))),
            ph_statistic=ph[j],
            ph_p=None if ph[j] is None else float(chdtrc(1, ph[j])),
        )
    coefficients = []
    for name in covariates:
        if name in fitted_rows:
            coefficients.append(fitted_rows[name])
        else:
            state, detail = status[name]
            coefficients.append(Coefficient(name, state, detail, *([None] * 9)))
    notes = [
        f"No proportional-hazards test for {name}: its effect cannot be told apart from its "
        "change over time (singular information)."
        for name, test in zip(names, ph, strict=True)
        if test is None
    ]
    warnings = [_warning_for(c.name, c.status, c.detail) for c in coefficients if c.status != "ok"]
    events_per = float(ended.sum()) / len(names)
    if events_per < MIN_EVENTS_PER_COVARIATE:
        warnings.append(
            f"{int(ended.sum())} ended ties for {len(names)} covariates ({events_per:.1f} per "
            f"covariate, under {MIN_EVENTS_PER_COVARIATE}): the hazard ratios may be biased and "
            "their intervals too narrow (Peduzzi et al. 1995); read them as exploratory, or "
            "fit fewer covariates."
        )
    lr = 2 * (loglik - null)
    risk = linear_predictor(x, beta)
    return CoxModel(
        n=len(durations),
        events=int(ended.sum()),
        status="ok" if converged else "not-converged",
        coefficients=coefficients,
        log_likelihood=loglik,
        lr_statistic=lr,
        lr_df=len(names),
        lr_p=float(chdtrc(len(names), lr)),
        concordance=concordance(times, ended, risk),
        ph_global_statistic=ph_global,
        ph_global_df=len(names),
        ph_global_p=None if ph_global is None else float(chdtrc(len(names), ph_global)),
        events_per_covariate=events_per,
        notes=notes,
        warnings=warnings,
    )
