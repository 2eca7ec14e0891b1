"""kb changes / kb history: the journal of every change (kb.journal)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from kb.cli.base import FormatOption, app, open_kb
from kb.cli.render import Format, emit_result

if TYPE_CHECKING:
    from kb.journal import Changes


def _rows(entries: Changes) -> list[dict[str, Any]]:
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
        entries = base.changes(since=since, analyst=analyst, record=record)
    # JSON and CSV carry the entries' records (docs/output.md); the table is for reading.
    emit_result(entries, fmt, _rows(entries), title="Journal")


@app.command()
def history(
    record: Annotated[str, typer.Argument(help="A record id: actor, tie, evidence item, ...")],
    fmt: FormatOption = Format.table,
) -> None:
    """The story of one record: who changed it, when, why, and the values before and after.

    Example: kb history t-028
    """
    with open_kb() as base:
        entries = base.history(record)
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
    emit_result(entries, fmt, rows, title=f"History of {record}")


def _values(values: dict[str, Any] | None) -> str:
    return ", ".join(f"{k}={_shown(v)}" for k, v in (values or {}).items())


def _shown(value: Any) -> Any:
    """A journaled value as text: a typed value (a date) as its ISO form."""
    if isinstance(value, dict) and "v" in value:
        return value["v"]
    return value
