"""kb publish: the case as a deposit-ready RO-Crate package (docs/ethics.md, Publishing a
package)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from kb.cli.base import FormatOption, GroupByOption, app, open_kb
from kb.cli.pseudonymise import (
    DatesOption,
    GeneraliseOption,
    KeepTextOption,
    PseudonymiseOption,
    pseudonymisation,
)
from kb.cli.render import Format, emit_rows, message


@app.command()
def publish(
    folder: Annotated[
        Path, typer.Argument(help="The package folder: new, empty, or a package to replace.")
    ],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace a package kb published in FOLDER before (a folder holding "
            "ro-crate-metadata.json); any other non-empty folder is refused.",
        ),
    ] = False,
    group_by: GroupByOption = "sector",
    from_group: Annotated[
        str, typer.Option("--from", help="The report's legitimacy: the group whose reach.")
    ] = "community",
    to_group: Annotated[
        str, typer.Option("--to", help="The report's legitimacy: the group it should reach.")
    ] = "public",
    pseudonymise: PseudonymiseOption = None,
    keep_text: KeepTextOption = False,
    dates: DatesOption = None,
    generalise: GeneraliseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Write the case as a deposit-ready package: an RO-Crate 1.1 for a data repository.

    The package holds the import-format CSVs (data/, which kb import re-reads), GraphML,
    GEXF, the REFI-QDA codebook, the view and the report as HTML, a README and
    ro-crate-metadata.json: title, creators (ORCID where known), publisher, publication
    year, resource type, licence and keywords from the case record (case.csv), each
    file's format and SHA-256, and how the package was made (kb version, this command,
    the data version). A case record that lacks a required field is refused with the
    list of what is missing, and nothing is written. The package is written beside
    FOLDER and moved into place when complete.

    With --pseudonymise, every file is pseudonymised (the tables, the network files, the
    codebook, the view, the report; with --dates every date coarsened) and the package
    holds one risk report; the actors at risk go to $KB_HOME/researcher-only/,
    never into the package. The creators, researchers, keep their names.

    Example: kb publish out/quebec-wg-package

    Example: kb publish out/shared-package --pseudonymise
    """
    from kb.publish import publish as write_package

    # The command as the user could type it again (not sys.argv: kb may run inside another
    # program); only the options given differently from their defaults.
    settings = pseudonymisation(
        pseudonymise, keep_text=keep_text, dates=dates, generalise=generalise
    )
    words = ["kb", "publish", str(folder), *(["--force"] if force else [])]
    for option, value, default in (
        ("--group-by", group_by, "sector"),
        ("--from", from_group, "community"),
        ("--to", to_group, "public"),
        ("--pseudonymise", pseudonymise, None),
        ("--dates", dates, None),
        ("--generalise", generalise, None),
    ):
        words += [option, value] if value is not None and value != default else []
    words += ["--keep-text"] if keep_text else []
    command = shlex.join(words)
    with open_kb(schema=False) as base:
        result = write_package(
            base,
            folder,
            command=command,
            force=force,
            group_by=group_by,
            from_group=from_group,
            to_group=to_group,
            pseudonymise=settings,
        )
    for warning in result.warnings:
        message(f"Warning: {warning}", style="yellow")
    if fmt is Format.table:
        rows = [
            {"file": f.path, "format": f.encoding_format, "bytes": f.size, "sha256": f.sha256[:12]}
            for f in result.files
        ]
        emit_rows(rows, fmt, title=f"Package {result.path}")
        message(
            f"Wrote the package {result.path} ({len(result.files)} files and "
            f"ro-crate-metadata.json) from data version {result.data_version}."
        )
        if result.researcher_file:
            message(
                f"Actors at risk, for you only (never share it): {result.researcher_file}.",
                style="yellow",
            )
    else:
        from kb.cli.render import emit_data

        emit_data(result.as_dict(), fmt)
