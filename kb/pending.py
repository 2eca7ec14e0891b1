"""Markers of long writes that have begun and not finished: a restore, an import.

A restore or an import writes in many transactions; killed in the middle it leaves part of
what it meant to write, which looks like an ordinary case. So each one writes a marker in the
database first (a ``KbMeta`` bookkeeping node, ``pending:<kind>:<id>``) and removes it as its
last step, once the write is complete (a restore: once the restored graph has the backup's
fingerprint). While a marker is there, `incomplete` lists it: ``kb status`` shows it and every
command warns. ``kb reset`` removes the markers with the case.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kb.store import Reader, Store

HOW_TO_FINISH = {
    "restore": "run kb restore {source} --force again",
    "import": "run the same import again (rows already written come out unchanged)",
}


@contextmanager
def pending(kb: Store, kind: str, source: str, *, completes_earlier: bool) -> Iterator[str]:
    """Mark the write ``kind`` of ``source`` as begun; unmark it when the block succeeds.

    Args:
        kb: the knowledge base written.
        kind: ``restore`` or ``import``.
        source: the archive or the data set, as the user named it.
        completes_earlier: finishing also removes the markers of earlier runs of the same
            kind and source (an import run again completes the one killed before).

    Yields:
        The marker's key (a restore keeps it while it empties the database).
    """
    key = f"pending:{kind}:{uuid.uuid4().hex}"
    kb.write_one("meta/pending_begin", key=key, kind=kind, source=source)
    yield key
    ended_by = source if completes_earlier else None
    kb.write_one("meta/pending_end", key=key, kind=kind, source=ended_by)


def incomplete(kb: Reader) -> list[dict[str, Any]]:
    """The writes that began and never finished, oldest first: kind, source, started."""
    return kb.read("meta/pending")


def describe(row: dict[str, Any]) -> str:
    """One sentence on an unfinished write and how to finish it."""
    finish = HOW_TO_FINISH.get(row["kind"], "run it again").format(source=row["source"])
    started = str(row["started"] or "")[:19].replace("T", " ")
    return (
        f"A {row['kind']} of {row['source']} started {started} UTC did not finish: the "
        f"database holds part of it. To finish, {finish}."
    )
