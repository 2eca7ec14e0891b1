"""Survival of ties across a reform: did the ties it touched end sooner than the others?

The cohort is every tie active on the reform's eve (the day before it takes effect, as in
`kb.analyses.reforms.broken_ties`), followed from that day until it ends or observation
ends; a placebo cohort repeats the analysis at the same date one window earlier, followed
until the day before the reform's eve. Definitions and references: docs/analyses.md.

Time is counted in days: a tie whose last active day is the origin has time 1; one still
active when observation ends on day ``U`` is censored at ``U - origin + 1``. A partial end
date (``2015-06``) is an interval of possible last days, read from its first day (or the
origin, when later) to its last: its midpoint (``dates="midpoint"``), or the whole interval
for Turnbull's estimator (``dates="interval"``; the log-rank test and the Cox model, which
lifelines offers for right-censored data only, then use the midpoints, and say so).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from kb.analyses.network import NO_GROUP, check_attribute
from kb.analyses.observation import observation
from kb.analyses.reforms import get_reform, reforms
from kb.analyses.selection import ALL_TIES, Selection, check_selection
from kb.analyses.vocabulary import check_period
from kb.dates import PartialDate
from kb.errors import ParameterError, ValidationError
from kb.periods import add_window, parse_at, parse_window
from kb.results import Records, Result
from kb.store import Reader

DATE_CONVENTIONS = ("midpoint", "interval")
GROUPINGS = ("exposure", "type", "sector-pair", "stage")
EXPOSED, NOT_EXPOSED = "exposed", "not exposed"
NO_STAGE = "(no stage)"
MONTH = 365.25 / 12  # days; the readings below are every 6 months
READING_MONTHS = 6
DAY = timedelta(days=1)


@dataclass(frozen=True)
class FollowUp:
    """One tie's time from the origin: ``time`` (days) and whether its end was observed;
    ``lower`` / ``upper`` bound the end for interval-censored estimation (upper None when
    censored)."""

    time: float
    event: bool
    lower: float
    upper: float | None


@dataclass(frozen=True, eq=False, kw_only=True)
class Survival(Result):
    """`tie_survival`'s answer (``kb reforms survival``): per cohort its groups' curves,
    log-rank test and Cox model; its records are the ties at risk (``ties``)."""

    RECORDS = Records(key="ties")

    reform: dict[str, Any]
    origin: date
    observed_until: date
    observed_until_source: str
    observed_until_set_by: str
    by: str
    dates: str
    group_by: str
    types: list[str] | None
    min_evidence: int
    triangulated: bool
    coders: list[str] | None
    time_unit: str
    cohorts: list[dict[str, Any]]
    warnings: list[str]
    ties: list[dict[str, Any]]

    def group_records(self) -> list[dict[str, Any]]:
        """One record per cohort and group: ``{cohort, group, n, events, median, ...}``."""
        return [
            {"cohort": c["cohort"], **{k: v for k, v in g.items() if k != "at"}}
            for c in self.cohorts
            for g in c["groups"]
        ]

    def reading_records(self) -> list[dict[str, Any]]:
        """The survival every 6 months, one record per cohort, group and reading."""
        return [
            {"cohort": c["cohort"], "group": g["group"], **at}
            for c in self.cohorts
            for g in c["groups"]
            for at in g["at"]
        ]

    def logrank_records(self) -> list[dict[str, Any]]:
        """The log-rank test of each cohort that has one: ``{cohort, statistic, df, p}``."""
        return [{"cohort": c["cohort"], **c["logrank"]} for c in self.cohorts if c["logrank"]]

    def cox_records(self) -> list[dict[str, Any]]:
        """One record per cohort and Cox covariate (with its ``status``)."""
        return [
            {"cohort": c["cohort"], **k}
            for c in self.cohorts
            if c["cox"]
            for k in c["cox"]["coefficients"]
        ]

    def fit_records(self) -> list[dict[str, Any]]:
        """The fit of each cohort's Cox model (its coefficients are `cox_records`)."""
        return [
            {"cohort": c["cohort"], **{k: v for k, v in c["cox"].items() if k != "coefficients"}}
            for c in self.cohorts
            if c["cox"]
        ]


