"""The survival picture of `kb reforms survival`: curves per group with bands and numbers at
risk, drawn from the result it is given (it never queries or computes an estimate).

Same conventions as `kb.presentation.plots`: Agg canvas through ``Figure``, fixed sizes and
fonts, salted SVG ids and no date in the file, so the same result gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kb.analyses.selection import Selection
from kb.analyses.survival import end_words
from kb.errors import ValidationError
from kb.presentation.plots import PALETTE, _new_figure, render, style

MONTH = 365.25 / 12


def _steps(group: Mapping[str, Any]) -> tuple[list[float], list[float], list[Any], list[Any]]:
    """The curve as step points in months, starting at (0, 1)."""
    xs, ys, lows, highs = [0.0], [1.0], [None], [None]
    for step in group["steps"]:
        if group["estimator"] == "kaplan-meier":
            x = step["time"] / MONTH
        else:  # R draws a Turnbull drop at the middle of its interval
            x = (step["left"] + step["right"]) / 2 / MONTH
        xs.append(x)
        ys.append(step["survival"])
        lows.append(step.get("lower"))
        highs.append(step.get("upper"))
    return xs, ys, lows, highs


def survival_figure(result: Mapping[str, Any], *, cohorts: Sequence[str] = ("reform",)) -> Any:
    """Curves of the chosen cohorts (placebo dashed), bands shaded, at-risk table below.

    Args:
        result: a :meth:`KnowledgeBase.tie_survival` result.
        cohorts: which cohorts to draw (``reform``, ``placebo``).

    Raises:
        ValidationError: the result has none of those cohorts, or no tie.
    """
    chosen = [c for c in result["cohorts"] if c["cohort"] in cohorts and c["groups"]]
    if not chosen:
        raise ValidationError("Nothing to plot: no tie was active on the reform's eve.")
    names = sorted({g["group"] for c in chosen for g in c["groups"]})
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}
    figure = _new_figure(8.0, 6.0)
    axis, table = figure.subplots(2, 1, gridspec_kw={"height_ratios": [4, 1.1 + 0.18 * len(names)]})
    # room on the left for the at-risk rows' group labels (about 0.0085 of the width a letter)
    longest = max(len(_label(g["group"])) for g in chosen[0]["groups"])
    left = min(0.26, max(0.1, 0.05 + 0.0085 * longest))
    figure.subplots_adjust(left=left, right=0.97, top=0.88, bottom=0.06, hspace=0.32)
    reform = result["reform"]
    figure.text(
        0.1,
        0.965,
        f"Survival of ties after {reform['id']} ({reform['date']})",
        ha="left",
        va="top",
        fontsize=13,
        fontweight="bold",
    )
    source = end_words(result)
    figure.text(
        0.1,
        0.925,
        f"Ties active on {result['origin']}, followed to {result['observed_until']} "
        f"(end of observation: {source}); partial end dates: {result['dates']}; "
        f"groups: {result['by']}{_evidence_words(result)}.",
        ha="left",
        va="top",
        fontsize=8,
        color="#555555",
    )
    horizon = 0.0
    for cohort in chosen:
        dashed = cohort["cohort"] == "placebo"
        for group in cohort["groups"]:
            xs, ys, lows, highs = _steps(group)
            end = (
                (cohort["until"] - cohort["origin"]).days + 1
                if hasattr(cohort["until"], "year")
                else xs[-1] * MONTH
            ) / MONTH
            horizon = max(horizon, end)
            xs_plot, ys_plot = [*xs, end], [*ys, ys[-1]]
            colour = colours[group["group"]]
            label = group["group"] + (" (placebo)" if dashed else "")
            axis.step(
                xs_plot,
                ys_plot,
                where="post",
                color=colour,
                linewidth=1.8,
                linestyle="--" if dashed else "-",
                label=label,
            )
            if not dashed and group["estimator"] == "kaplan-meier":
                low = [1.0 if v is None else v for v in lows] + [lows[-1] or 1.0]
                high = [1.0 if v is None else v for v in highs] + [highs[-1] or 1.0]
                axis.fill_between(
                    xs_plot, low, high, step="post", color=colour, alpha=0.15, linewidth=0
                )
    axis.set_xlim(0, max(horizon, 1.0))
    axis.set_ylim(-0.02, 1.02)
    axis.set_ylabel("share of ties still active")
    axis.set_xlabel("months since the reform's eve")
    axis.grid(color="#DDDDDD", linewidth=0.5)
    axis.legend(loc="lower left", fontsize=8, frameon=False)
    ticks = list(range(0, int(horizon) + 1, 6))
    axis.set_xticks(ticks)
    _at_risk_table(table, chosen[0], ticks, colours)
    return figure


def _at_risk_table(
    axis: Any, cohort: Mapping[str, Any], ticks: list[int], colours: Mapping[str, str]
) -> None:
    """Numbers at risk of the first cohort under the curves, one row per group."""
    axis.set_xlim(*((0, max(ticks[-1], 1)) if ticks else (0, 1)))
    axis.set_ylim(-0.5, len(cohort["groups"]) + 0.5)
    axis.axis("off")
    axis.text(0, len(cohort["groups"]) + 0.2, "at risk", fontsize=8, fontweight="bold")
    for row, group in enumerate(reversed(cohort["groups"])):
        # the row's group, left of the axis (x in axis fractions, y in rows)
        axis.text(
            -0.035,
            row,
            _label(group["group"]),
            transform=axis.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=8,
            color=colours[group["group"]],
        )
        for reading in group["at"]:
            month = reading["time"] / MONTH
            if any(abs(month - t) < 0.5 for t in ticks):
                axis.text(
                    month,
                    row,
                    str(reading["at_risk"]),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color=colours[group["group"]],
                )


def _label(group: str, longest: int = 22) -> str:
    """A group's name as an at-risk row label, shortened past ``longest`` letters."""
    return group if len(group) <= longest else group[: longest - 1] + "…"


def survival_chart(result: Mapping[str, Any], *, fmt: str = "png") -> bytes:
    """The survival picture of a :meth:`KnowledgeBase.tie_survival` result as PNG or SVG."""
    with style(f"survival-{result['reform']['id']}"):
        return render(survival_figure(result, cohorts=("reform", "placebo")), fmt)


def _evidence_words(result: Mapping[str, Any]) -> str:
    """``; only triangulated ties``... when the result used an evidence selection."""
    selection = Selection(
        min_evidence=result.get("min_evidence", 0),
        triangulated=bool(result.get("triangulated", False)),
        coders=result.get("coders"),
    )
    return f"; only {selection.describe()}" if selection.active else ""
