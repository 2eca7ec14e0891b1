"""The research record's journal: every write appends to an entry, in the transaction of the
change.

The journal's head is one bookkeeping node (``KbMeta {key: 'journal'}``) holding the last
entry's sequence number (the **data version** every output is stamped with) and the chain
hash (its ``fingerprint`` property, `JournalHead.chain`): the hash of the last entry,
chained over every entry before it (each entry keeps the hash of the one before), so that
an entry removed or altered breaks the chain. It is the journal's integrity check, not the
case's content fingerprint that outputs carry (kb.fingerprint, kept on the same node).

An entry (``KbMeta:KbJournal {seq, at, analyst, command, why, prev, hash}``) is one command;
its changes are chunks (``KbMeta:KbJournalChunk``), one per write transaction, written in
that transaction (`kb.graph.KnowledgeBase` does it for every canned write query, so a write
that is not journaled cannot be made through kb). A chunk of few records keeps, per record,
its id, what happened (created, updated, deleted) and the values before and after of every
property that changed; a bulk chunk (an import batch) keeps the ids it changed and compact
before-images: nothing for a record it created, the values before of what an update
changed, the whole image of a record deleted. A reset and a QDA prune keep the images of
what they delete, a restore the case it replaced: `undo` rebuilds any version but one
before a withdrawal, whose purge is deliberate.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kb.errors import NotFoundError, ParameterError, ValidationError
from kb.results import Rows
from kb.store import Reader

# A write of more records than this is a bulk chunk: compact before-images, no after-values.
DETAIL_LIMIT = 50
# The canned write queries that change no record of the case, and why they need no entry.
UNJOURNALED = {
    "meta/set_schema_version": "bookkeeping: the schema version",
    "meta/pending_begin": "bookkeeping: the marker of an import or restore under way",
    "meta/pending_end": "bookkeeping: the marker of an import or restore under way",
    "search/set_text": "derived: the search text computed from fields already journaled",
    "fingerprint/keep": "bookkeeping: the content fingerprint kept for the head's version",
    "restore/delete_batch": "a restore is journaled as one entry by kb.backup.restore",
    "restore/nodes": "a restore is journaled as one entry by kb.backup.restore",
    "restore/relationships": "a restore is journaled as one entry by kb.backup.restore",
    "restore/drop_constraint": "schema only",
    "restore/drop_index": "schema only",
}
# The labels of the journal's nodes (besides KbMeta): entries, chunks, the index of ids.
JOURNAL_LABELS = ("KbJournal", "KbJournalChunk", "KbJournalTouch")
_CREDENTIALS = re.compile(r"(://)[^/@\s]+@")
_SECRET_OPTIONS = ("--password", "--pass", "--token", "--secret")
# Commands with an option of the name of a global journal option, which stays theirs
# (their --why is the journal's too: a withdrawal's is masked, kb.journal_purge).
OWN_OPTIONS = {"--why": ("settle", "withdraw"), "--analyst": ("changes",)}


@dataclass(frozen=True)
class JournalHead:
    """Where the journal stands: ``data_version`` 0 before any journaled write."""

    data_version: int
    # The hash of the last entry, chained over all before it: the journal's integrity
    # check. Not the case's content fingerprint (kb.fingerprint).
    chain: str


def head(db: Reader) -> JournalHead:
    """The journal's head, in one read of one node."""
    row = db.read_one("journal/head")
    return JournalHead(data_version=int(row["data_version"]), chain=str(row["fingerprint"]))


def is_journal_node(labels: list[str], props: dict[str, Any]) -> bool:
    """Whether a node is the journal's (its head, an entry, a chunk, a touch key)."""
    return props.get("key") == "journal" or any(label in JOURNAL_LABELS for label in labels)


def journaled(query: str) -> bool:
    """Whether a canned write query's changes are journaled (all but `UNJOURNALED` and the
    journal's own queries)."""
    return query not in UNJOURNALED and not query.startswith("journal/")