def follow_up(
    origin: date,
    until: date,
    end_first: date | None,
    end_last: date | None,
    *,
    dates: str = "midpoint",
) -> FollowUp:
    """A tie's follow-up from ``origin`` (a day it is active) to its end or ``until``.

    Args:
        origin: the first day of follow-up (time 1 is this day).
        until: the last day of observation.
        end_first: first possible last day of the tie (None: no end recorded).
        end_last: last possible last day of the tie.
        dates: ``midpoint`` reads a partial end at the middle of its interval; ``interval``
            gives the interval (``time`` is still the midpoint, for the log-rank and Cox).

    Returns:
        The tie's follow-up. An end after ``until`` (its first possible day, or with
        ``midpoint`` its midpoint) is censored at ``until``.
    """
    check_convention(dates)
    censored_at = float((until - origin).days + 1)
    if end_first is None or end_last is None or end_first > until:
        return FollowUp(censored_at, False, censored_at, None)
    first = max(end_first, origin)
    lower = float((first - origin).days + 1)
    upper = float((end_last - origin).days + 1)
    middle = (lower + upper) / 2
    if dates == "midpoint" and middle > censored_at:
        return FollowUp(censored_at, False, censored_at, None)
    return FollowUp(middle, True, lower, upper)


def check_convention(dates: str) -> str:
    """Raises ValidationError unless ``dates`` is midpoint or interval."""
    if dates not in DATE_CONVENTIONS:
        raise ParameterError("dates", dates, f"use one of {', '.join(DATE_CONVENTIONS)}.")
    return dates


def observation_end(db: Reader) -> dict[str, Any]:
    """The end of observation: the case's ``observed_until`` (case.csv), else the latest
    date in the data (`kb.analyses.observation`, the rule every command shares).

    Returns:
        ``{"observed_until": date, "source": "case" | "data", "case": id or None,
        "set_by": what sets it, in words}``.

    Raises:
        ValidationError: the database holds no date at all, or more than one case.
    """
    found = observation(db)
    if found is None:
        raise ValidationError("The case has no dates, so observation has no end.")
    return {
        "observed_until": found.last,
        "source": found.last_source,
        "case": found.case,
        "set_by": found.last_set_by,
    }


def tie_survival(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    reform: str,
    by: str = "exposure",
    dates: str = "midpoint",
    placebo: str | None = "12m",
    placebo_origin: str | None = None,
    group_by: str = "sector",
) -> Survival:
    """Survival of the ties active on a reform's eve, by group, with tests and a Cox model.

    Args:
        db: the knowledge base.
        selection: the ties followed (`kb.analyses.selection.Selection`; every tie by
            default), among those active on each cohort's origin.
        reform: the reform id.
        by: the groups compared: ``exposure`` (exposed ties against the others), ``type``,
            ``sector-pair`` (the unordered pair of the ends' ``group_by`` values) or
            ``stage`` (the stage in which the tie started).
        dates: ``midpoint`` or ``interval`` (see the module docstring).
        placebo: a window (``12m``): repeat the analysis at the eve minus it, followed until
            the day before the eve; None (or ``0``, ``none``) for no placebo.
        placebo_origin: a date to start the placebo window at instead (followed for
            ``placebo``, ending before the eve), e.g. to avoid another reform.
        group_by: the actor property that defines sectors.

    Returns:
        a `Survival`: ``reform``, ``origin``, ``observed_until``,
        ``observed_until_source``, ``by``, ``dates``, ``group_by``, ``types``,
        ``min_evidence``, ``triangulated``, ``time_unit``, ``cohorts``, ``warnings``,
        ``ties``: per cohort its groups (Kaplan-Meier or Turnbull
        curve, median, readings every 6 months), the log-rank test across groups, the Cox
        model (exposed, cross-sector, weight, tie type; each row with a ``status``), the other
        reforms whose date falls in its window (``other_reforms``), ``warnings`` (what cannot
        be trusted, and what to do) and ``notes``; ``ties`` is every tie's follow-up (the
        data the numbers come from).

    Raises:
        ValidationError: no reform has that id, a bad option, observation ends before the
            reform, or a placebo origin that is not a date, lies outside the case, or whose
            window would reach the eve.
    """
    if placebo is not None and placebo.lower() in ("0", "none"):
        placebo = None
    if by not in GROUPINGS:
        raise ParameterError("by", by, f"use one of {', '.join(GROUPINGS)}.")
    check_convention(dates)
    check_attribute(group_by)
    if placebo is not None:
        parse_window(placebo, parameter="placebo")
    found = get_reform(db, reform)
    eve = found["first"] - DAY
    end = observation_end(db)
    until: date = end["observed_until"]
    if until < eve:
        raise ValidationError(
            f"Observation ends on {until} ({_source(end)}), before the reform's eve {eve}."
        )
    stages = [(str(s["id"]), s["first"], s["last"]) for s in db.read("network/stages")]
    cohorts = [("reform", eve, until)]
    if placebo is not None:
        cohorts.append(("placebo", *_placebo_window(db, eve, placebo, placebo_origin)))
    elif placebo_origin is not None:
        raise ParameterError.sentence("{placebo_origin} needs a placebo window: drop {placebo} 0.")
    dated = [
        (str(r["id"]), r["name"], str(r["date"]), PartialDate.parse(str(r["date"])).first)
        for r in reforms(db)
        if r["date"] and r["id"] != found["id"]
    ]
    results: list[dict[str, Any]] = []
    ties: list[dict[str, Any]] = []
    for name, origin, last in cohorts:
        rows = db.read(
            "reforms/ties_at_risk",
            reform=reform,
            origin=origin,
            group_by=group_by,
            **selection.params(),
        )
        if not rows and name == "reform":
            check_selection(db, selection)
        members = [_tie_row(name, row, origin, last, dates, stages) for row in rows]
        for member in members:
            member["group"] = _group(member, by)
        ties += members
        cohort = _cohort(name, origin, last, members, dates)
        _flag_other_reforms(cohort, dated)
        results.append(cohort)
    return Survival(
        reform={"id": found["id"], "name": found["name"], "date": found["date"]},
        origin=eve,
        observed_until=until,
        observed_until_source=end["source"],
        observed_until_set_by=end["set_by"],
        by=by,
        dates=dates,
        group_by=group_by,
        types=selection.type_list,
        **selection.evidence_params(),
        time_unit="days",
        cohorts=results,
        warnings=[
            f"{cohort['cohort']}: {warning}"
            for cohort in results
            for warning in cohort["warnings"] + ((cohort["cox"] or {}).get("warnings") or [])
        ],
        ties=ties,
    )


