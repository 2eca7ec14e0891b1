"""kb reforms list / broken-ties / brokerage-change / survival."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from kb.cli.base import FormatOption, GroupByOption, app, open_kb, use_known_at
from kb.cli.render import Format, emit_data, emit_result, emit_rows, message
from kb.cli.selection import SELECTED, KnownAtOption, selection_options

if TYPE_CHECKING:
    from kb.analyses.selection import Selection
    from kb.analyses.survival import Survival

# -- kb reforms ------------------------------------------------------------------------------
reforms_app = typer.Typer(no_args_is_help=True, help="Reforms and the ties they broke.")
app.add_typer(reforms_app, name="reforms")


@reforms_app.command("list")
def reforms_list(fmt: FormatOption = Format.table, known_at: KnownAtOption = None) -> None:
    """The reforms of the case and the organizations each affected.

    Example: kb reforms list
    """
    use_known_at(known_at)
    with open_kb() as base:
        reforms = base.reforms()
    rows = [
        {**r, "organizations": [f"{o['id']} ({o['effect']})" for o in r["organizations"]]}
        for r in reforms
    ]
    emit_result(
        reforms,
        fmt,
        rows,
        title="Reforms",
        columns=["id", "name", "date", "effects", "organizations"],
    )


@reforms_app.command("broken-ties")
@selection_options(at=False)
def reforms_broken_ties(
    reform: Annotated[str, typer.Option("--reform", help="Reform id (kb reforms list).")],
    window: Annotated[
        str,
        typer.Option("--window", help="After the reform: 12m, 1y, 90d, 6w (at most 200 years)."),
    ] = "12m",
    selection: Selection = SELECTED,
    fmt: FormatOption = Format.table,
) -> None:
    """Ties active on the eve of a reform that ended within the window, touching an
    organization it affected (directly or through a member), with the evidence.

    Example: kb reforms broken-ties --reform bill-10 --window 15m
    """
    with open_kb() as base:
        ties = base.broken_ties(selection, reform=reform, window=window)
    rows = [
        {
            "tie": t["tie"],
            "type": t["type"],
            "source_name": t["source_name"] or t["source"],
            "target_name": t["target_name"] or t["target"],
            "start": t["start"],
            "end": t["end"],
            "effect": "; ".join(
                f"{e['organization']} {e['effect']} (via {e['via']})" for e in t["effects"]
            ),
            "evidence": "\n".join(f"{e['id']}: {e.get('quote') or ''}" for e in t["evidence"]),
        }
        for t in ties
    ]
    emit_result(
        ties,
        fmt,
        rows,
        title=f"Ties broken after {reform} (window {window}){selection.words()}",
        columns=["tie", "type", "source_name", "target_name", "start", "end", "effect", "evidence"],
        headers={"source_name": "source", "target_name": "target"},
    )


@reforms_app.command("brokerage-change")
@selection_options(at=False)
def reforms_brokerage_change(
    reform: Annotated[str, typer.Option("--reform", help="Reform id (kb reforms list).")],
    group_by: GroupByOption = "sector",
    before: Annotated[
        str | None, typer.Option("--before", help="Default: the day before the reform.")
    ] = None,
    after: Annotated[
        str | None, typer.Option("--after", help="Default: the reform date plus --window.")
    ] = None,
    window: Annotated[
        str,
        typer.Option("--window", help="Default span after the reform (12m; at most 200 years)."),
    ] = "12m",
    selection: Selection = SELECTED,
    fmt: FormatOption = Format.table,
) -> None:
    """Per actor, brokerage opportunities kept, lost and gained across a reform.

    Example: kb reforms brokerage-change --reform bill-10 --group-by sector
    """
    with open_kb() as base:
        result = base.brokerage_change(
            selection,
            reform=reform,
            group_by=group_by,
            before=before,
            after=after,
            window=window,
        )
    rows = [
        {
            **a,
            "lost_by_role": ", ".join(f"{k} {v}" for k, v in a["lost_by_role"].items()),
            "gained_by_role": ", ".join(f"{k} {v}" for k, v in a["gained_by_role"].items()),
        }
        for a in result.actors
    ]
    emit_result(
        result,
        fmt,
        rows,
        title=f"Brokerage {result.before} -> {result.after} ({reform})" + selection.words(),
        columns=[
            "id",
            "name",
            "group",
            "before",
            "after",
            "kept",
            "lost",
            "gained",
            "lost_by_role",
            "gained_by_role",
        ],
    )


# -- kb reforms survival ------------------------------------------------------------------------
PlaceboOriginOption = Annotated[
    str | None,
    typer.Option(
        "--placebo-origin",
        help="Start the placebo window on this date (e.g. 2013-11-09) instead of --placebo "
        "before the eve; it must end before the eve.",
    ),
]


def _interval(lower: float | None, upper: float | None, digits: int = 0) -> str:
    if lower is None and upper is None:
        return ""
    low = "…" if lower is None else f"{lower:.{digits}f}"
    high = "…" if upper is None else f"{upper:.{digits}f}"
    return f"{low}–{high}"


def _cox_row(cohort: str, c: dict[str, Any]) -> dict[str, Any]:
    """One covariate: its numbers when they can be trusted, else its status in their place."""
    if c["status"] != "ok":
        return {"cohort": cohort, "covariate": c["name"], "HR": c["status"]}
    return {
        "cohort": cohort,
        "covariate": c["name"],
        "HR": c["hazard_ratio"],
        "95% CI": _interval(c["lower"], c["upper"], 2),
        "p": c["p"],
        "PH p": c["ph_p"],
    }


def survival_rows(result: Survival) -> dict[str, list[dict[str, Any]]]:
    """The tables of `kb reforms survival`: cohorts, groups, readings, tests and the Cox
    model (its rows and its fit), from the result's records (`kb.analyses.survival`)."""
    cohorts = [
        {
            "cohort": cohort["cohort"],
            "from": cohort["origin"],
            "to": cohort["until"],
            "ties": cohort["ties"],
            "ended": cohort["events"],
            "other reforms": ", ".join(
                f"{r['id']} ({r['date']})" for r in cohort.get("other_reforms", [])
            )
            + (" !" if cohort["cohort"] == "placebo" and cohort.get("other_reforms") else ""),
        }
        for cohort in result.cohorts
    ]
    groups = [
        {
            "cohort": g["cohort"],
            "group": g["group"],
            "ties": g["n"],
            "ended": g["events"],
            "median": g["median"],
            "95% CI": _interval(g["median_lower"], g["median_upper"]),
        }
        for g in result.group_records()
    ]
    readings = [
        {
            "cohort": at["cohort"],
            "group": at["group"],
            "month": round(at["time"] / (365.25 / 12)),
            "at_risk": at["at_risk"],
            "survival": at["survival"],
            "95% CI": _interval(at["lower"], at["upper"], 3),
        }
        for at in result.reading_records()
    ]
    tests = [
        {"cohort": t["cohort"], "chi2": t["statistic"], "df": t["df"], "p": t["p"]}
        for t in result.logrank_records()
    ]
    fits = [
        {
            "cohort": f["cohort"],
            "status": f["status"],
            "ended/cov": f["events_per_covariate"],
            "LR p": f["lr_p"],
            "C": f["concordance"],
            "global PH p": f["ph_global_p"],
        }
        for f in result.fit_records()
    ]
    return {
        "cohorts": cohorts,
        "groups": groups,
        "readings": readings,
        "tests": tests,
        "cox": [_cox_row(c["cohort"], c) for c in result.cox_records()],
        "fits": fits,
    }