# -- who, what, why ------------------------------------------------------------------------
@dataclass
class Invocation:
    """The command being run, as the journal records it."""

    command: str = ""
    why: str = ""
    analyst: str = ""


INVOCATION = Invocation()


def analyst_name(given: str | None = None) -> str:
    """``--analyst``, else ``$KB_ANALYST``, else the OS user."""
    if given:
        return given
    if os.environ.get("KB_ANALYST"):
        return os.environ["KB_ANALYST"]
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def without_secrets(args: list[str]) -> str:
    """The command line as the journal keeps it: credentials in URIs and the values of
    password-like options masked."""
    shown: list[str] = []
    hide_next = False
    for arg in args:
        if hide_next:
            shown.append("***")
            hide_next = False
            continue
        name = arg.split("=", 1)[0]
        if name in _SECRET_OPTIONS:
            if "=" in arg:
                shown.append(f"{name}=***")
            else:
                shown.append(arg)
                hide_next = True
            continue
        shown.append(_CREDENTIALS.sub(r"\1***@", arg))
    return " ".join(shown)


def take_invocation(args: list[str]) -> list[str]:
    """Record the command ``kb ARGS`` for the journal (without ``--why``, ``--analyst`` and
    secrets); returns ``args`` with those two global options moved before the command, where
    the CLI reads them (every writing command takes them after its name too)."""
    rest: list[str] = []
    moved: list[str] = []
    why = ""
    items = iter(args)
    for arg in items:
        if arg == "--":
            rest += [arg, *items]
            break
        name, eq, value = arg.partition("=")
        if name in ("--why", "--analyst"):
            if not eq:
                value = next(items, "")
            # A command's own option of that name stays its own (`kb changes --analyst`
            # filters, `kb evidence settle --why` records the decision, `kb withdraw --why`
            # the reason kept with its date): its --why is
            # also the journal's.
            if any(command in rest for command in OWN_OPTIONS[name]):
                rest += [arg] if eq else [arg, value]
                if name == "--why":
                    why = value
            else:
                moved += [arg] if eq else [arg, value]
            continue
        rest.append(arg)
    INVOCATION.command = "kb " + without_secrets(
        [a for i, a in enumerate(rest) if a != "--why" and (i == 0 or rest[i - 1] != "--why")]
    )
    INVOCATION.why = why
    INVOCATION.analyst = analyst_name()
    return moved + rest


# -- writing -------------------------------------------------------------------------------
@dataclass
class Entry:
    """One journal entry under way: every write transaction of a command adds a chunk to it.
    Its sequence number is given by the first transaction that commits a change."""

    command: str
    why: str = ""
    analyst: str = ""
    seq: int | None = None
    chunks: int = 0
    lock: Any = field(default_factory=threading.RLock)
    # A withdrawal's purge of the journal (kb.journal_purge.JournalPurge), run in the
    # transaction of its write: it returns the withdrawal's own change, without their data.
    purge: Any = None

    @classmethod
    def current(cls, command: str | None = None) -> Entry:
        """An entry for the command being run (`INVOCATION`), or for ``command``."""
        return cls(
            command=INVOCATION.command or command or "kb (library)",
            why=INVOCATION.why,
            analyst=INVOCATION.analyst or analyst_name(),
        )


