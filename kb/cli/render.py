"""Rendering of kb's plain results: a rich table, JSON or CSV on stdout.

Text from the data is printed verbatim: rich markup is never interpreted in it.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.progress import Progress

# Piped output (files, docs, CI logs) gets a wide table rather than rich's default of 80.
out = Console(
    highlight=False,
    soft_wrap=False,
    width=None if sys.stdout.isatty() else int(os.environ.get("COLUMNS") or 160),
)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(enum.StrEnum):
    """Output formats of every command that prints data."""

    table = "table"
    json = "json"
    csv = "csv"


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def to_json(data: Any) -> str:
    """JSON text of ``data``; dates as ISO strings, non-ASCII kept."""
    return json.dumps(data, default=_default, ensure_ascii=False, indent=2)


def cell(value: Any) -> str:
    """One value as table or CSV text: lists joined with ``; ``, None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.6g}"
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, default=_default, ensure_ascii=False)
    serialised = _default(value) if not isinstance(value, str | int | bool) else value
    return str(serialised)


def emit_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    json_data: Any = None,
) -> None:
    """Print rows as a table, JSON (``json_data`` if given, else the rows) or CSV."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.json:
        sys.stdout.write(to_json(rows if json_data is None else json_data) + "\n")
    elif fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in columns])
    else:
        table = Table(title=title, title_justify="left", show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell(row.get(c))) for c in columns))
        if not rows:
            err.print(Text(f"{title or 'Result'}: no rows."))
        else:
            out.print(table)


def emit_mapping(data: Mapping[str, Any], fmt: Format, *, title: str | None = None) -> None:
    """Print one record: key/value table, JSON object or two-column CSV."""
    if fmt is Format.json:
        sys.stdout.write(to_json(data) + "\n")
        return
    rows = [{"key": k, "value": v} for k, v in data.items()]
    emit_rows(rows, fmt, title=title, columns=["key", "value"])


def message(text: str, *, style: str | None = None) -> None:
    """A message for people, on stderr (data goes to stdout)."""
    err.print(Text(text, style=style or ""))


def progress_bar() -> Progress:
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