@reforms_app.command("survival")
@selection_options(at=False)
def reforms_survival(
    reform: Annotated[str, typer.Option("--reform", help="Reform id (kb reforms list).")],
    by: Annotated[
        str, typer.Option("--by", help="Groups: exposure, type, sector-pair or stage.")
    ] = "exposure",
    dates: Annotated[
        str,
        typer.Option("--dates", help="Partial end dates: midpoint, or interval (Turnbull)."),
    ] = "midpoint",
    placebo: Annotated[
        str,
        typer.Option(
            "--placebo",
            help="Placebo cohort this long before the eve (12m, 1y, 90d, 6w; at most 200 years); "
            "0 or none for none.",
        ),
    ] = "12m",
    placebo_origin: PlaceboOriginOption = None,
    group_by: GroupByOption = "sector",
    selection: Selection = SELECTED,
    fmt: FormatOption = Format.table,
) -> None:
    """Survival of the ties active on a reform's eve: did exposed ties end sooner?

    Kaplan-Meier curves per group with 95 % log-log bands, numbers at risk every 6 months,
    medians, the log-rank test and a Cox model (exposed, cross-sector, weight, tie type) with
    R's cox.zph test of proportional hazards; the same for a placebo cohort one --placebo
    earlier (or from --placebo-origin). Ties still active when observation ends are censored
    there. A covariate the model cannot estimate shows its status (no-variance, collinear,
    separation, not-converged, unstable) instead of numbers, with a warning saying what to
    do; so does a placebo window that holds another reform. See docs/analyses.md.

    Example: kb reforms survival --reform bill-10 --by exposure --dates midpoint

    Example: kb reforms survival --reform bill-20 --placebo-origin 2013-11-09
    """
    with open_kb() as base:
        result = base.tie_survival(
            selection,
            reform=reform,
            by=by,
            dates=dates,
            group_by=group_by,
            placebo=placebo,
            placebo_origin=placebo_origin,
        )
    from kb.analyses.survival import end_words

    source = f"end of observation, {end_words(result)}"
    message(
        f"Ties active on {result['origin']} (eve of {reform}), followed to "
        f"{result['observed_until']} ({source}); partial end dates: {dates}; time in days"
        f"{selection.words()}."
    )
    if fmt is not Format.table:
        emit_data(result, fmt)
        return
    tables = survival_rows(result)
    emit_rows(tables["cohorts"], fmt, title="Cohorts (!: a placebo window holding a reform)")
    emit_rows(tables["groups"], fmt, title=f"Tie survival after {reform}, by {by} (days)")
    emit_rows(tables["readings"], fmt, title="Survival every 6 months")
    emit_rows(tables["tests"], fmt, title="Log-rank test across groups")
    emit_rows(
        tables["cox"],
        fmt,
        title="Cox model: hazard ratios, or why there is none (PH p: cox.zph)",
        columns=["cohort", "covariate", "HR", "95% CI", "p", "PH p"],
    )
    emit_rows(tables["fits"], fmt, title="Cox model fit (C: concordance)")
    for cohort in result["cohorts"]:
        reference = (cohort["cox"] or {}).get("reference_type")
        if reference:
            message(f"{cohort['cohort']}: tie types compared with {reference}.")
        for note in cohort["notes"] + ((cohort["cox"] or {}).get("notes") or []):
            message(f"{cohort['cohort']}: {note}")
    for warning in result["warnings"]:
        message(f"Warning: {warning}", style="yellow")
