"""The options of pseudonymised outputs (``--pseudonymise`` and its companions), declared
once for every export (docs/ethics.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kb.cli.render import message

if TYPE_CHECKING:
    from kb.exports.files import ExportResult
    from kb.exports.pseudonymise import Pseudonymisation

PANEL = "Pseudonymisation"
SCOPES = ("persons", "all")

PseudonymiseOption = Annotated[
    str | None,
    typer.Option(
        "--pseudonymise",
        metavar="[persons|all]",
        help="Rename persons (all: organisations too) with stable keyed pseudonyms, mask "
        "their names in text, drop free text, and write a risk report beside the output. "
        "Alone it means persons.",
        rich_help_panel=PANEL,
    ),
]
KeepTextOption = Annotated[
    bool,
    typer.Option(
        "--keep-text",
        help="Keep free text (quotes, notes, descriptions), names masked.",
        rich_help_panel=PANEL,
    ),
]
DatesOption = Annotated[
    str | None,
    typer.Option(
        "--dates",
        metavar="month|year",
        help="Coarsen exact dates to the month or the year.",
        rich_help_panel=PANEL,
    ),
]
GeneraliseOption = Annotated[
    str | None,
    typer.Option(
        "--generalise",
        metavar="ATTR,...",
        help="Generalise actor attributes: territory becomes its parent territory; any "
        "other attribute is left out.",
        rich_help_panel=PANEL,
    ),
]


def pseudonymisation(
    scope: str | None, *, keep_text: bool, dates: str | None, generalise: str | None
) -> Pseudonymisation | None:
    """The settings the options give, or None without --pseudonymise.

    Raises:
        typer.BadParameter: a companion option without --pseudonymise, or a bad value.
    """
    if scope is None:
        if keep_text or dates or generalise:
            raise typer.BadParameter(
                "--keep-text, --dates and --generalise go with --pseudonymise."
            )
        return None
    if scope not in SCOPES:
        raise typer.BadParameter(f"--pseudonymise {scope}: give persons or all.")
    if dates is not None and dates not in ("month", "year"):
        raise typer.BadParameter(f"--dates {dates}: give month or year.")
    from kb.exports.pseudonymise import Pseudonymisation

    attributes = tuple(a.strip() for a in (generalise or "").split(",") if a.strip())
    return Pseudonymisation(scope=scope, dates=dates, generalise=attributes, keep_text=keep_text)


def report_risk(result: ExportResult) -> None:
    """Print the risk summary and where its files (and the researcher's list) are."""
    if result.risk is None:
        return
    message(str(result.risk["summary"]))
    message(f"Risk report: {', '.join(result.risk_files)}.")
    message(
        f"Actors at risk, for you only (never share it): {result.researcher_file}.",
        style="yellow",
    )
