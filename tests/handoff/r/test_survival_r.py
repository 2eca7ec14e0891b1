"""kb's survival numbers against R's survival package, on generated data and on the example.

Kaplan-Meier (``survfit``, conf.type "log-log"), medians and their limits, the log-rank
test (``survdiff``), Cox models (``coxph``, Efron ties), the Grambsch-Therneau test of
proportional hazards of ``cox.zph`` (survival 3.x: transform "km", terms = TRUE, per
covariate and global), ``concordance(fit)`` with tied risk scores, and Turnbull's estimator
(``Surv(type = "interval2")``): equal to 1e-6 (Turnbull: 1e-5, two EM runs).
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kb.analyses.survival import design
from kb.measures import survival
from tests.handoff.r.rjson import run_r_json as run_r

pytestmark = pytest.mark.r

TOL = 1e-6


def generated(seed: int, n: int = 150) -> list[dict[str, Any]]:
    """Spells in days with ties in time, censoring, three groups and covariates."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        exposed = rng.random() < 0.4
        kind = rng.choice(["INFORMATION", "INFORMATION", "COLLABORATION", "FUNDING"])
        weight = rng.choice([1.0, 2.0, 3.0])
        hazard = 1 / 400 * (2.5 if exposed else 1.0) * (1.6 if kind == "FUNDING" else 1.0)
        end = math.ceil(rng.expovariate(hazard) / 30) * 30  # month-like heaps: tied times
        censor = rng.randint(200, 1200)
        rows.append(
            {
                "id": f"s{i}",
                "time": float(min(end, censor)),
                "event": int(end <= censor),
                "group": ("exposed" if exposed else "other") if i % 5 else "third",
                "exposed": exposed,
                "cross_sector": rng.random() < 0.5,
                "weight": weight,
                "type": kind,
            }
        )
    return rows


def write(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["NA" if row[c] is None else row[c] for c in columns])


def close(got: float | None, want: float | None, tol: float = TOL) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return abs(got - want) <= tol * max(1.0, abs(want))


KM_SCRIPT = """
library(survival)
d <- read.csv("spells.csv")
out <- list()
for (g in sort(unique(d$group))) {
  f <- survfit(Surv(time, event) ~ 1, data = d[d$group == g, ], conf.type = "log-log")
  t <- summary(f)$table
  out[[paste0(g, ".time")]] <- f$time
  out[[paste0(g, ".risk")]] <- f$n.risk
  out[[paste0(g, ".event")]] <- f$n.event
  out[[paste0(g, ".surv")]] <- f$surv
  out[[paste0(g, ".lower")]] <- f$lower
  out[[paste0(g, ".upper")]] <- f$upper
  out[[paste0(g, ".median")]] <- c(t["median"], t["0.95LCL"], t["0.95UCL"])
}
write_json(out)
"""


def check_km(rows: list[dict[str, Any]], r: dict[str, list[Any]]) -> None:
    for group in sorted({row["group"] for row in rows}):
        members = [row for row in rows if row["group"] == group]
        km = survival.kaplan_meier(
            [m["time"] for m in members], [bool(m["event"]) for m in members]
        )
        assert [s.time for s in km.steps] == r[f"{group}.time"]
        assert [s.at_risk for s in km.steps] == r[f"{group}.risk"]
        assert [s.events for s in km.steps] == r[f"{group}.event"]
        for step, surv, low, high in zip(
            km.steps, r[f"{group}.surv"], r[f"{group}.lower"], r[f"{group}.upper"], strict=True
        ):
            assert close(step.survival, surv)
            # R gives no band before the first event (NA) and at survival 0
            assert close(step.lower, low), (group, step)
            assert close(step.upper, high), (group, step)
        median, low, high = r[f"{group}.median"]
        assert (km.median, km.median_lower, km.median_upper) == (median, low, high)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kaplan_meier_and_medians_equal_survfit(tmp_path: Path, seed: int) -> None:
    rows = generated(seed)
    write(tmp_path / "spells.csv", rows, ["time", "event", "group"])
    check_km(rows, run_r(KM_SCRIPT, tmp_path))


