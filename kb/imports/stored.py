"""Stored nodes and relationships read back as cells of the import format.

`kb add` reads the record it updates this way, and `kb export csv` writes whole tables
(kb.exports.tables): the text of a value is the same in both, so that what is exported
imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from kb.model import (
    DATE_PROPERTY_SUFFIXES,
    ENDPOINTS,
    ID_LIST_SEPARATOR,
    PROPERTY_NAME_PATTERN,
    Table,
)
from kb.schema import SEARCH_PROPERTY, SEARCHED_COLUMNS


def text(value: Any) -> str:
    """A property value as text: lists ``;``-joined, dates ISO, booleans true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ID_LIST_SEPARATOR.join(text(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell(value: Any) -> str:
    """A CSV cell in the import format: None empty, floats exact, the rest like `_text`."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return text(value)


def known_properties(spec: Table) -> set[str]:
    """Properties the import writes for a table's rows (everything else is an extra column)."""
    known = {column.name for column in spec.columns} | {"id"}
    for column in spec.columns:
        if column.type == "date":
            known |= {column.name + suffix for suffix in DATE_PROPERTY_SUFFIXES}
    if spec.derive_id is not None:
        known.add("evidence")  # link rows always carry their evidence list
    if spec.name in SEARCHED_COLUMNS:
        known.add(SEARCH_PROPERTY)  # kb's own copy for the full-text index
    return known


def record_cells(
    spec: Table, record: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """One stored node or relationship as cells of its import table.

    Args:
        spec: the import table.
        record: ``{id, props}``, plus ``source`` and ``target`` for a relationship (the
            rows of export/nodes, export/relationships and records/*).

    Returns:
        The table's columns as text cells, the extra properties that an import column can
        carry back (name -> cell, in name order), and the names of the other properties.
    """
    known = known_properties(spec)
    ends = ENDPOINTS.get(spec.name, ())
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
    extra: dict[str, str] = {}
    skipped: set[str] = set()
    for name in sorted(props):
        if name in known or props[name] is None:
            continue
        if _importable_extra(spec, name):
            extra[name] = cell(props[name])
        else:
            skipped.add(name)
    return row, extra, skipped


def _importable_extra(spec: Table, name: str) -> bool:
    """Whether a property can come back through an extra column of the import."""
    # Import lower-cases header names, so an upper-case property would come back renamed.
    return (
        PROPERTY_NAME_PATTERN.fullmatch(name) is not None
        and name == name.lower()
        and not spec.reserved_property(name)
    )
