"""The case's content fingerprint: one hash of what the case holds, however it got there.

Every output's provenance carries it (kb.provenance), beside the data version: two states of
the case with the same records have the same fingerprint, whatever history reached them
(import A then B or B then A, a record added then deleted) and whatever Neo4j's internal
ids; any change of a label, a property, a relationship or its ends changes it.

What is hashed: every node of the case (its labels and all its properties) and every
relationship (its type, its properties, and its ends by their labels and ``id``; an end
without an id by its properties). Left out: kb's bookkeeping (``KbMeta`` nodes: the
journal, the schema version, the markers of unfinished writes) and derived values
(`DERIVED`: the search text kb computes from fields already hashed).

How: each record is written canonically (JSON with sorted keys; labels sorted; every Neo4j
value typed as kb.backup keeps it, so that the date 2016-01-01 and the text "2016-01-01",
the integer 1 and the float 1.0 differ) and hashed with SHA-256. The records' digests are
sorted and hashed again with the counts: sorting makes the order the database streams them
in irrelevant and keeps SHA-256's collision resistance (a sum of digests would be cheaper in
memory but lets a forger choose records that cancel out, Wagner's generalized birthday
attack). Only the 32-byte digests are kept, not the records: 1 M ties take about 32 MB.

The fingerprint is ``sha256:`` and 64 hex digits. The journal's older head hash (32 hex
digits, no prefix), which earlier provenance carried as its ``fingerprint``, is a hash of
the history, not of the content (`kind`).

Cost: a full read of the case. It is kept on the journal's head with the chain hash it was
computed at (every write moves that hash), so outputs of one data version compute it once
(`of_case`); `cached` never reads the case (``kb status``). Under ``--known-at`` the case is
rebuilt inside a transaction that is rolled back: the fingerprint is computed there, of the
rebuilt state, and never taken from (nor written to) the cache of today's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from kb.errors import KBError
from kb.schema import SEARCH_PROPERTY

PREFIX = "sha256:"
# Properties computed by kb from others already hashed (kb.text.search_text): not content.
DERIVED = frozenset({SEARCH_PROPERTY})
CONTENT = "content"
CHAIN = "chain (old: a hash of the journal, not of the content)"
NONE = "none"
# What `kb status` shows before an output of this data version computed the fingerprint.
NOT_COMPUTED = "not computed yet"
# From this many records on, their digests are sorted in one compact buffer (numpy).
COMPACT_FROM = 100_000


def kind(fingerprint: str) -> str:
    """What a provenance's fingerprint is: `CONTENT`, the journal's old `CHAIN`, or `NONE`."""
    if fingerprint.startswith(PREFIX):
        return CONTENT
    return CHAIN if fingerprint else NONE


def _props(props: Mapping[str, Any] | None) -> dict[str, Any] | None:
    from kb.backup import encode  # here: kb status imports this module, not the backup

    if props is None:
        return None
    return {k: encode(v) for k, v in props.items() if k not in DERIVED}


def _end(end: Mapping[str, Any] | None) -> Any:
    from kb.backup import encode

    if end is None:
        return None
    return {
        "labels": sorted(end["labels"]),
        "id": encode(end["id"]),
        "props": _props(end["props"]),
    }


def record_digest(row: Mapping[str, Any]) -> bytes:
    """The SHA-256 of one record of fingerprint/content, written canonically."""
    data = [
        row["kind"],
        sorted(row["labels"]),
        _props(row["props"]),
        _end(row["start"]),
        _end(row["end"]),
    ]
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).digest()


def sorted_digests(digests: bytes, *, compact_from: int = COMPACT_FROM) -> bytes:
    """The 32-byte ``digests`` in byte order. From ``compact_from`` digests on, numpy sorts
    them in one buffer (32 bytes each; Python's list of bytes takes about 80); below, the
    list is quicker than importing numpy. Both give the same order (the same bytes)."""
    count = len(digests) // 32
    if count < compact_from:
        return b"".join(sorted(digests[i * 32 : (i + 1) * 32] for i in range(count)))
    import numpy as np

    # Fixed-length byte strings of one length compare byte by byte, as bytes do.
    return np.sort(np.frombuffer(digests, dtype="S32")).tobytes()


def combine(rows: Iterable[Mapping[str, Any]]) -> str:
    """The fingerprint of the records ``rows`` (fingerprint/content's rows, driver values),
    in any order."""
    digests = bytearray()
    counts = {"node": 0, "relationship": 0}
    for row in rows:
        digests += record_digest(row)
        counts[row["kind"]] += 1
    ordered = sorted_digests(bytes(digests))
    total = hashlib.sha256(f"kb-content-1 {counts['node']} {counts['relationship']}\n".encode())
    total.update(ordered)
    return PREFIX + total.hexdigest()


def compute(db: Any) -> str:
    """The case's content fingerprint, read now (in the transaction of ``--known-at`` when
    one is held: the rebuilt state). Reads the whole case."""
    with db.snapshot() as snapshot:
        return combine(snapshot.stream("fingerprint/content"))


def cached(db: Any) -> str | None:
    """The fingerprint kept for the data version the case is at, or None: never reads the
    case (``kb status``). None under ``--known-at`` (the cache is today's)."""
    if getattr(db, "_held", None) is not None:
        return None
    head = db.read_one("fingerprint/cached")
    if head["fingerprint"] and head["computed_at"] == head["chain"]:
        return str(head["fingerprint"])
    return None


def of_case(db: Any, *, chain: str | None = None) -> str:
    """The case's content fingerprint: the one kept for this data version, else computed
    and kept. Under ``--known-at``: computed in the rebuilt state, never kept.

    Args:
        chain: the journal's chain hash the caller saw (its data version): when the case
            has moved on since (the command wrote), the fingerprint of that version can no
            longer be read, and ``""`` says so.
    """
    if getattr(db, "_held", None) is not None:
        return compute(db)
    head = db.read_one("fingerprint/cached")
    if chain is not None and head["chain"] != chain:
        return ""
    if head["fingerprint"] and head["computed_at"] == head["chain"]:
        return str(head["fingerprint"])
    found = compute(db)
    if db.read_one("fingerprint/cached")["chain"] != head["chain"]:
        # A write moved the head while the case was read: what was read is of no one version.
        return "" if chain is not None else compute(db)
    if head["data_version"] > 0:
        try:  # kept only while the head keeps that hash (the query checks it)
            db.write_one("fingerprint/keep", chain=head["chain"], fingerprint=found)
        except KBError:  # a read-only user or replica: computed again next time
            pass
    return found