def test_median_on_a_curve_flat_at_one_half_is_the_middle_as_in_r(tmp_path: Path) -> None:
    # Ten spells, none censored: the curve is exactly 0.5 from the fifth end to the sixth.
    times = (3, 5, 8, 8, 13, 21, 34, 35, 40, 50)
    rows = [{"time": float(t), "event": 1, "group": "g"} for t in times]
    rows += [{"time": float(t), "event": int(t % 7 != 0), "group": "h"} for t in range(1, 13)]
    write(tmp_path / "spells.csv", rows, ["time", "event", "group"])
    r = run_r(KM_SCRIPT, tmp_path)
    check_km(rows, r)
    assert r["g.median"][0] == (13 + 21) / 2


LOGRANK_SCRIPT = """
library(survival)
d <- read.csv("spells.csv")
s <- survdiff(Surv(time, event) ~ group, data = d)
write_json(list(chisq = s$chisq, obs = s$obs, exp = s$exp,
                groups = sub("group=", "", names(s$n))))
"""


@pytest.mark.parametrize("seed", [4, 5])
def test_logrank_equals_survdiff(tmp_path: Path, seed: int) -> None:
    rows = generated(seed)
    write(tmp_path / "spells.csv", rows, ["time", "event", "group"])
    r = run_r(LOGRANK_SCRIPT, tmp_path)
    test = survival.logrank(
        [row["time"] for row in rows],
        [bool(row["event"]) for row in rows],
        [row["group"] for row in rows],
    )
    assert close(test.statistic, r["chisq"][0])
    assert test.df == len(r["groups"]) - 1
    for group, observed, expected in zip(r["groups"], r["obs"], r["exp"], strict=True):
        assert test.observed[group] == observed
        assert close(test.expected[group], expected)


COX_SCRIPT = """
library(survival)
d <- read.csv("spells.csv", check.names = FALSE)
covariates <- setdiff(names(d), c("time", "event"))
m <- coxph(Surv(time, event) ~ ., data = d[, c("time", "event", covariates)], ties = "efron")
s <- summary(m)
# survival 3.x's test: transform "km" and terms = TRUE are cox.zph's defaults. It stops with
# an error when an information matrix is singular; kb then gives no test (None).
z <- tryCatch(cox.zph(m)$table, error = function(e) NULL)
k <- nrow(z)
write_json(list(names = gsub("`", "", names(coef(m))), coef = coef(m), se = sqrt(diag(m$var)),
                p = s$coefficients[, "Pr(>|z|)"], lower = s$conf.int[, "lower .95"],
                upper = s$conf.int[, "upper .95"], loglik = m$loglik[2],
                lr = s$logtest[["test"]], lr_df = s$logtest[["df"]],
                ph = if (is.null(z)) NA else z[-k, "chisq"],
                ph_p = if (is.null(z)) NA else z[-k, "p"],
                ph_global = if (is.null(z)) NA else z[k, c("chisq", "df", "p")],
                concordance = concordance(m)$concordance,
                version = as.character(packageVersion("survival"))))
"""

# The largest absolute difference seen per quantity, for the report of what was measured.
DIFFERENCES: dict[str, float] = {}


def agree(what: str, got: float | None, want: float | None) -> bool:
    """``close`` that also records |got - want| under ``what``."""
    if got is not None and want is not None:
        DIFFERENCES[what] = max(DIFFERENCES.get(what, 0.0), abs(got - want))
    return close(got, want)


def compare_cox(model: dict[str, Any], r: dict[str, Any]) -> None:
    """A kb Cox model (as a dict) against R's coxph, cox.zph and concordance."""
    assert r["version"][0].startswith("3.")
    fitted = [c for c in model["coefficients"] if c["coef"] is not None]
    assert [c["name"] for c in fitted] == r["names"]
    for j, c in enumerate(fitted):
        assert agree("coef", c["coef"], r["coef"][j]), c["name"]
        assert agree("se", c["se"], r["se"][j]), c["name"]
        assert agree("p", c["p"], r["p"][j]), c["name"]
        assert agree("bounds", c["lower"], r["lower"][j]), c["name"]
        assert agree("bounds", c["upper"], r["upper"][j]), c["name"]
    assert agree("loglik", model["log_likelihood"], r["loglik"][0])
    assert agree("lr", model["lr_statistic"], r["lr"][0])
    assert model["lr_df"] == r["lr_df"][0]
    assert agree("concordance", model["concordance"], r["concordance"][0])
    if r["ph"] == [None]:  # R's cox.zph stopped: a singular information matrix
        assert None in [c["ph_statistic"] for c in fitted] + [model["ph_global_statistic"]]
        return
    for j, c in enumerate(fitted):
        assert agree("ph", c["ph_statistic"], r["ph"][j]), c["name"]
        assert agree("ph p", c["ph_p"], r["ph_p"][j]), c["name"]
    statistic, df, p = r["ph_global"]
    assert agree("ph", model["ph_global_statistic"], statistic)
    assert agree("ph p", model["ph_global_p"], p)
    assert model["ph_global_df"] == df


