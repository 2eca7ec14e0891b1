"""Rendering of kb's plain results: a rich table, JSON or CSV on stdout.

Text from the data is printed verbatim: rich markup is never interpreted in it.

Tables fit the terminal (or ``COLUMNS`` when output is piped; 160 without it) without ever
breaking a number, an id or a date: columns whose cells have no spaces never wrap, text
columns wrap between words, headers show ``_`` as spaces so they can wrap too. When even
that is too wide, the rightmost columns are left out and a note on stderr names them; with
``kb --wide`` every column is kept, as one block per row if the table cannot fit.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.progress import Progress

err = Console(stderr=True, highlight=False, soft_wrap=True)
WIDE = False  # kb --wide: keep every column (set by the app's callback)
PIPED_WIDTH = 160  # piped output (files, docs, CI logs) without COLUMNS


def width() -> int:
    """The width tables are made for: the terminal's, else ``COLUMNS``, else 160."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return int(os.environ.get("COLUMNS") or PIPED_WIDTH)


def _out() -> Console:
    return Console(highlight=False, soft_wrap=False, width=width())


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


def csv_cell(value: Any) -> str:
    """`cell` for CSV output: text that a spreadsheet would run as a formula is escaped
    (numbers stay numbers)."""
    from kb.exports.files import spreadsheet_safe

    text = cell(value)
    return text if isinstance(value, int | float) else spreadsheet_safe(text)


def emit_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    json_data: Any = None,
    headers: Mapping[str, str] | None = None,
    drop_first: Sequence[str] = (),
) -> None:
    """Print rows as a table, JSON (``json_data`` if given, else the rows) or CSV.

    Args:
        rows: the rows.
        fmt: table, json or csv.
        title: the table's title.
        columns: the columns, in order (default: the first row's keys).
        json_data: what ``--format json`` prints instead of the rows.
        headers: shorter table headers for some columns (CSV and JSON keep the names).
        drop_first: columns a narrow table leaves out first (then from the right).
    """
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.json:
        sys.stdout.write(to_json(rows if json_data is None else json_data) + "\n")
    elif fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_cell(row.get(c)) for c in columns])
    elif not rows:
        err.print(Text(f"{title or 'Result'}: no rows."))
    else:
        _print_table(rows, columns, title, headers or {}, drop_first)


@dataclass(frozen=True)
class _Column:
    """A column's texts and the least width it can take without breaking a word: ids,
    numbers and dates are one word, names and quotes wrap between words."""

    name: str
    header: str
    texts: list[str]

    @property
    def least(self) -> int:
        """The longest word of the header and of every cell: what rich itself needs."""
        words = [w for t in (self.header, *self.texts) for w in t.split()]
        return max((len(w) for w in words), default=1)

    @property
    def natural(self) -> int:
        lines = [line for t in self.texts for line in t.splitlines()] or [""]
        return max(len(self.header), max(len(line) for line in lines))


def _table_width(columns: Sequence[_Column]) -> int:
    return sum(c.least for c in columns) + 3 * (len(columns) - 1)  # padding and divider


def _print_table(
    rows: Sequence[Mapping[str, Any]],
    names: Sequence[str],
    title: str | None,
    headers: Mapping[str, str],
    drop_first: Sequence[str],
) -> None:
    columns = [
        _Column(n, headers.get(n, n.replace("_", " ")), [cell(row.get(n)) for row in rows])
        for n in names
    ]
    room = width()
    shown = list(columns)
    order = [c for c in columns if c.name in drop_first] + columns[::-1]
    while len(shown) > 1 and _table_width(shown) > room and not WIDE:
        shown.remove(next(c for c in order if c in shown and c is not shown[0]))
    console = _out()
    if _table_width(shown) > room:  # --wide, or one column too wide: a block per row
        _print_records(console, columns, len(rows), title)
        return
    if title:  # above the table, wrapped at the terminal's width rather than the table's
        console.print(Text(title, style="italic"), soft_wrap=False)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column, size in zip(shown, _allocate(shown, room), strict=True):
        table.add_column(column.header, width=size, overflow="fold")
    for i in range(len(rows)):
        table.add_row(*(Text(c.texts[i]) for c in shown))
    console.print(table)
    left_out = [c.name for c in columns if c not in shown]
    if left_out:
        err.print(
            Text(
                f"Not shown at {room} columns: {', '.join(left_out)}. Every column: kb --wide "
                "..., --format csv or --format json, or a wider terminal."
            )
        )


def _allocate(columns: Sequence[_Column], room: int) -> list[int]:
    """Column widths: each its least, then the room left to the columns that wrap, a
    character at a time to the one furthest from its natural width."""
    sizes = [c.least for c in columns]
    spare = room - _table_width(columns)
    while spare > 0:
        gaps = [c.natural - s for c, s in zip(columns, sizes, strict=True)]
        widest = max(range(len(gaps)), key=gaps.__getitem__)
        if gaps[widest] <= 0:
            break
        sizes[widest] += 1
        spare -= 1
    return sizes


def _print_records(
    console: Console, columns: Sequence[_Column], count: int, title: str | None
) -> None:
    if title:
        console.print(Text(title, style="italic"))
    key_width = max(len(c.name) for c in columns)
    for i in range(count):
        record = Table.grid(padding=(0, 2))
        record.add_column(no_wrap=True, min_width=key_width)
        record.add_column(overflow="fold")
        for column in columns:
            record.add_row(Text(column.name, style="bold"), Text(column.texts[i]))
        console.print(record)
        if i < count - 1:
            console.print()


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


def json_or_rows(
    fmt: Format,
    data: Any,
    rows: list[dict[str, Any]],
    *,
    title: str,
    columns: list[str],
    headers: dict[str, str] | None = None,
) -> None:
    """Print ``data`` as JSON, or ``rows`` as a table or CSV."""
    if fmt is Format.json:
        sys.stdout.write(to_json(data) + "\n")
    else:
        emit_rows(rows, fmt, title=title, columns=columns, headers=headers)
