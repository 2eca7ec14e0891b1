"""The research record's journal: every write appends to an entry, in the transaction of the
change.

The journal's head is one bookkeeping node (``KbMeta {key: 'journal'}``) holding the last
entry's sequence number (the **data version** every output is stamped with) and a
fingerprint: the hash of the last entry, chained over every entry before it (each entry
keeps the hash of the one before), so that a state of the case reached by another history
has another fingerprint, and an entry removed breaks the chain.

An entry (``KbMeta:KbJournal {seq, at, analyst, command, why, prev, hash}``) is one command;
its changes are chunks (``KbMeta:KbJournalChunk``), one per write transaction, written in
that transaction (`kb.graph.KnowledgeBase` does it for every canned write query, so a write
that is not journaled cannot be made through kb). A chunk of few records keeps, per record,
its id, what happened (created, updated, deleted) and the values before and after of every
property that changed; a bulk chunk (an import batch) keeps the ids it wrote.
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
from kb.store import Reader

# A write of more records than this is a bulk chunk: its ids are kept, not their values.
DETAIL_LIMIT = 50
# The canned write queries that change no record of the case, and why they need no entry.
UNJOURNALED = {
    "meta/set_schema_version": "bookkeeping: the schema version",
    "meta/pending_begin": "bookkeeping: the marker of an import or restore under way",
    "meta/pending_end": "bookkeeping: the marker of an import or restore under way",
    "search/set_text": "derived: the search text computed from fields already journaled",
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
    fingerprint: str


def head(db: Reader) -> JournalHead:
    """The journal's head, in one read of one node."""
    row = db.read_one("journal/head")
    return JournalHead(data_version=int(row["data_version"]), fingerprint=str(row["fingerprint"]))


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


