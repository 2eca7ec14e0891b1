"""kb export gexf|graphml|csv|qdc: the case as files for Gephi, R/igraph, the import format and
QDA programs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

from kb.cli.base import app, open_kb, use_known_at
from kb.cli.pseudonymise import (
    DatesOption,
    GeneraliseOption,
    KeepTextOption,
    PseudonymiseOption,
    pseudonymisation,
    report_risk,
)
from kb.cli.render import message
from kb.cli.selection import SELECTED, KnownAtOption, selection_options

if TYPE_CHECKING:
    from kb.analyses.selection import Selection
    from kb.exports.files import ExportResult

export_app = typer.Typer(
    no_args_is_help=True,
    help="Write the case to files: GEXF for Gephi, GraphML for R/igraph, CSV to re-import, "
    "a REFI-QDA codebook for QDA programs, waves for RSiena.",
)
app.add_typer(export_app, name="export")

NetworkFile = Annotated[Path, typer.Argument(help="The file to write; - writes to stdout.")]


def _target(file: Path) -> Path | BinaryIO:
    return sys.stdout.buffer if str(file) == "-" else file


def _report(result: ExportResult, *, what: str) -> None:
    for warning in result.warnings:
        message(f"Warning: {warning}", style="yellow")
    counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in result.counts.items())
    where = "stdout" if result.path == "-" else result.path
    message(f"Wrote {what} to {where}: {counts}.")
    report_risk(result)


@export_app.command("gexf")
@selection_options()
def export_gexf(
    file: NetworkFile,
    selection: Selection = SELECTED,
    directed: Annotated[
        bool,
        typer.Option(
            "--directed",
            help="Write an all-directed graph, each undirected tie as two arcs, for readers "
            "that refuse mixed graphs (networkx). Gephi opens both.",
        ),
    ] = False,
    pseudonymise: PseudonymiseOption = None,
    keep_text: KeepTextOption = False,
    dates: DatesOption = None,
    generalise: GeneraliseOption = None,
) -> None:
    """Write the actor network as dynamic GEXF 1.3 for Gephi's timeline.

    Nodes are all actors. Edges are ties and memberships (person to organization), one per
    relation, tie type, direction and pair, with every spell of its ties and each tie's
    values per spell, so Gephi's timeline plays them. The graph is mixed (directed and
    undirected edges) unless --directed.

    Example: kb export gexf case.gexf --types COLLABORATION,INFORMATION

    Example: kb export gexf shared.gexf --pseudonymise --dates month
    """
    settings = pseudonymisation(
        pseudonymise, keep_text=keep_text, dates=dates, generalise=generalise
    )
    with open_kb(schema=False) as base:
        from kb.exports.gexf import write_gexf

        result = write_gexf(
            base, _target(file), selection, directed=directed, pseudonymise=settings
        )
    _report(result, what="GEXF")


@export_app.command("graphml")
@selection_options()
def export_graphml(
    file: NetworkFile,
    selection: Selection = SELECTED,
    pseudonymise: PseudonymiseOption = None,
    keep_text: KeepTextOption = False,
    dates: DatesOption = None,
    generalise: GeneraliseOption = None,
) -> None:
    """Write the actor network as GraphML, for R igraph, statnet, networkx or Cytoscape.

    A directed multigraph: one arc per tie or membership, an undirected tie as two arcs
    (directed = false on both). Dates are ISO strings (start_first, end_last) next to the
    partial dates as written (start, end); tie_weight only where a tie has a weight.

    Example: kb export graphml case.graphml --at 2016
    """
    settings = pseudonymisation(
        pseudonymise, keep_text=keep_text, dates=dates, generalise=generalise
    )
    with open_kb(schema=False) as base:
        from kb.exports.graphml import write_graphml

        result = write_graphml(base, _target(file), selection, pseudonymise=settings)
    _report(result, what="GraphML")


@export_app.command("csv")
@selection_options()
def export_csv(
    folder: Annotated[Path, typer.Argument(help="The folder to write the tables into.")],
    selection: Selection = SELECTED,
    pseudonymise: PseudonymiseOption = None,
    keep_text: KeepTextOption = False,
    dates: DatesOption = None,
    generalise: GeneraliseOption = None,
) -> None:
    """Write the whole case as CSV files in the import format (one file per table).

    Importing the folder into an empty database rebuilds the same graph: kb import FOLDER.
    --types and --at only thin out ties.csv and memberships.csv; --min-evidence and
    --triangulated only ties.csv.

    Example: kb export csv backup/2016 --at 2016

    Example: kb export csv shared/ --pseudonymise all --generalise territory
    """
    settings = pseudonymisation(
        pseudonymise, keep_text=keep_text, dates=dates, generalise=generalise
    )
    with open_kb(schema=False) as base:
        from kb.exports.tables import write_csv

        result = write_csv(base, folder, selection, pseudonymise=settings)
    _report(result, what="the import tables")


@export_app.command("qdc")
def export_qdc(
    file: NetworkFile,
    known_at: KnownAtOption = None,
    pseudonymise: PseudonymiseOption = None,
    generalise: GeneraliseOption = None,
) -> None:
    """Write kb's actors and tie types as a REFI-QDA codebook (.qdc) for QDA programs.

    Import it into NVivo, ATLAS.ti, MAXQDA or QualCoder and code interviews with kb's
    names: codes under `actors` (grouped by sector) name actors, codes under `ties` name tie
    types. Export the coded project as .qdpx and `kb import` it (docs/qda.md).

    The codebook names people: with --pseudonymise its codes are named by pseudonym
    (GUIDs too), other names masked, and a risk report written beside it.

    Example: kb export qdc codebook.qdc

    Example: kb export qdc shared.qdc --pseudonymise --generalise sector
    """
    settings = pseudonymisation(pseudonymise, keep_text=False, dates=None, generalise=generalise)
    use_known_at(known_at)
    with open_kb(schema=False) as base:
        from kb.exports.qdc import write_qdc

        result = write_qdc(base, _target(file), pseudonymise=settings)
    _report(result, what="the REFI-QDA codebook")


@export_app.command("waves")
@selection_options(at=False)
def export_waves(
    folder: Annotated[Path, typer.Argument(help="The folder to write the waves into.")],
    by: Annotated[str, typer.Option("--by", help="Waves: stage, year or quarter.")] = "stage",
    selection: Selection = SELECTED,
    pseudonymise: PseudonymiseOption = None,
    keep_text: KeepTextOption = False,
    dates: DatesOption = None,
    generalise: GeneraliseOption = None,
) -> None:
    """Write the network in waves for RSiena and networkDynamic (R).

    One adjacency matrix per period over one fixed actor order (10: structural zero, an
    actor not yet present), the actors' covariates, memberships per wave, and waves.R,
    which builds the RSiena data object and a networkDynamic object (docs/exports.md).

    Example: kb export waves out/waves --by stage
    """
    settings = pseudonymisation(
        pseudonymise, keep_text=keep_text, dates=dates, generalise=generalise
    )
    with open_kb(schema=False) as base:
        from kb.exports.waves import write_waves

        result = write_waves(base, folder, selection, by=by, pseudonymise=settings)
    _report(result, what="the waves")