def entry_hash(prev: str, seq: int, at: str, analyst: str, command: str, why: str) -> str:
    """The hash of an entry, chained to the one before."""
    data = json.dumps([prev, seq, at, analyst, command, why], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def open_entry(tx: Any, entry: Entry, run: Any) -> int:
    """Append ``entry`` to the journal inside ``tx`` (head locked); its sequence number."""
    top = run(tx, "journal/lock_head", {})[0]
    seq = int(top["seq"]) + 1
    at = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    prev = str(top["fingerprint"] or "")
    digest = entry_hash(prev, seq, at, entry.analyst, entry.command, entry.why)
    run(
        tx,
        "journal/append_entry",
        {
            "seq": seq,
            "at": at,
            "analyst": entry.analyst,
            "command": entry.command,
            "why": entry.why,
            "prev": prev,
            "fingerprint": digest,
        },
    )
    return seq


def record_ids(params: dict[str, Any]) -> list[str]:
    """The ids of the records a write query's parameters name."""
    ids: list[str] = []
    for name in ("id", "evidence", "target"):
        if isinstance(params.get(name), str):
            ids.append(params[name])
    for item in params.get("rows") or params.get("ids") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            ids.append(item["id"])
        elif isinstance(item, str):
            ids.append(item)
    for item in params.get("links") or params.get("pairs") or []:
        if isinstance(item, dict):
            ids.extend(str(v) for k, v in item.items() if k in ("id", "tie", "evidence") and v)
    return list(dict.fromkeys(ids))


def _links(image: dict[str, Any] | None) -> list[Any]:
    return list(image.get("links") or []) if image else []


def diff(
    before: dict[str, dict[str, Any]],
    after: dict[str, dict[str, Any]],
    *,
    compact: bool = False,
) -> list[dict[str, Any]]:
    """Per record id, what happened and the values before (and, unless ``compact``, after)
    of what changed (values encoded as kb.backup keeps them, so that an undo writes back the
    very value and type). A record that reads the same is left out.

    ``compact`` (a bulk chunk): a created record keeps nothing (its id is in the chunk's
    ids), an updated one the values before of what changed, a deleted one its full image."""
    changes = []
    for ident in sorted(set(before) | set(after)):
        old, new = before.get(ident), after.get(ident)
        shape = new or old
        assert shape is not None
        change: dict[str, Any] = {"id": ident, "kind": shape["kind"]}
        where = {"labels": shape["labels"], "start": shape["start"], "end": shape["end"]}
        if old is None and new is not None:
            if not compact:
                changes.append(
                    {**change, **where, "op": "created", "before": {}, "after": new["props"]}
                )
            continue
        if new is None and old is not None:
            gone = {**change, **where, "op": "deleted", "before": old["props"]}
            if _links(old):
                gone["links"] = {"before": _links(old), "after": []}
            changes.append(gone if compact else {**gone, "after": {}})
            continue
        assert old is not None and new is not None
        keys = sorted(set(old["props"]) | set(new["props"]))
        changed = [k for k in keys if old["props"].get(k) != new["props"].get(k)]
        extra: dict[str, Any] = {}
        if _links(old) != _links(new):
            extra["links"] = {"before": _links(old), "after": _links(new)}
        if sorted(old["labels"]) != sorted(new["labels"]) and old["kind"] == "node":
            extra["labels_before"] = old["labels"]
        if (old["start"], old["end"]) != (new["start"], new["end"]):
            extra["moved"] = {"start": old["start"], "end": old["end"]}
        if not changed and not extra:
            continue
        updated = {**change, "op": "updated", "before": {k: old["props"].get(k) for k in changed}}
        if compact:
            if "links" in extra:
                extra["links"] = {"before": extra["links"]["before"]}
            changes.append({**updated, **extra})
        else:
            after_values = {k: new["props"].get(k) for k in changed}
            changes.append({**updated, **where, "after": after_values, **extra})
    return changes


def _encode_record(row: dict[str, Any]) -> dict[str, Any]:
    from kb.backup import encode

    row["props"] = {k: encode(v) for k, v in sorted((row["props"] or {}).items())}
    links = [
        {**link, "props": {k: encode(v) for k, v in sorted((link["props"] or {}).items())}}
        for link in row.get("links") or []
    ]
    row["links"] = sorted(links, key=lambda link: json.dumps(link, sort_keys=True))
    return row


def images(tx: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The records with these ids as they stand inside ``tx``, values encoded."""
    from kb import queries

    if not ids:
        return {}
    found = {}
    for record in tx.run(queries.get("journal/records").body, {"ids": ids}):
        row = _encode_record(record.data())
        found[row["id"]] = row
    return found


def returned_images(records: list[Any], *, compact: bool) -> list[dict[str, Any]]:
    """The changes a write query reports itself in its ``images`` column (what it deleted,
    or changed beyond the records its parameters name: kb reset, a QDA prune), encoded as
    `diff` gives them."""
    from kb.backup import encode

    found = []
    for record in records:
        if "images" not in record.keys():
            continue
        for image in record["images"] or []:
            change = {
                "id": image["id"],
                "kind": image["kind"],
                "op": image["op"],
                "labels": image["labels"],
                "start": image.get("start"),
                "end": image.get("end"),
            }
            values = image["props"] if image["op"] == "deleted" else image["before"]
            change["before"] = {k: encode(v) for k, v in sorted(values.items())}
            if not compact:
                after = {} if image["op"] == "deleted" else image["after"]
                change["after"] = {k: encode(v) for k, v in sorted(after.items())}
            found.append(change)
    return found


def append_chunk(
    tx: Any,
    entry: Entry,
    seq: int,
    query: str,
    changes: list[dict[str, Any]] | None,
    ids: list[str],
    count: int,
    run: Any,
    kept: list[dict[str, Any]],
) -> None:
    """Add the changes of one write transaction to entry ``seq``. Chunks are numbered in
    the order their writes began (an undo goes back through them newest first).

    ``changes``: the detailed changes of a small write, or None for a bulk one, which keeps
    the ``ids`` it changed and, in ``kept``, the compact before-images of the records it
    updated or deleted (`diff`); its other ids were created. A restore keeps the images of
    the case it replaced the same way (op ``image``)."""
    bulk = changes is None
    if changes is not None:
        ids = [c["id"] for c in changes if c.get("id")]
    with entry.lock:
        entry.chunks += 1
        number = entry.chunks
    run(
        tx,
        "journal/append_chunk",
        {
            "key": f"journal:{seq}:{number:09d}",
            "seq": seq,
            "query": query,
            "changes": json.dumps(changes or [], ensure_ascii=False, sort_keys=True),
            "ids": ids,
            "count": count,
            "bulk": bulk,
            "created": bulk,
            "images": json.dumps(kept if bulk else [], ensure_ascii=False, sort_keys=True),
        },
    )


# -- reading -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One journal entry as `kb changes` lists it."""

    seq: int
    at: str
    analyst: str
    command: str
    why: str
    records: int
    changes: list[dict[str, Any]]
    purged: str = ""  # 'purged for a withdrawal on DATE' (kb.journal_purge)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "analyst": self.analyst,
            "command": self.command,
            "why": self.why,
            "records": self.records,
            "changes": self.changes,
            "purged": self.purged,
        }


class Changes(Rows):
    """`changes`' and `history`'s answer (``kb changes``, ``kb history ID``): the journal's
    entries (`Change`), oldest first; its records are the entries as plain maps (seq, at,
    analyst, command, why, records, changes, purged; each change's id in the flat records).
    """

    def data(self) -> list[Any]:
        """The entries as plain maps: what ``--format json`` prints."""
        return [entry.as_dict() for entry in self.rows]


def _entry(row: dict[str, Any], only: str | None = None) -> Change:
    changes: list[dict[str, Any]] = []
    records = 0
    for chunk in row["chunks"]:
        detailed = json.loads(chunk["changes"] or "[]")
        if detailed:
            records += len(detailed)
            changes += [c for c in detailed if only is None or c["id"] == only]
        else:
            ids = list(chunk["ids"] or [])
            # A bulk chunk is read without its id list: its size, and the id looked up.
            listed = len(ids) if chunk.get("records") is None else int(chunk["records"])
            records += listed or int(chunk["count"] or 0)
            if only is not None and only in ids:
                changes.append({"id": only, "kind": "", "op": "written", "before": {}, "after": {}})
            elif only is None and not listed and chunk["count"]:
                changes.append(
                    {"id": "", "kind": chunk["query"], "op": "written", "count": chunk["count"]}
                )
    return Change(
        seq=int(row["seq"]),
        at=str(row["at"]),
        analyst=str(row["analyst"]),
        command=str(row["command"]),
        why=str(row["why"] or ""),
        records=records,
        purged=str(row.get("purged") or ""),
        changes=changes if only is not None or len(changes) <= DETAIL_LIMIT else [],
    )


def check(db: Reader) -> list[dict[str, Any]]:
    """The journal's sequence numbers and times, after checking that none is missing.

    Raises:
        ValidationError: entries are missing (the journal was tampered with).
    """
    rows = db.read("journal/sequence")
    top = head(db).data_version
    expected = 1
    for row in rows:
        if row["seq"] != expected:
            raise ValidationError(
                f"The journal has been tampered with: entries {expected} to {row['seq'] - 1} "
                "are missing. Restore a backup taken before (kb restore PATH --force)."
            )
        expected += 1
    if top != expected - 1:
        raise ValidationError(
            f"The journal has been tampered with: its head says data version {top}, its "
            f"entries end at {expected - 1}. Restore a backup (kb restore PATH --force)."
        )
    return rows


def checked_head(db: Reader) -> int:
    """The last entry's sequence number, after checking that no entry is missing from the
    journal's extent (the entries' count, the ends of their seq index, the head): no entry
    is read, so a journal of 100 k entries costs what a small one does. When they disagree,
    `check` reads every entry and names the missing ones.

    Raises:
        ValidationError: entries are missing (the journal was tampered with).
    """
    row = db.read_one("journal/extent")
    entries, top = int(row["entries"]), int(row["head"])
    # Sequence numbers are distinct (an entry's key holds its number): `entries` of them
    # from 1 to the head, and the head among them, leave no gap.
    if entries == top and (top == 0 or (row["first"] == 1 and row["last"] == top)):
        return top
    rows = check(db)
    return int(rows[-1]["seq"]) if rows else 0


def parse_since(text: str | None) -> str | int | None:
    """``@SEQ`` as an int, a date-time as an ISO string, None as None."""
    if text is None:
        return None
    text = text.strip()
    if text.startswith("@"):
        try:
            return int(text[1:])
        except ValueError:
            raise ParameterError(
                "since", text, "@ followed by a data version, e.g. @12 (kb changes lists them)."
            ) from None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ParameterError(
            "since", text, "a date-time (2026-12-07 or 2026-12-07T14:30, UTC) or @SEQ."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if len(text) == 10:  # a bare date: the end of that day
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def resolve(db: Reader, known_at: str | int, *, option: str = "known-at") -> int:
    """The data version ``known_at`` (``@SEQ``, an int, or a UTC date-time) names.

    Raises:
        ValidationError: the journal has entries missing.
        ParameterError: no entry has that sequence number, or the date is before the first
            entry.
    """
    wanted = parse_since(known_at) if isinstance(known_at, str) else known_at
    if isinstance(wanted, int):
        last = checked_head(db)
        if not 0 <= wanted <= last:
            raise ParameterError(
                option, f"@{wanted}", f"a data version from @0 to @{last} (kb changes lists them)."
            )
        return wanted
    assert isinstance(wanted, str)
    rows = check(db)
    if not rows or wanted < rows[0]["at"]:
        first = rows[0]["at"] if rows else "none yet"
        raise ParameterError(
            option,
            str(known_at),
            f"a time after the journal's first entry ({first}); kb changes lists the entries.",
        )
    return int(max(row["seq"] for row in rows if row["at"] <= wanted))


def changes(
    db: Reader,
    *,
    since: str | int | None = None,
    analyst: str | None = None,
    record: str | None = None,
) -> Changes:
    """The journal's entries, oldest first (``kb changes``): a `Changes`.

    Args:
        since: ``@SEQ`` or a date-time: entries from then on.
        analyst: only this analyst's entries.
        record: only the entries that touched this record id.

    Raises:
        ParameterError: ``since`` is malformed or names no entry.
        ValidationError: the journal has entries missing.
    """
    first = 1
    checked_head(db)  # tampering is loud for every listing
    if since is not None:
        wanted = parse_since(since) if isinstance(since, str) else since
        if isinstance(wanted, str) and ((rows := check(db)) == [] or wanted < rows[0]["at"]):
            pass  # a time before the journal began: every entry is after it
        else:
            first = resolve(db, since, option="since")
            if isinstance(wanted, str):
                first += 1  # entries after that time
    if record is None:
        rows = db.read("journal/entries", since=first, analyst=analyst)
        return Changes(tuple(_entry(row) for row in rows))
    touched = db.read("journal/touching", id=record)
    seqs = sorted({int(row["seq"]) for row in touched if row["seq"] >= first})
    hits = sorted({str(row["chunk"]) for row in touched if row["chunk"] is not None})
    rows = (
        db.read("journal/entries_in", seqs=seqs, id=record, hits=hits, analyst=analyst)
        if seqs
        else []
    )
    return Changes(tuple(_entry(row, only=record) for row in rows))


def history(db: Reader, record: str) -> Changes:
    """The story of one record (``kb history ID``): every entry that touched it (a
    `Changes`), each with only that record's changes.

    Raises:
        NotFoundError: no journal entry touched a record with that id.
    """
    found = changes(db, record=record)
    if not found:
        raise NotFoundError(
            f"No journal entry touched a record with id {record!r} (ids are case-sensitive; "
            "kb changes lists the entries)."
        )
    return found


@contextmanager
def no_journal(base: Any) -> Iterator[None]:
    """Writes without a journal: for the benchmark's baseline only, never the CLI."""
    base.journaling = False
    try:
        yield
    finally:
        base.journaling = True


# -- the case as it was known ----------------------------------------------------------------
class NotReconstructibleError(ValidationError):
    """An entry after the wanted data version kept no before-values to undo."""


def undo(tx: Any, chunks: list[dict[str, Any]], seq: int) -> None:
    """Undo ``chunks`` (newest first: journal/undo_chunks) inside ``tx``: the case as it
    stood at data version ``seq``. The caller rolls ``tx`` back.

    Raises:
        NotReconstructibleError: an entry after ``seq`` is a withdrawal (its purge dropped
            the participant's values on purpose), a restore of a backup of another history,
            or a chunk of a journal written before kb kept before-images.
    """
    from kb.backup import decode

    undoing = _Undo(tx, decode)
    for chunk in chunks:
        restored = False
        changes = json.loads(chunk["changes"] or "[]")
        kept = json.loads(chunk["images"] or "[]")
        for change in changes:
            if change.get("op") == "withdrawn":
                raise NotReconstructibleError(
                    f"The case cannot be shown as known at @{seq}: entry {chunk['seq']} is a "
                    f"withdrawal ({change.get('date', '')[:10]}), which purged the "
                    "participant's data from the journal, so versions before it cannot be "
                    f"rebuilt faithfully. The earliest version shown is @{chunk['seq']}."
                )
            if change.get("op") == "restored" and change.get("imaged"):
                restored = True
                if change.get("diverged"):
                    raise NotReconstructibleError(
                        f"The case cannot be shown as known at @{seq}: entry {chunk['seq']} "
                        "restored a backup of another history (its journal differs from "
                        "this database's), so the versions before it are that backup's. The "
                        f"earliest version shown is @{chunk['seq']}."
                    )
                if change.get("replaces"):
                    undoing.clear_case()
                continue
            if change.get("op") not in ("created", "updated", "deleted"):
                raise NotReconstructibleError(
                    f"The case cannot be shown as known at @{seq}: entry {chunk['seq']} "
                    f"({chunk['command']}) replaced the whole case and kept no image of it. "
                    f"The earliest version shown exactly is @{chunk['seq']}."
                )
        if restored:
            continue
        if not changes and chunk["ids"] and not chunk["created"]:
            raise NotReconstructibleError(
                f"The case cannot be shown as known at @{seq}: entry {chunk['seq']} "
                f"({chunk['command']}) changed records without keeping their values before "
                f"({chunk['query']}). The earliest version shown exactly is @{chunk['seq']}."
            )
        if any(item.get("op") == "image" for item in kept):
            undoing.image([item for item in kept if item.get("op") == "image"])
            continue
        if not changes:  # a bulk chunk: its ids not in its images were created
            had = {item["id"] for item in kept}
            changes = [{"op": "created", "id": i} for i in chunk["ids"] if i not in had] + kept
        undoing.chunk(changes)


class _Undo:
    """Undoes chunks inside a --known-at transaction, a few batched queries per chunk."""

    def __init__(self, tx: Any, decode: Any) -> None:
        self.tx = tx
        self.decode = decode
        self.nodes: dict[Any, str] = {}  # a restore's image keys -> element ids

    def run(self, name: str, **params: Any) -> list[Any]:
        from kb import queries

        return list(self.tx.run(queries.get(name).body, params))

    def values(self, props: dict[str, Any]) -> dict[str, Any]:
        return {k: self.decode(v) for k, v in props.items()}

    def links(self, links: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**link, "props": self.values(link["props"])} for link in links]

    def chunk(self, changes: list[dict[str, Any]]) -> None:
        """Undo one chunk's changes: creations first, then deletions (nodes before the
        relationships between them), then updates (values, labels, links, moves)."""
        by_op: dict[str, list[dict[str, Any]]] = {"created": [], "updated": [], "deleted": []}
        for change in changes:
            by_op[change["op"]].append(change)
        created = [c["id"] for c in by_op["created"]]
        if created:
            self.run("journal/undo_created", ids=created)
        deleted = by_op["deleted"]
        nodes = [
            {"labels": c["labels"], "props": self.values(c["before"])}
            for c in deleted
            if c["kind"] == "node"
        ]
        if nodes:
            self.run("journal/undo_deleted_nodes", rows=nodes)
        relationships = [
            {"type": c["labels"][0], "start": c["start"], "end": c["end"]}
            | {"props": self.values(c["before"])}
            for c in deleted
            if c["kind"] == "relationship"
        ]
        links = [link for c in deleted for link in (c.get("links") or {}).get("before", [])]
        updated = by_op["updated"]
        if updated:
            rows = [{"id": c["id"], "props": self.values(c["before"])} for c in updated]
            self.run("journal/undo_set", rows=[r for r in rows if r["props"]])
        relinked = [c for c in updated if "links" in c]
        if relinked:
            self.run("journal/undo_links_clear", ids=[c["id"] for c in relinked])
            links += [link for c in relinked for link in c["links"]["before"]]
        unique = {json.dumps(link, sort_keys=True): link for link in links}
        if relationships or unique:
            rows = relationships + self.links(list(unique.values()))
            self.run("journal/undo_deleted_relationships", rows=rows)
        labelled = [
            {"id": c["id"], "labels": c["labels_before"]} for c in updated if "labels_before" in c
        ]
        if labelled:
            self.run("journal/undo_labels", rows=labelled)
        moved = [{"id": c["id"], **c["moved"]} for c in updated if "moved" in c]
        if moved:
            self.run("journal/undo_moved", rows=moved)

    def clear_case(self) -> None:
        """Before a restore's images are put back: the case it restored goes."""
        self.run("journal/undo_case_clear")
        self.nodes = {}

    def image(self, items: list[dict[str, Any]]) -> None:
        """Put back part of the case a restore replaced (nodes come before relationships:
        the restore wrote their parts the other way round, and undo goes newest first)."""
        nodes = [
            {"key": i["key"], "labels": i["labels"], "props": self.values(i["props"])}
            for i in items
            if i["kind"] == "node"
        ]
        if nodes:
            for record in self.run("journal/undo_image_nodes", rows=nodes):
                self.nodes[record["key"]] = record["id"]
        relationships = [
            {
                "start": self.nodes[i["start"]],
                "end": self.nodes[i["end"]],
                "type": i["type"],
                "props": self.values(i["props"]),
            }
            for i in items
            if i["kind"] == "relationship"
        ]
        if relationships:
            self.run("journal/undo_image_relationships", rows=relationships)


def case_image(db: Any) -> list[dict[str, Any]]:
    """The whole case (not kb's bookkeeping) as a restore's journal keeps it before it
    replaces it: nodes keyed by their element id, relationships between those keys, values
    encoded (op ``image``)."""
    from kb.backup import encode

    items: list[dict[str, Any]] = []
    keys: set[str] = set()
    with db.snapshot() as snapshot:
        for record in snapshot.stream("backup/nodes"):
            if "KbMeta" in record["labels"]:
                continue
            keys.add(record["id"])
            props = {k: encode(v) for k, v in sorted(record["props"].items())}
            items.append(
                {"op": "image", "kind": "node", "key": record["id"], "id": props.get("id")}
                | {"labels": record["labels"], "props": props}
            )
        for record in snapshot.stream("backup/relationships"):
            if record["start"] not in keys or record["end"] not in keys:
                continue
            props = {k: encode(v) for k, v in sorted(record["props"].items())}
            items.append(
                {"op": "image", "kind": "relationship", "id": props.get("id")}
                | {"start": record["start"], "end": record["end"], "type": record["type"]}
                | {"props": props}
            )
    return items


# How many items of a restore's image of the case one journal chunk holds.
IMAGE_PART = 5_000


def carry_over(
    db: Any, carried: list[dict[str, Any]], source: str, before: list[dict[str, Any]]
) -> int:
    """After a restore: keep the restored history, put back the entries the database had
    after it (``carried``: journal/nodes read before the restore), and append the restore's
    own entry after the highest number ever given. Returns its sequence number.

    The entry keeps ``before`` (`case_image`, read before the restore) when the case it
    replaced is the one the journal's entries before it lead to: the database was ahead of
    the backup. When the backup was ahead (or level), the entries before the restore are the
    backup's, which lead to what it restored: undoing the restore changes nothing."""
    restored = head(db)
    replaced: dict[str, Any] = next(
        (r["props"] for r in carried if r["props"].get("key") == "journal"), {}
    )
    replaced_seq = int(replaced.get("seq") or 0)
    keep = [
        r
        for r in carried
        if r["props"].get("key") != "journal"
        and int(r["props"].get("seq") or 0) > restored.data_version
    ]
    # The two histories agree up to the older one's last entry, or the backup is another
    # case's (its versions before the restore are its own, not this database's).
    common = min(replaced_seq, restored.data_version)
    diverged = False
    if common:
        ours = next(
            (
                r["props"].get("hash")
                for r in carried
                if r["props"].get("key") == f"journal:{common}"
            ),
            None,
        )
        theirs = db.read("journal/entries_at", seq=common, analyst=None)
        diverged = not theirs or ours != theirs[0]["hash"]
    for start in range(0, len(keep), 5_000):
        db.write_one("journal/put_nodes", rows=keep[start : start + 5_000])
    if replaced_seq > restored.data_version:
        db.write_one(
            "journal/set_head", seq=replaced_seq, fingerprint=str(replaced.get("fingerprint"))
        )
    replaces = replaced_seq > restored.data_version
    note = {
        "id": "",
        "kind": "case",
        "op": "restored",
        "source": source,
        "replaced": {"data_version": replaced_seq, "fingerprint": replaced.get("fingerprint")},
        "restored": {
            "data_version": restored.data_version,
            "fingerprint": restored.chain,
        },
        "imaged": True,
        "replaces": replaces,
        "diverged": diverged,
    }
    # Relationships first, then nodes: an undo goes through the chunks newest first.
    ordered = sorted(before, key=lambda item: item["kind"] == "node") if replaces else []
    parts = [ordered[i : i + IMAGE_PART] for i in range(0, len(ordered), IMAGE_PART)]
    return int(db.journal_note("restore", note, parts))