def write_design(path: Path, rows: list[dict[str, Any]], names: list[str] | None = None) -> None:
    """time, event and the Cox covariates of ``rows`` (only ``names``, when given)."""
    covariates, _ = design(rows)
    columns = {"time": [row["time"] for row in rows], "event": [row["event"] for row in rows]}
    columns.update({n: v for n, v in covariates.items() if names is None or n in names})
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(list(columns))
        writer.writerows(zip(*columns.values(), strict=True))


def check_cox(rows: list[dict[str, Any]], tmp_path: Path) -> survival.CoxModel:
    covariates, _ = design(rows)
    write_design(tmp_path / "spells.csv", rows)
    r = run_r(COX_SCRIPT, tmp_path)
    model = survival.cox(
        [row["time"] for row in rows], [bool(row["event"]) for row in rows], covariates
    )
    assert all(c.status == "ok" for c in model.coefficients)
    compare_cox(asdict(model), r)
    return model


@pytest.mark.parametrize("seed", [6, 7, 8])
def test_cox_model_and_ph_test_equal_coxph(tmp_path: Path, seed: int) -> None:
    model = check_cox(generated(seed, n=200), tmp_path)
    exposed = next(c for c in model.coefficients if c.name == "exposed")
    assert exposed.hazard_ratio is not None and exposed.hazard_ratio > 1  # generated: 2.5


def small_with_ties(seed: int) -> list[dict[str, Any]]:
    """Few spells, ends heaped on quarters (many tied times) and only 0/1 covariates plus a
    three-valued weight, so that many spells share a risk score."""
    rows = generated(seed, n=70)
    for row in rows:
        row["time"] = float(math.ceil(row["time"] / 90) * 90)
    return rows


@pytest.mark.parametrize("seed", [13, 14, 15])
def test_ph_test_and_concordance_with_tied_times_and_scores_equal_r(
    tmp_path: Path, seed: int
) -> None:
    rows = small_with_ties(seed)
    ended = [row["time"] for row in rows if row["event"]]
    assert len(set(ended)) < len(ended) / 3  # heavily tied event times
    model = check_cox(rows, tmp_path)
    scores = survival.linear_predictor(
        np.column_stack(list(design(rows)[0].values())),
        [c.coef for c in model.coefficients],
    )
    assert len(set(scores.tolist())) < len(rows) / 2  # tied risk scores are counted as ties


READING_SCRIPT = """
library(survival)
d <- read.csv("spells.csv")
f <- survfit(Surv(time, event) ~ 1, data = d, conf.type = "log-log")
s <- summary(f, times = c(0, 10, 100, 400), extend = TRUE)
write_json(list(surv = s$surv, lower = s$lower, upper = s$upper, risk = s$n.risk))
"""


def test_readings_before_the_first_step_equal_summary_times(tmp_path: Path) -> None:
    rows = [row for row in generated(16) if row["time"] >= 30]  # first step at 30 days
    write(tmp_path / "spells.csv", rows, ["time", "event", "group"])
    r = run_r(READING_SCRIPT, tmp_path)
    km = survival.kaplan_meier(
        [row["time"] for row in rows], [bool(row["event"]) for row in rows], at=[0, 10, 100, 400]
    )
    for reading, surv, low, high, risk in zip(
        km.at, r["surv"], r["lower"], r["upper"], r["risk"], strict=True
    ):
        assert reading.at_risk == risk
        assert close(reading.survival, surv)
        assert close(reading.lower, low) and close(reading.upper, high), reading
    assert (km.at[0].lower, km.at[0].upper) == (1.0, 1.0)