def diff(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Per record id, what happened and the values before and after of what changed (values
    encoded as kb.backup keeps them, so that an undo writes back the very value and type)."""
    changes = []
    for ident in sorted(set(before) | set(after)):
        old, new = before.get(ident), after.get(ident)
        shape = new or old
        assert shape is not None
        change = {
            "id": ident,
            "kind": shape["kind"],
            "labels": shape["labels"],
            "start": shape["start"],
            "end": shape["end"],
        }
        if old is None and new is not None:
            changes.append({**change, "op": "created", "before": {}, "after": new["props"]})
        elif new is None and old is not None:
            changes.append({**change, "op": "deleted", "before": old["props"], "after": {}})
        elif old is not None and new is not None:
            keys = sorted(set(old["props"]) | set(new["props"]))
            changed = [k for k in keys if old["props"].get(k) != new["props"].get(k)]
            if changed:
                changes.append(
                    {
                        **change,
                        "op": "updated",
                        "before": {k: old["props"].get(k) for k in changed},
                        "after": {k: new["props"].get(k) for k in changed},
                    }
                )
    return changes


def images(tx: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The records with these ids as they stand inside ``tx``, values encoded."""
    from kb import queries
    from kb.backup import encode

    if not ids:
        return {}
    found = {}
    for record in tx.run(queries.get("journal/records").body, {"ids": ids}):
        row = record.data()
        row["props"] = {k: encode(v) for k, v in sorted(row["props"].items())}
        found[row["id"]] = row
    return found


def append_chunk(
    tx: Any,
    entry: Entry,
    seq: int,
    query: str,
    changes: list[dict[str, Any]] | None,
    ids: list[str],
    count: int,
    created: bool,
    run: Any,
    before: dict[str, dict[str, Any]],
) -> None:
    """Add the changes of one write transaction to entry ``seq``. Chunks are numbered in
    the order their writes began (an undo goes back through them newest first).

    ``changes``: the detailed changes of a small write, or None for a bulk one, which keeps
    ``ids`` and, if ``created`` (undoable), the ``before`` images of the records that
    existed (the others were created)."""
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
            "created": bulk and created,
            "images": json.dumps(list(before.values()) if bulk else [], sort_keys=True),
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
) -> list[Change]:
    """The journal's entries, oldest first (``kb changes``).

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
        return [_entry(row) for row in rows]
    touched = db.read("journal/touching", id=record)
    seqs = sorted({int(row["seq"]) for row in touched if row["seq"] >= first})
    hits = sorted({str(row["chunk"]) for row in touched if row["chunk"] is not None})
    rows = (
        db.read("journal/entries_in", seqs=seqs, id=record, hits=hits, analyst=analyst)
        if seqs
        else []
    )
    return [_entry(row, only=record) for row in rows]


def history(db: Reader, record: str) -> list[Change]:
    """The story of one record (``kb history ID``): every entry that touched it.

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
        NotReconstructibleError: a chunk kept only ids of records it did not create (a bulk
            update, a reset, a restore): the state before it is not in the journal.
    """
    from kb import queries
    from kb.backup import decode

    def run(name: str, **params: Any) -> int:
        return sum(int(r["undone"]) for r in tx.run(queries.get(name).body, params))

    for chunk in chunks:
        changes = json.loads(chunk["changes"] or "[]")
        if not changes:
            if chunk["created"] and chunk["ids"]:
                existed = json.loads(chunk["images"] or "[]")
                had = {image["id"] for image in existed}
                run("journal/undo_created", ids=[i for i in chunk["ids"] if i not in had])
                for image in existed:
                    _put_back(run, image, {k: decode(v) for k, v in image["props"].items()})
                continue
            raise NotReconstructibleError(
                f"The case cannot be shown as known at @{seq}: entry {chunk['seq']} "
                f"({chunk['command']}) changed records without keeping their values before "
                f"({chunk['query']}). The earliest version shown exactly is @{chunk['seq']}."
            )
        for change in reversed(changes):
            if change.get("op") == "withdrawn":
                raise NotReconstructibleError(
                    f"The case cannot be shown as known at @{seq}: entry {chunk['seq']} is a "
                    f"withdrawal ({change.get('date', '')[:10]}), which purged the "
                    "participant's data from the journal, so versions before it cannot be "
                    f"rebuilt faithfully. The earliest version shown is @{chunk['seq']}."
                )
            if change.get("op") not in ("created", "updated", "deleted"):
                raise NotReconstructibleError(
                    f"The case cannot be shown as known at @{seq}: entry {chunk['seq']} "
                    f"({chunk['command']}) replaced the whole case. The earliest version "
                    f"shown exactly is @{chunk['seq']}."
                )
            before = {k: decode(v) for k, v in change["before"].items()}
            if change["op"] == "created":
                run("journal/undo_created", ids=[change["id"]])
            elif change["op"] == "updated":
                run("journal/undo_set", id=change["id"], props=before)
            else:
                _put_back(run, change, before)


def _put_back(run: Any, image: dict[str, Any], props: dict[str, Any]) -> None:
    """Give a record its properties of before (all of them), creating it if it was deleted."""
    if run("journal/undo_replace", id=image["id"], props=props):
        return
    if image["kind"] == "node":
        run("journal/undo_deleted_node", labels=image["labels"], props=props)
    else:
        run(
            "journal/undo_deleted_relationship",
            type=image["labels"][0],
            start=image["start"],
            end=image["end"],
            props=props,
        )


def carry_over(db: Any, carried: list[dict[str, Any]], source: str) -> int:
    """After a restore: keep the restored history, put back the entries the database had
    after it (``carried``: journal/nodes read before the restore), and append the restore's
    own entry after the highest number ever given. Returns its sequence number."""
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
    for start in range(0, len(keep), 5_000):
        db.write_one("journal/put_nodes", rows=keep[start : start + 5_000])
    if replaced_seq > restored.data_version:
        db.write_one(
            "journal/set_head", seq=replaced_seq, fingerprint=str(replaced.get("fingerprint"))
        )
    note = {
        "id": "",
        "kind": "case",
        "op": "restored",
        "source": source,
        "replaced": {"data_version": replaced_seq, "fingerprint": replaced.get("fingerprint")},
        "restored": {
            "data_version": restored.data_version,
            "fingerprint": restored.fingerprint,
        },
    }
    return int(db.journal_note("restore", note))
