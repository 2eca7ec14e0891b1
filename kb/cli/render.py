"""Rendering of kb's plain results: a rich table, JSON or CSV on stdout.

Text from the data is printed without interpretation: rich markup is never read in it, and
the control characters a terminal would act on (ANSI escape sequences, C0/C1 controls, bidi
overrides) are removed from every table, CSV cell and message (`sanitize`), so a stored name
cannot recolour, retitle or reorder the user's terminal. JSON keeps the text whole, with
those characters escaped.

JSON prints a command's result (its ``data()``); CSV prints its records, one per row, as
`kb.results` flattens them (`kb.results.flatten`, the one rule the tables, the report and
the notebook share), so that both carry the same fields. The convention is docs/output.md.

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
import re
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kb.presentation.numbers import is_p_value, p_value
from kb.results import Records, Result, Rows, columns_of, flat_records, plain

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


class _Stdout(Console):
    """Rich's console, leaving a reader that went away (``kb ... | head``) to kb's CLI
    boundary (`kb.cli.base.KbGroup`), so that every format ends with the same exit code."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def _out() -> Console:
    return _Stdout(highlight=False, soft_wrap=False, width=width())


class Format(enum.StrEnum):
    """Output formats of every command that prints data."""

    table = "table"
    json = "json"
    csv = "csv"


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


# What a terminal acts on: escape sequences (CSI, OSC, two-character ones), then single C0
# and C1 controls (newline and tab kept: the layout uses them), DEL, and the bidirectional
# overrides and isolates that reorder what follows them (Trojan Source, CVE-2021-42574).
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[@-Z\\-_]"  # other two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # CSI in its 8-bit form
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"  # OSC in its 8-bit form
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# Line breaks a CSV cell must not hold (csv.reader and spreadsheets split rows on them).
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
# What JSON output escapes beyond json.dumps: C1 controls and bidi controls (C0 is escaped).
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def sanitize(text: str) -> str:
    """``text`` without the control characters a terminal would act on (newline and tab
    kept)."""
    return _ESCAPES.sub("", text)


def one_line(text: str) -> str:
    """``text`` with its line breaks as spaces (a CSV cell holds one line)."""
    return _LINE_BREAKS.sub(" ", text)


def to_json(data: Any) -> str:
    """JSON text of ``data``; dates as ISO strings, non-ASCII kept, control characters
    escaped (the text stays whole; a terminal does not act on it)."""
    text = json.dumps(data, default=_default, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def cell(value: Any) -> str:
    """One value as table text: lists joined with ``; ``, None as empty, floats to four
    significant digits, control characters removed."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.6g}"
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return sanitize(json.dumps(value, default=_default, ensure_ascii=False))
    serialised = _default(value) if not isinstance(value, str | int | bool) else value
    return sanitize(str(serialised))


def shown(name: str, value: Any) -> str:
    """A table cell: p-values in the one format the report shares (`p_value`)."""
    if isinstance(value, float) and is_p_value(name):
        return p_value(value)
    return cell(value)


def csv_cell(value: Any) -> str:
    """One value as a CSV cell: numbers whole (as JSON has them), lists joined with ``; ``,
    one line, no control character, and text that a spreadsheet would run as a formula
    escaped."""
    from kb.exports.files import spreadsheet_safe

    if isinstance(value, bool) or value is None:
        return cell(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(csv_cell(v) for v in value)
    if isinstance(value, dict):
        value = json.dumps(value, default=_default, ensure_ascii=False)
    return spreadsheet_safe(one_line(cell(value)))


def csv_rows(data: Any, spec: Records) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns (in first-seen order) and flat rows CSV prints for a result: its
    records (`kb.results`: a typed result's own, else as ``spec`` says)."""
    rows = data.records() if isinstance(data, Result | Rows) else flat_records(data, spec)
    return columns_of(rows), rows


def emit_data(data: Any, fmt: Format, records: Records | None = None) -> None:
    """Print a result as JSON, or its records as CSV (one per row; docs/output.md). A typed
    result (`kb.results`) knows where its records are; plain data says it with
    ``records``. JSON carries the command's provenance (`kb.provenance`) when it read the
    case: a list is then ``{"records": [...], "provenance": {...}}``."""
    if fmt is Format.json:
        from kb.provenance import current, with_provenance

        sys.stdout.write(to_json(with_provenance(plain(data), current())) + "\n")
        return
    columns, rows = csv_rows(data, records or Records())
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])


def emit_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    headers: Mapping[str, str] | None = None,
    drop_first: Sequence[str] = (),
    keep: Sequence[str] = (),
) -> None:
    """Print rows as a table; as JSON and CSV, the rows are the result (`emit_data`).

    Args:
        rows: the rows.
        fmt: table, json or csv.
        title: the table's title.
        columns: the table's columns, in order (default: the first row's keys).
        headers: shorter table headers for some columns (CSV and JSON keep the names).
        drop_first: columns a narrow table leaves out first (then from the right).
        keep: columns a narrow table never leaves out: when they would not fit, each row
            is printed as a block of its own instead.
    """
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt is not Format.table:
        emit_data(list(rows), fmt)
    elif not rows:
        err.print(Text(sanitize(f"{title or 'Result'}: no rows.")))
    else:
        _print_table(rows, columns, title, headers or {}, drop_first, keep)


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
    keep: Sequence[str] = (),
) -> None:
    columns = [
        _Column(n, headers.get(n, n.replace("_", " ")), [shown(n, row.get(n)) for row in rows])
        for n in names
    ]
    title = sanitize(title) if title else title
    room = width()
    visible = list(columns)
    order = [c for c in columns if c.name in drop_first] + columns[::-1]
    while len(visible) > 1 and _table_width(visible) > room and not WIDE:
        visible.remove(next(c for c in order if c in visible and c is not visible[0]))
    console = _out()
    lost = any(c.name in keep for c in columns if c not in visible)
    if lost or _table_width(visible) > room:  # a block per row, every column kept
        _print_records(console, columns, len(rows), title)
        return
    if title:  # above the table, wrapped at the terminal's width rather than the table's
        console.print(Text(title, style="italic"), soft_wrap=False)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column, size in zip(visible, _allocate(visible, room), strict=True):
        table.add_column(column.header, width=size, overflow="fold")
    for i in range(len(rows)):
        table.add_row(*(Text(c.texts[i]) for c in visible))
    console.print(table)
    left_out = [c.name for c in columns if c not in visible]
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
    """Print one record: a key/value table, a JSON object, or CSV with one row."""
    if fmt is not Format.table:
        emit_data(data, fmt)
        return
    rows = [{"key": k, "value": v} for k, v in data.items()]
    emit_rows(rows, fmt, title=title, columns=["key", "value"])


def message(text: str, *, style: str | None = None) -> None:
    """A message for people, on stderr (data goes to stdout); control characters removed."""
    err.print(Text(sanitize(text), style=style or ""))


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


def emit_result(
    result: Result | Rows,
    fmt: Format,
    rows: Sequence[Mapping[str, Any]] | None = None,
    **table: Any,
) -> None:
    """Print a typed result: as JSON its data, as CSV its records, as a table ``rows``
    (default: its records, the same flat fields CSV has) with the `emit_rows` options."""
    if fmt is Format.table:
        emit_rows(result.records() if rows is None else rows, fmt, **table)
    else:
        emit_data(result, fmt)