def _placebo_window(
    db: Reader, eve: date, placebo: str, origin_text: str | None
) -> tuple[date, date]:
    """The placebo cohort's origin and last day: ``placebo`` before the eve to the day
    before it, or ``placebo`` long from a chosen origin (which must end before the eve)."""
    period = parse_at(origin_text, parameter="placebo_origin")
    if period is None or period.first is None:
        return add_window(eve, placebo, sign=-1, parameter="placebo"), eve - DAY
    check_period(db, period, parameter="placebo_origin")
    origin = period.first
    last = add_window(origin, placebo, parameter="placebo") - DAY
    if last >= eve:
        latest = add_window(eve, placebo, sign=-1, parameter="placebo")
        raise ParameterError.sentence(
            "{placebo_origin} {_origin}: a {_placebo} placebo window from it runs to {_last}, "
            "past the reform's eve {_eve}; give an origin on or before {_latest}.",
            _origin=origin_text,
            _placebo=placebo,
            _last=last,
            _eve=eve,
            _latest=latest,
        )
    return origin, last


def _flag_other_reforms(cohort: dict[str, Any], dated: list[tuple[str, Any, str, date]]) -> None:
    """Name the other reforms dated inside the cohort's follow-up; a placebo window that holds
    one is no clean comparison, so it gets a warning."""
    origin, until = cohort["origin"], cohort["until"]
    inside = [
        {"id": rid, "name": name, "date": text}
        for rid, name, text, first in dated
        if origin < first <= until
    ]
    cohort["other_reforms"] = inside
    if not inside:
        return
    names = ", ".join(f"{r['id']} ({r['date']})" for r in inside)
    if cohort["cohort"] == "placebo":
        cohort["warnings"].append(
            f"The placebo window {origin} to {until} contains {names}: its ends may be that "
            "reform's doing, so it is no clean comparison; choose a window without a reform "
            "(--placebo-origin)."
        )
    else:
        cohort["notes"].append(f"Follow-up also spans {names}: later ends may be its doing.")


def _source(end: dict[str, Any]) -> str:
    return end_words(
        {"observed_until_source": end["source"], "observed_until_set_by": end["set_by"]}
    )


def end_words(result: Mapping[str, Any]) -> str:
    """What sets the end of observation of a `tie_survival` result, in words: ``declared:
    observed_until of case quebec-wg`` or ``the latest date in the data: date of Evidence
    ev-0507`` (one late record moves it, so every output names it)."""
    how = "declared" if result["observed_until_source"] == "case" else "the latest date in the data"
    return f"{how}: {result['observed_until_set_by']}"


def _tie_row(
    cohort: str,
    row: dict[str, Any],
    origin: date,
    until: date,
    dates: str,
    stages: list[tuple[str, date | None, date | None]],
) -> dict[str, Any]:
    start = row["start_first"]
    spell = follow_up(origin, until, row["end_first"], row["end_last"], dates=dates)
    source_group = NO_GROUP if row["source_group"] is None else str(row["source_group"])
    target_group = NO_GROUP if row["target_group"] is None else str(row["target_group"])
    weight = row["weight"]
    return {
        "cohort": cohort,
        "tie": row["tie"],
        "type": row["type"],
        "source": row["source"],
        "target": row["target"],
        "start_first": start,
        "end": row["end"],
        **asdict(spell),
        "exposed": bool(row["exposed_via"]),
        "exposed_via": sorted(set(row["exposed_via"])),
        "sector_pair": "/".join(sorted((source_group, target_group))),
        "cross_sector": source_group != target_group,
        "weight": 1.0 if weight is None else float(weight),
        "stage": _stage_of(start, stages),
    }


