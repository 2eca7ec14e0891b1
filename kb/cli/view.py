"""kb view: the case over time as one offline HTML page (docs/view.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kb.cli.base import FormatOption, app, open_kb
from kb.cli.pseudonymise import (
    DatesOption,
    GeneraliseOption,
    KeepTextOption,
    PseudonymiseOption,
    pseudonymisation,
    report_risk,
)
from kb.cli.render import Format, emit_mapping, message
from kb.cli.selection import SELECTED, selection_options

if TYPE_CHECKING:
    from kb.analyses.selection import Selection


@app.command()
@selection_options(at=False)
def view(
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML page to write.")] = Path(
        "case.html"
    ),
    title: Annotated[
        str, typer.Option("--title", help="The page's title.")
    ] = "kb view of the case",
    selection: Selection = SELECTED,
    fmt: FormatOption = Format.table,
    pseudonymise: PseudonymiseOption = None,
    keep_text: KeepTextOption = False,
    dates: DatesOption = None,
    generalise: GeneraliseOption = None,
) -> None:
    """Write the evolving network as one self-contained HTML page: a time slider, evidence
    on click, the network at every date exactly as --at selects it.

    The page needs no server and makes no request (it opens from a USB stick or an
    e-mail attachment); positions are computed by kb and fixed over time, so the same data
    gives a byte-identical file, its provenance aside. Selection options thin out the ties
    the page holds.

    Open the page in any browser; docs/view.md describes it and its JavaScript API. With
    --format json, what was written is printed as JSON ({out, bytes, actors, ties, dates}).

    With --pseudonymise, actors are renamed, evidence text dropped (or masked with
    --keep-text), the title's names masked, and a risk report written beside the page.
    With --dates month (year) too, every date of the page is coarsened: ties span whole
    months (years) and the slider moves month by month (year by year).

    Example: kb view --out collaboration.html --types COLLABORATION --min-evidence 2

    Example: kb view --out shared.html --pseudonymise --dates month
    """
    from kb.case_files import write_case_file
    from kb.presentation.view import render_view
    from kb.provenance import current, stamped

    settings = pseudonymisation(
        pseudonymise, keep_text=keep_text, dates=dates, generalise=generalise
    )
    risk = None
    with open_kb(schema=False) as base:
        case = base.case_view(selection)
        if settings is not None:
            from kb.exports.files import ExportResult
            from kb.exports.network import actor_network
            from kb.exports.pseudonymise import Pseudonymiser, attach_risk_report, pseudonymise_view

            pseudonymiser = Pseudonymiser.for_case(base, settings)
            case = pseudonymise_view(case, pseudonymiser)
            title = pseudonymiser.text(title)  # typed by the user: it may name someone
            network = pseudonymiser.network(actor_network(base, selection))
    page = stamped(render_view(case, title=title), "html", current())
    write_case_file(out, page)
    if settings is not None:
        risk = attach_risk_report(ExportResult(str(out), "view", {}), network, pseudonymiser, out)
    written = {
        "out": str(out.resolve()),
        "bytes": len(page.encode("utf-8")),
        "actors": len(case.network.nodes),
        "ties": len(case.network.ties),
        "dates": len(case.dates),
    }
    if fmt is Format.table:
        message(
            f"Wrote {written['out']} ({written['bytes']:,} bytes): {written['actors']} "
            f"actors, {written['ties']} ties, {written['dates']} change dates."
        )
        if risk is not None:
            report_risk(risk)
    else:
        emit_mapping(written, fmt)
