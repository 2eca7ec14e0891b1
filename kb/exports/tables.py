"""The whole case as CSV files in the import format (docs/data-format.md), so that exporting
and importing into an empty database gives back the same graph."""

from __future__ import annotations

import csv
from pathlib import Path

from kb.analyses.selection import ALL_TIES, Selection, check_selection
from kb.analyses.vocabulary import check_period, check_types, require_case
from kb.case_files import case_file, case_folder
from kb.exports.files import ExportResult, spreadsheet_safe
from kb.exports.network import actor_network
from kb.exports.pseudonymise import Pseudonymisation, Pseudonymiser, attach_risk_report
from kb.imports.stored import record_cells
from kb.model import (
    LABELS,
    LINK_TYPES,
    TABLE_SPECS,
    TABLES_BY_NAME,
)
from kb.provenance import write_sidecar
from kb.store import Reader


def table_rows(
    kb: Reader,
    table: str,
    selection: Selection = ALL_TIES,
) -> tuple[list[str], list[dict[str, str]], list[str]]:
    """One import table read back from the database, as text cells.

    Args:
        kb: the knowledge base to read.
        table: a table of the import format (``kb.model.TABLES``).
        selection: for ``ties``, the ties to keep (`kb.analyses.selection.Selection`); for
            ``memberships``, keep the spells overlapping its period.

    Returns:
        The header (the table's columns, then extra properties in name order), the rows
        (column -> cell; dates as written, evidence ``;``-joined, yes/no as true/false),
        and the names of properties left out because they cannot be import columns.

    Raises:
        ValueError: ``table`` is not an import table.
    """
    spec = TABLES_BY_NAME.get(table)
    if spec is None:
        raise ValueError(f"Unknown table {table!r}.")
    if spec.name in LINK_TYPES:
        kept = selection if spec.name == "ties" else ALL_TIES.during(selection.period)
        found = kb.read("export/relationships", rel_type=LINK_TYPES[spec.name], **kept.params())
    else:
        label = spec.labels[0]
        if label not in LABELS:
            raise ValueError(f"Table {table!r} has no node label.")
        found = kb.read("export/nodes", label=label)
    rows: list[dict[str, str]] = []
    extras: dict[str, None] = {}
    skipped: set[str] = set()
    for record in found:
        row, extra, left_out = record_cells(spec, record)
        rows.append({**row, **extra})
        extras.update(dict.fromkeys(extra))
        skipped |= left_out
    header = [column.name for column in spec.columns] + sorted(extras)
    return header, rows, sorted(skipped)


def write_csv(
    kb: Reader,
    folder: str | Path,
    selection: Selection = ALL_TIES,
    *,
    pseudonymise: Pseudonymisation | None = None,
    risk_report: bool = True,
) -> ExportResult:
    """Write the case as a folder of CSV files in the import format.

    Every table of docs/data-format.md is written (a header alone when it has no rows), in
    UTF-8 with a byte-order mark so that Excel shows accents. Importing the folder into an
    empty database rebuilds the same nodes, relationships and properties.

    Args:
        kb: the knowledge base to read.
        folder: created if needed; the table files in it are replaced.
        selection: the ties to keep in ``ties.csv`` (`kb.analyses.selection.Selection`);
            its period also thins out ``memberships.csv``. The other tables (evidence
            too) are written whole, so the folder stays importable.
        pseudonymise: rename people (and organisations), mask, drop and coarsen as it
            says (`kb.exports.pseudonymise`), and write a risk report beside the tables.
            The folder stays importable unless coarser dates make two rows one.
        risk_report: with ``pseudonymise``, write the risk report beside it (False: the
            caller assesses several outputs at once, as ``kb publish`` does).

    Returns:
        Rows written per table, and warnings about properties left out.

    Raises:
        ValidationError: a type or period of the selection the case does not have, or
            the evidence selection keeps no tie.
        KBError: the folder or a file cannot be written.
    """
    require_case(kb)
    check_types(kb, selection.type_list)
    check_period(kb, selection.period, parameter=selection.period_parameter)
    check_selection(kb, selection)  # before any file is written
    out = Path(folder)
    tables: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
    left_out: dict[str, list[str]] = {}
    for spec in TABLE_SPECS:
        header, rows, left_out[spec.name] = table_rows(kb, spec.name, selection)
        tables[spec.name] = (header, rows)
    pseudonymiser = None
    if pseudonymise is not None:
        pseudonymiser = Pseudonymiser.for_case(kb, pseudonymise)
        tables = pseudonymiser.tables(tables)
    case_folder(out)
    result = ExportResult(str(out), "csv", {})
    for spec in TABLE_SPECS:
        (header, rows), skipped = tables[spec.name], left_out[spec.name]
        path = out / f"{spec.name}.csv"
        with case_file(path, encoding="utf-8-sig", newline="") as stream:
            writer = csv.DictWriter(stream, header, restval="")
            writer.writeheader()
            # No cell may run as a formula in a spreadsheet; the import undoes the escape.
            writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
        result.counts[spec.name] = len(rows)
        if skipped:
            result.warnings.append(
                f"{spec.name}.csv: left out properties {', '.join(skipped)}: the import "
                "cannot read them back (reserved or not lower-case names)."
            )
    write_sidecar(out, kb)
    if pseudonymiser is not None and risk_report:
        network = pseudonymiser.network(actor_network(kb, selection))
        attach_risk_report(result, network, pseudonymiser, out)
    return result
