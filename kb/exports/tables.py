"""The whole case as CSV files in the import format (docs/data-format.md), so that exporting
and importing into an empty database gives back the same graph."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kb.analyses.network import parse_types
from kb.analyses.selection import ALL_TIES, EvidenceSelection, check_selection
from kb.analyses.vocabulary import check_period, check_types
from kb.exports.files import ExportResult, cell, writing
from kb.exports.network import known_properties
from kb.model import (
    AFFECTED,
    ATTENDED,
    ENDPOINTS,
    LABELS,
    MEMBER_OF,
    MENTIONS,
    PROPERTY_NAME_PATTERN,
    TABLE_SPECS,
    TABLES_BY_NAME,
    TAKES_POSITION,
    TIE,
    Table,
)
from kb.periods import Period, parse_at, time_params
from kb.store import Reader

# The relationship type each link table is stored as (kb/cypher/import/*.cypher).
LINK_TYPES: dict[str, str] = {
    "ties": TIE,
    "memberships": MEMBER_OF,
    "attendance": ATTENDED,
    "reform_effects": AFFECTED,
    "positions": TAKES_POSITION,
    "mentions": MENTIONS,
}


def table_rows(
    kb: Reader,
    table: str,
    *,
    types: str | Sequence[str] | None = None,
    at: str | Period | None = None,
    evidence: EvidenceSelection = ALL_TIES,
) -> tuple[list[str], list[dict[str, str]], list[str]]:
    """One import table read back from the database, as text cells.

    Args:
        kb: the knowledge base to read.
        table: a table of the import format (``kb.model.TABLES``).
        types: for ``ties``, the tie types to keep.
        at: for ``ties`` and ``memberships``, keep the spells overlapping this date.
        evidence: for ``ties``, keep the ties this evidence selection keeps.

    Returns:
        The header (the table's columns, then extra properties in name order), the rows
        (column -> cell; dates as written, evidence ``;``-joined, yes/no as true/false),
        and the names of properties left out because they cannot be import columns.

    Raises:
        ValueError: ``table`` is not an import table.
        ValidationError: ``types`` or ``at`` is malformed.
    """
    spec = TABLES_BY_NAME.get(table)
    if spec is None:
        raise ValueError(f"Unknown table {table!r}.")
    known = known_properties(spec)
    if spec.name in LINK_TYPES:
        kept = parse_types(types) if spec.name == "ties" else None
        strength = evidence if spec.name == "ties" else ALL_TIES
        found = kb.read(
            "export/relationships",
            rel_type=LINK_TYPES[spec.name],
            types=kept,
            **time_params(at if isinstance(at, Period) else parse_at(at)),
            **strength.params(),
        )
    else:
        label = spec.labels[0]
        if label not in LABELS:
            raise ValueError(f"Table {table!r} has no node label.")
        found = kb.read("export/nodes", label=label)
    ends = ENDPOINTS.get(spec.name, ())
    rows: list[dict[str, str]] = []
    extras: dict[str, None] = {}
    skipped: set[str] = set()
    for record in found:
        props = record["props"]
        row: dict[str, str] = {}
        for column in spec.columns:
            if column.name == "id":
                value: Any = record["id"]
            elif ends and column.name == ends[0]:
                value = record["source"]
            elif ends and column.name == ends[1]:
                value = record["target"]
            else:
                value = props.get(column.name)
            row[column.name] = cell(value)
        for name in sorted(props):
            if name in known or props[name] is None:
                continue
            if _importable_extra(spec, name):
                row[name] = cell(props[name])
                extras[name] = None
            else:
                skipped.add(name)
        rows.append(row)
    header = [column.name for column in spec.columns] + sorted(extras)
    return header, rows, sorted(skipped)


def _importable_extra(spec: Table, name: str) -> bool:
    """Whether a property can come back through an extra column of the import."""
    # Import lower-cases header names, so an upper-case property would come back renamed.
    return (
        PROPERTY_NAME_PATTERN.fullmatch(name) is not None
        and name == name.lower()
        and not spec.reserved_property(name)
    )


def write_csv(
    kb: Reader,
    folder: str | Path,
    *,
    types: str | Sequence[str] | None = None,
    at: str | Period | None = None,
    min_evidence: int = 0,
    triangulated: bool = False,
) -> ExportResult:
    """Write the case as a folder of CSV files in the import format.

    Every table of docs/data-format.md is written (a header alone when it has no rows), in
    UTF-8 with a byte-order mark so that Excel shows accents. Importing the folder into an
    empty database rebuilds the same nodes, relationships and properties.

    Args:
        kb: the knowledge base to read.
        folder: created if needed; the table files in it are replaced.
        types: tie types to keep in ``ties.csv``.
        at: keep only ties and memberships whose spell overlaps this partial date; the
            other tables are written whole, so the folder stays importable.
        min_evidence: keep only ties with at least this many evidence items (in
            ``ties.csv``; the evidence table is written whole).
        triangulated: keep only triangulated ties (`kb.analyses.selection`).

    Returns:
        Rows written per table, and warnings about properties left out.

    Raises:
        ValidationError: ``types``, ``at`` or ``min_evidence`` is malformed, or the
            evidence selection keeps no tie.
        KBError: the folder or a file cannot be written.
    """
    selection = EvidenceSelection(min_evidence, triangulated)
    selected = parse_types(types)
    period = at if isinstance(at, Period) else parse_at(at)
    check_types(kb, selected)
    check_period(kb, period)
    check_selection(kb, selection, selected)  # before any file is written
    out = Path(folder)
    with writing(out):
        out.mkdir(parents=True, exist_ok=True)
    result = ExportResult(str(out), "csv", {})
    for spec in TABLE_SPECS:
        header, rows, skipped = table_rows(
            kb, spec.name, types=selected, at=period, evidence=selection
        )
        path = out / f"{spec.name}.csv"
        with writing(path), path.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.DictWriter(stream, header, restval="")
            writer.writeheader()
            writer.writerows(rows)
        result.counts[spec.name] = len(rows)
        if skipped:
            result.warnings.append(
                f"{spec.name}.csv: left out properties {', '.join(skipped)}: the import "
                "cannot read them back (reserved or not lower-case names)."
            )
    return result