TURNBULL_SCRIPT = """
library(survival)
d <- read.csv("intervals.csv")
f <- survfit(Surv(lower, upper, type = "interval2") ~ 1, data = d)
write_json(list(time = f$time, events = f$n.event, surv = f$surv,
                median = summary(f)$table["median"]))
"""


def log_likelihood(
    lower: list[float], upper: list[float | None], mass: dict[float, float]
) -> float:
    """Log-likelihood of a distribution putting ``mass`` at times (interval midpoints)."""
    total = 0.0
    for lo, up in zip(lower, upper, strict=True):
        inside = sum(m for t, m in mass.items() if (t > lo if up is None else lo <= t <= up))
        total += math.log(inside)
    return total


def intervals(seed: int, exact_share: float) -> tuple[list[float], list[float | None]]:
    """Ends known to the month (or to the day, for ``exact_share`` of them), or censored."""
    rng = random.Random(seed)
    lower: list[float] = []
    upper: list[float | None] = []
    for _ in range(120):
        end, censor = rng.expovariate(1 / 300), rng.uniform(100, 900)
        if end > censor:
            lower.append(float(math.floor(censor)))
            upper.append(None)
        elif rng.random() < exact_share:
            lower.append(float(math.ceil(end)))
            upper.append(float(math.ceil(end)))
        else:
            month = math.floor(end / 30)
            lower.append(month * 30 + 1.0)
            upper.append(month * 30 + 30.0)
    return lower, upper


def turnbull_masses(
    lower: list[float], upper: list[float | None], tmp_path: Path
) -> tuple[survival.Turnbull, dict[str, Any], dict[float, float], dict[float, float]]:
    write(
        tmp_path / "intervals.csv",
        [{"lower": lo, "upper": u} for lo, u in zip(lower, upper, strict=True)],
        ["lower", "upper"],
    )
    r = run_r(TURNBULL_SCRIPT, tmp_path)
    estimate = survival.turnbull(lower, upper)
    ours: dict[float, float] = {}
    level = 1.0
    for step in estimate.steps:
        ours[(step.left + step.right) / 2] = level - step.survival
        level = step.survival
    ours[math.inf] = level  # what is left lies after every observed time
    levels = [1.0, *r["surv"]]
    theirs = {t: levels[k] - levels[k + 1] for k, t in enumerate(r["time"])}
    theirs = {t: m for t, m in theirs.items() if m > 0}
    theirs[math.inf] = levels[-1]
    return estimate, r, ours, theirs


@pytest.mark.parametrize("seed", [9, 10])
def test_turnbull_equals_survfit_interval2_on_month_intervals(tmp_path: Path, seed: int) -> None:
    lower, upper = intervals(seed, exact_share=0.0)
    estimate, r, ours, theirs = turnbull_masses(lower, upper, tmp_path)
    assert {t for t, m in ours.items() if m > 1e-4} == {t for t, m in theirs.items() if m > 1e-4}
    for time, mass in ours.items():
        if mass > 1e-4:
            assert abs(mass - theirs[time]) < 1e-5, time
    assert estimate.median == r["median"][0]


@pytest.mark.parametrize("seed", [11, 12])
def test_turnbull_likelihood_is_at_least_survfits_with_exact_ends(
    tmp_path: Path, seed: int
) -> None:
    """With ends known to the day among month intervals, R's survfitTurnbull stops (its EM
    tolerance 5e-5, with acceleration) short of the maximum on these data; kb's EM reaches
    a likelihood at least as high, and the curves stay close."""
    lower, upper = intervals(seed, exact_share=0.3)
    _, r, ours, theirs = turnbull_masses(lower, upper, tmp_path)
    assert log_likelihood(lower, upper, ours) >= log_likelihood(lower, upper, theirs) - 1e-9
    level, curve = 1.0, {}
    for time in sorted(t for t in ours if math.isfinite(t)):
        level -= ours[time]
        curve[time] = level
    for time, surv in zip(r["time"], r["surv"], strict=True):
        mine = min((v for t, v in curve.items() if t <= time), default=1.0)
        assert abs(mine - surv) < 0.05
