"""kb plot evolution|network (pictures as PNG or SVG) and kb report (one HTML page)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kb.analyses.brokerage import TOP_BROKERS
from kb.cli.base import GroupByOption, app, open_kb
from kb.cli.pseudonymise import (
    DatesOption,
    GeneraliseOption,
    KeepTextOption,
    PseudonymiseOption,
    pseudonymisation,
    report_risk,
)
from kb.cli.reforms import PlaceboOriginOption
from kb.cli.render import message
from kb.cli.selection import SELECTED, selection_options

if TYPE_CHECKING:
    from kb.analyses.selection import Selection

plot_app = typer.Typer(
    no_args_is_help=True,
    help="Draw the case as PNG or SVG: the network's evolution over time, the network of "
    "one period with its brokers, the survival of ties across a reform.",
)
app.add_typer(plot_app, name="plot")


class By(enum.StrEnum):
    """Periods the evolution is compared over."""

    stage = "stage"
    year = "year"
    quarter = "quarter"


OutPicture = Annotated[
    Path,
    typer.Option(
        "--out", "-o", help="The picture to write: .png or .svg (the suffix picks the format)."
    ),
]


@plot_app.command("evolution")
@selection_options(at=False)
def plot_evolution(
    out: OutPicture,
    by: Annotated[
        By, typer.Option("--by", help="Compare stages, years or quarters.", case_sensitive=False)
    ] = By.stage,
    group_by: GroupByOption = "sector",
    selection: Selection = SELECTED,
) -> None:
    """Draw the evolution metrics over time as small multiples on one time axis.

    Panels: actors with ties, tied pairs, density, components, E-I index, and pairs formed
    and dissolved since the previous period. The case's stages are shaded and named; reforms
    are red vertical lines with their names. The same data gives a byte-identical file, its
    provenance (when it was made) aside.

    Example: kb plot evolution --out evolution.svg --by quarter
    """
    from kb.presentation import plots

    fmt = plots.format_of(out)
    with open_kb(schema=False) as base:
        rows = base.evolution(selection, by=by.value, group_by=group_by)
        stages, reforms = base.stages(), base.reforms()
    data = plots.evolution_picture(
        rows,
        stages=stages,
        reforms=reforms,
        by=by.value,
        group_by=group_by,
        fmt=fmt,
        selection=selection,
    )
    plots.save(data, out)
    message(f"Wrote {out}: the network's evolution by {by.value} ({fmt.upper()}).")


PictureAtOption = Annotated[
    str | None,
    typer.Option("--at", help="Ties whose spell overlaps this date (YYYY, YYYY-MM or YYYY-MM-DD)."),
]


@plot_app.command("network")
@selection_options(at=PictureAtOption)
def plot_network(
    out: OutPicture,
    selection: Selection = SELECTED,
    stage: Annotated[
        str | None,
        typer.Option("--stage", help="Ties whose spell overlaps this stage (a stage id)."),
    ] = None,
    group_by: GroupByOption = "sector",
    top: Annotated[
        int, typer.Option("--top", min=0, max=50, help="How many brokers to highlight.")
    ] = TOP_BROKERS,
) -> None:
    """Draw the network of one period, actors coloured by group, the top brokers highlighted.

    Brokers are the actors with the most Gould–Fernandez brokerage (kb brokerage) in that
    period, drawn larger with a dark outline and labelled with their rank and name. Directed
    ties are arrows, undirected ties plain lines. The layout is seeded and computed on all ties
    of the selected types, so every period puts each actor in the same place, and the same
    data gives a byte-identical file, its provenance aside. Without --at or --stage: every
    tie, whatever its spell.

    Example: kb plot network --stage mobilization --out mobilization.png
    """
    from kb.presentation import plots

    fmt = plots.format_of(out)
    with open_kb(schema=False) as base:
        shot = base.network_snapshot(selection, stage=stage, group_by=group_by, top=top)
    plots.save(plots.network_picture(shot, fmt=fmt), out)
    brokers = ", ".join(f"{i + 1}. {b['name'] or b['id']}" for i, b in enumerate(shot.brokers))
    message(f"Wrote {out}: {shot.title}. Top brokers: {brokers or 'none'}.")


@app.command("report")
@selection_options(at=False)
def report(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The HTML file to write (e.g. report.html).")
    ],
    group_by: GroupByOption = "sector",
    from_group: Annotated[
        str,
        typer.Option("--from", help="Legitimacy: the group whose reach is measured."),
    ] = "community",
    to_group: Annotated[
        str, typer.Option("--to", help="Legitimacy: the group it should reach.")
    ] = "public",
    selection: Selection = SELECTED,
    window: Annotated[
        str,
        typer.Option(
            "--window",
            help="Broken ties: how long after a reform a tie may end (12m, 1y, 90d; at most "
            "200 years).",
        ),
    ] = "12m",
    with_view: Annotated[
        bool,
        typer.Option(
            "--view/--no-view",
            help="Embed kb view's page (the network over time) in a sandboxed frame; "
            "--no-view leaves it out and the page holds no script.",
        ),
    ] = True,
    pseudonymise: PseudonymiseOption = None,
    keep_text: KeepTextOption = False,
    dates: DatesOption = None,
    generalise: GeneraliseOption = None,
) -> None:
    """Write one self-contained HTML page about the case (docs/report.md).

    Sections: overview (counts, stages, reforms), the network of each stage, brokerage,
    legitimacy paths, ties broken by each reform with their evidence, tie survival,
    evolution, a permutation test, the main results on all ties against triangulated ties,
    consensus, and the network over time (kb view's page, in a sandboxed frame).
    --min-evidence / --triangulated select the ties of every section but that comparison.
    Pictures are inline SVG and the CSS is inline: no external file, no request; the only
    script is the view's, which cannot reach the rest of the page (--no-view: none).

    With --pseudonymise, actors are renamed and names masked in every section, evidence
    text dropped (or masked with --keep-text), and a risk report written beside the page;
    with --dates month (year) too, every date shown is coarsened.

    Example: kb report --out report.html --group-by sector --from community --to public

    Example: kb report --out shared.html --pseudonymise
    """
    from kb.presentation import plots
    from kb.presentation.report import render_report
    from kb.presentation.view import render_view

    settings = pseudonymisation(
        pseudonymise, keep_text=keep_text, dates=dates, generalise=generalise
    )
    with open_kb(schema=False) as base:
        results = base.case_results(
            selection, group_by=group_by, from_group=from_group, to_group=to_group, window=window
        )
        case = base.case_view(selection) if with_view else None
        if settings is not None:
            from kb.exports.network import actor_network
            from kb.exports.pseudonymise import (
                Pseudonymiser,
                pseudonymise_results,
                pseudonymise_view,
            )

            pseudonymiser = Pseudonymiser.for_case(base, settings)
            results = pseudonymise_results(results, pseudonymiser)
            # the embedded view shows the same renamed actors and masked evidence
            case = pseudonymise_view(case, pseudonymiser) if case is not None else None
            network = pseudonymiser.network(actor_network(base, selection))
    view = render_view(case, title="The network over time") if case is not None else None
    page = render_report(results, view=view)
    plots.save(page, out)
    message(f"Wrote {out} ({len(page.encode('utf-8')):,} bytes).")
    if settings is not None:
        from kb.exports.files import ExportResult
        from kb.exports.pseudonymise import attach_risk_report

        report_risk(
            attach_risk_report(ExportResult(str(out), "report", {}), network, pseudonymiser, out)
        )


@plot_app.command("survival")
@selection_options(at=False)
def plot_survival(
    out: OutPicture,
    reform: Annotated[str, typer.Option("--reform", help="Reform id (kb reforms list).")],
    by: Annotated[
        str, typer.Option("--by", help="Groups: exposure, type, sector-pair or stage.")
    ] = "exposure",
    dates: Annotated[
        str, typer.Option("--dates", help="Partial end dates: midpoint, or interval (Turnbull).")
    ] = "midpoint",
    placebo: Annotated[
        str,
        typer.Option(
            "--placebo", help="Placebo cohort this long before (at most 200 years); 0 for none."
        ),
    ] = "12m",
    placebo_origin: PlaceboOriginOption = None,
    group_by: GroupByOption = "sector",
    selection: Selection = SELECTED,
) -> None:
    """Draw the survival of the ties active on a reform's eve, per group (kb reforms survival).

    Kaplan-Meier curves with 95 % bands (Turnbull steps with --dates interval), the placebo
    cohort dashed, and the numbers at risk every 6 months under the axis, one labelled row per
    group.

    Example: kb plot survival --reform bill-10 --out survival.svg
    """
    from kb.presentation import plots
    from kb.presentation.survival_plot import survival_chart

    fmt = plots.format_of(out)
    with open_kb(schema=False) as base:
        result = base.tie_survival(
            selection,
            reform=reform,
            by=by,
            dates=dates,
            group_by=group_by,
            placebo=placebo,
            placebo_origin=placebo_origin,
        )
    plots.save(survival_chart(result, fmt=fmt), out)
    message(f"Wrote {out}: survival of ties after {reform} by {by} ({fmt.upper()}).")
