"""The research record's journal: every write appends an entry, in the transaction of the
change.

The journal's head is one bookkeeping node (``KbMeta {key: 'journal'}``) holding the last
entry's sequence number (the **data version** every output is stamped with) and the case's
content fingerprint at that version.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.store import Reader


@dataclass(frozen=True)
class JournalHead:
    """Where the journal stands: ``data_version`` 0 before any journaled write."""

    data_version: int
    fingerprint: str


def head(db: Reader) -> JournalHead:
    """The journal's head, in one read of one node."""
    row = db.read_one("journal/head")
    return JournalHead(data_version=int(row["data_version"]), fingerprint=str(row["fingerprint"]))