def _stage_of(start: date | None, stages: list[tuple[str, date | None, date | None]]) -> str:
    if start is None:
        return NO_STAGE
    for stage, first, last in stages:
        if (first is None or first <= start) and (last is None or start <= last):
            return stage
    return NO_STAGE


def _group(tie: dict[str, Any], by: str) -> str:
    if by == "exposure":
        return EXPOSED if tie["exposed"] else NOT_EXPOSED
    if by == "type":
        return str(tie["type"])
    if by == "sector-pair":
        return str(tie["sector_pair"])
    return str(tie["stage"])


def _cohort(
    name: str, origin: date, until: date, ties: list[dict[str, Any]], dates: str
) -> dict[str, Any]:
    from kb.measures import survival

    horizon = (until - origin).days + 1
    every = READING_MONTHS * MONTH
    readings = [k * every for k in range(int(horizon / every) + 1)]
    notes: list[str] = []
    groups: list[dict[str, Any]] = []
    names = sorted({t["group"] for t in ties}, key=lambda g: (g != EXPOSED, g))
    for group in names:
        members = [t for t in ties if t["group"] == group]
        groups.append(_curve(group, members, readings, dates))
    result: dict[str, Any] = {
        "cohort": name,
        "origin": origin,
        "until": until,
        "ties": len(ties),
        "events": sum(1 for t in ties if t["event"]),
        "groups": groups,
        "logrank": None,
        "cox": None,
        "other_reforms": [],
        "warnings": [],
        "notes": notes,
    }
    if dates == "interval":
        notes.append(
            "Curves: Turnbull's estimate of the interval-censored ends (no confidence band); "
            "the log-rank test and the Cox model use the interval midpoints."
        )
    durations = [t["time"] for t in ties]
    events = [bool(t["event"]) for t in ties]
    if len(names) >= 2 and any(events):
        result["logrank"] = asdict(survival.logrank(durations, events, [t["group"] for t in ties]))
    elif ties:
        notes.append("No log-rank test: it needs two groups and at least one ended tie.")
    if ties and any(events):
        covariates, reference = design(ties)
        try:
            model = survival.cox(durations, events, covariates)
        except ValueError as error:
            result["warnings"].append(f"No Cox model: {error}.")
        else:
            result["cox"] = {**asdict(model), "reference_type": reference}
    else:
        notes.append("No Cox model: no tie ended during follow-up.")
    return result


def design(ties: list[dict[str, Any]]) -> tuple[dict[str, list[float]], str | None]:
    """The Cox model's covariates: exposed, cross_sector, weight and one indicator per tie
    type but the most common (the reference, returned too)."""
    counts = Counter(str(t["type"]) for t in ties)
    reference = min(counts, key=lambda k: (-counts[k], k)) if counts else None
    covariates: dict[str, list[float]] = {
        "exposed": [float(t["exposed"]) for t in ties],
        "cross_sector": [float(t["cross_sector"]) for t in ties],
        "weight": [float(t["weight"]) for t in ties],
    }
    for kind in sorted(counts):
        if kind != reference:
            covariates[f"type={kind}"] = [float(t["type"] == kind) for t in ties]
    return covariates, reference


def _curve(
    group: str, ties: list[dict[str, Any]], readings: list[float], dates: str
) -> dict[str, Any]:
    from kb.measures import survival

    if dates == "interval":
        estimate = survival.turnbull([t["lower"] for t in ties], [t["upper"] for t in ties])
        at = [
            {
                "time": time,
                "at_risk": sum(1 for t in ties if t["lower"] >= time),
                "survival": next(
                    (s.survival for s in reversed(estimate.steps) if s.right <= time), 1.0
                ),
                "lower": None,
                "upper": None,
            }
            for time in readings
        ]
        return {
            "group": group,
            "estimator": "turnbull",
            "n": estimate.n,
            "events": estimate.events,
            "censored": estimate.censored,
            "median": estimate.median,
            "median_lower": None,
            "median_upper": None,
            "at": at,
            "steps": [asdict(s) for s in estimate.steps],
        }
    km = survival.kaplan_meier(
        [t["time"] for t in ties], [bool(t["event"]) for t in ties], at=readings
    )
    return {
        "group": group,
        "estimator": "kaplan-meier",
        "n": km.n,
        "events": km.events,
        "censored": km.censored,
        "median": km.median,
        "median_lower": km.median_lower,
        "median_upper": km.median_upper,
        "at": [asdict(a) for a in km.at],
        "steps": [asdict(s) for s in km.steps],
    }
