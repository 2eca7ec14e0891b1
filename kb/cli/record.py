"""kb changes / kb history: the journal of every change (kb.journal)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kb import journal
from kb.cli.base import FormatOption, app, open_kb
from kb.cli.render import Format, emit_data, emit_rows


def _rows(entries: list[journal.Change]) -> list[dict[str, Any]]:
    return [
        {
            "seq": e.seq,
            "at": e.at[:19].replace("T", " "),
            "analyst": e.analyst,
            "records": e.records,
            "command": e.command,
            # An entry a withdrawal purged says so (kb.journal_purge).
            "why": " ".join(filter(None, [e.why, e.purged and f"[{e.purged}]"])),
        }
        for e in entries
    ]


def _emit(entries: list[journal.Change], fmt: Format, title: str) -> None:
    # JSON and CSV carry the same records (docs/output.md); the table is for reading.
    if fmt is Format.json:
        emit_data([e.as_dict() for e in entries], fmt)
    elif fmt is Format.csv:
        emit_rows([e.as_dict() for e in entries], fmt, title=title)
    else:
        emit_rows(_rows(entries), fmt, title=title)


@app.command()
def changes(
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Entries after a UTC date-time (2026-12-07T14:30) or from @SEQ on."
        ),
    ] = None,
    analyst: Annotated[
        str | None, typer.Option("--analyst", help="Only this analyst's entries.")
    ] = None,
    record: Annotated[
        str | None, typer.Option("--id", help="Only the entries that touched this record id.")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The journal: every change to the case, oldest first (seq is the data version).

    Example: kb changes --since @12 --analyst msimard
    """
    with open_kb() as base:
        entries = journal.changes(base, since=since, analyst=analyst, record=record)
    _emit(entries, fmt, "Journal")


@app.command()
def history(
    record: Annotated[str, typer.Argument(help="A record id: actor, tie, evidence item, ...")],
    fmt: FormatOption = Format.table,
) -> None:
    """The story of one record: who changed it, when, why, and the values before and after.

    Example: kb history t-028
    """
    with open_kb() as base:
        entries = journal.history(base, record)
    if fmt is not Format.table:
        _emit(entries, fmt, f"History of {record}")
        return
    rows = [
        {
            "seq": e.seq,
            "at": e.at[:19].replace("T", " "),
            "analyst": e.analyst,
            "op": change["op"],
            "before": _values(change.get("before")),
            "after": _values(change.get("after")),
            # An entry a withdrawal purged says so (kb.journal_purge).
            "why": " ".join(filter(None, [e.why, e.purged and f"[{e.purged}]"])),
        }
        for e in entries
        for change in e.changes
    ]
    emit_rows(rows, fmt, title=f"History of {record}")


def _values(values: dict[str, Any] | None) -> str:
    return ", ".join(f"{k}={_shown(v)}" for k, v in (values or {}).items())


def _shown(value: Any) -> Any:
    """A journaled value as text: a typed value (a date) as its ISO form."""
    if isinstance(value, dict) and "v" in value:
        return value["v"]
    return value
