"""kb backup / kb restore: the whole database in one archive, typed, checked, all or nothing.

An archive is a zip file holding

- ``nodes.jsonl``: one node per line, ``{"key": n, "labels": [...], "props": {...}}``;
- ``relationships.jsonl``: ``{"start": n, "end": n, "type": "...", "props": {...}}``, the
  ends given by the nodes' keys;
- ``nodes-added.jsonl``: nodes created while the relationships were read, as the ends of
  relationships created meanwhile (usually empty);
- ``schema.json``: the constraints and indexes, as the statements that create them;
- ``manifest.json``, written last: format and versions (kb, Neo4j, kb's schema), the
  database, counts per label and type, the SHA-256 of every other member, and the
  fingerprint of the graph.

Property values keep their Neo4j type: JSON strings, booleans, integers and floats are
themselves; every other type is an object ``{"$": type, ...}`` (date, time, localtime,
datetime with its offset and zone, localdatetime, duration, point with its SRID, bytes, and
floats JSON cannot write: NaN and the infinities); lists hold such values.

The archive is written under a temporary name in the target folder, synced, then renamed:
it is complete or absent. The nodes and relationships are read in one read transaction; as
Neo4j reads committed data, kb compares the database's last transaction before and after the
read and reads again when something was committed meanwhile (``BackupResult.quiescent``).

The fingerprint is a SHA-256 over every node (labels, properties) and relationship (type,
properties and its two ends' contents), independent of Neo4j's internal ids; ``kb restore``
computes it again from the restored database and refuses to call a different graph restored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kb import journal
from kb.errors import ExitCode, KBError, Wording
from kb.pending import pending

if TYPE_CHECKING:
    from kb.graph import KnowledgeBase

FORMAT = "kb-backup"
META = "KbMeta"  # kb's bookkeeping nodes: in the archive, not in the counts of the case
FORMAT_VERSION = 1
MEMBERS = ("nodes.jsonl", "relationships.jsonl", "nodes-added.jsonl", "schema.json")
DEFAULT_KEEP = 10
BATCH = 5_000
READ_ATTEMPTS = 10  # reads of a database that keeps being written, before kb settles
_NAME = re.compile(r"^kb-backup-(?P<database>.+)-(?P<stamp>\d{8}T\d{6}(?:\d{6})?Z)\.zip$")
_TEMP = re.compile(r"^\.kb-backup-(?P<pid>\d+)-.*\.tmp$")
# Schema statements a backup may carry: only creations of constraints and indexes.
_SCHEMA_STATEMENT = re.compile(
    r"^CREATE (CONSTRAINT|(RANGE |TEXT |POINT |FULLTEXT |VECTOR |LOOKUP )?INDEX) ", re.I
)


class BackupError(KBError):
    """A backup archive is damaged, of another format, or does not restore identically."""

    exit_code = ExitCode.INVALID_INPUT


class RestoreRefusedError(KBError):
    """kb restore found data in the database and was not told --force."""

    exit_code = ExitCode.ERROR


@dataclass
class BackupResult:
    """What kb backup wrote, or kb restore restored."""

    path: str
    database: str
    nodes: int
    relationships: int
    fingerprint: str
    quiescent: bool = True  # no write was committed while the graph was read
    removed: list[str] = field(default_factory=list)  # old backups removed (--keep)

    def as_dict(self) -> dict[str, Any]:
        """The result as plain data."""
        return asdict(self)


# -- typed values ----------------------------------------------------------------------------
def encode(value: Any) -> Any:
    """A property value as JSON data that keeps its Neo4j type (see the module docstring)."""
    from neo4j.spatial import Point
    from neo4j.time import Date, DateTime, Duration, Time

    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if isinstance(value, bytes | bytearray):
        return {"$": "bytes", "v": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, DateTime):
        if value.tzinfo is None:
            return {"$": "localdatetime", "v": value.iso_format()}
        zone = getattr(value.tzinfo, "zone", None) or getattr(value.tzinfo, "key", None)
        return {"$": "datetime", "v": value.iso_format(), "zone": zone}
    if isinstance(value, Date):
        return {"$": "date", "v": value.iso_format()}
    if isinstance(value, Time):
        kind = "localtime" if value.tzinfo is None else "time"
        return {"$": kind, "v": value.iso_format()}
    if isinstance(value, Duration):
        return {
            "$": "duration",
            "months": value.months,
            "days": value.days,
            "seconds": value.seconds,
            "nanoseconds": value.nanoseconds,
        }
    if isinstance(value, Point):
        return {"$": "point", "srid": value.srid, "coordinates": [float(c) for c in value]}
    # After the types above: Duration and Point are tuples too.
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    raise BackupError(f"kb backup cannot store a value of type {type(value).__name__}.")


def decode(value: Any) -> Any:
    """The driver value of what `encode` wrote."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    from neo4j.spatial import CartesianPoint, WGS84Point
    from neo4j.time import Date, DateTime, Duration, Time

    kind = value.get("$")
    if kind == "float":
        return float(value["v"])
    if kind == "bytes":
        return bytearray(base64.b64decode(value["v"]))
    if kind == "date":
        return Date.from_iso_format(value["v"])
    if kind in ("time", "localtime"):
        return Time.from_iso_format(value["v"])
    if kind == "localdatetime":
        return DateTime.from_iso_format(value["v"])
    if kind == "datetime":
        moment = DateTime.from_iso_format(value["v"])
        if value.get("zone"):
            # pytz, as the driver itself: neo4j.time.DateTime fails with zoneinfo zones.
            import pytz

            moment = moment.astimezone(pytz.timezone(value["zone"]))
        return moment
    if kind == "duration":
        return Duration(
            months=value["months"],
            days=value["days"],
            seconds=value["seconds"],
            nanoseconds=value["nanoseconds"],
        )
    if kind == "point":
        coordinates = tuple(value["coordinates"])
        cartesian = value["srid"] in (7203, 9157)
        return CartesianPoint(coordinates) if cartesian else WGS84Point(coordinates)
    raise BackupError(f"Unknown value type {kind!r} in the backup.")


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _digest(data: Any) -> str:
    return hashlib.sha256(_canonical(data)).hexdigest()


class Fingerprint:
    """The SHA-256 of a whole graph, whatever order its parts come in and whatever ids."""

    def __init__(self) -> None:
        self.node_hash: dict[Any, str] = {}
        self.relationships: list[str] = []
        self.unhashed = 0  # the journal's nodes: archived, counted, not fingerprinted

    def node(self, key: Any, labels: list[str], props: dict[str, Any]) -> None:
        self.node_hash[key] = _digest({"labels": sorted(labels), "props": props})

    def relationship(self, start: Any, end: Any, type_: str, props: dict[str, Any]) -> None:
        self.relationships.append(
            _digest(
                {
                    "type": type_,
                    "props": props,
                    "start": self.node_hash[start],
                    "end": self.node_hash[end],
                }
            )
        )

    def hexdigest(self) -> str:
        total = hashlib.sha256()
        total.update(f"{len(self.node_hash)} {len(self.relationships)}\n".encode())
        for part in sorted(self.node_hash.values()):
            total.update(part.encode())
        total.update(b"\n")
        for part in sorted(self.relationships):
            total.update(part.encode())
        return "sha256:" + total.hexdigest()


# -- reading the graph --------------------------------------------------------------------
Sink = Callable[[str, dict[str, Any]], None]  # (member, line data)


def _read_graph(
    kb: KnowledgeBase, sink: Sink, *, skip: str | None = None
) -> tuple[Fingerprint, Counter[str], Counter[str]]:
    """Stream every node and relationship to ``sink`` inside one read transaction.

    ``skip`` is the key of a KbMeta node left out (the marker of the restore that runs).
    """
    fingerprint = Fingerprint()
    labels: Counter[str] = Counter()
    types: Counter[str] = Counter()
    keys: dict[str, int] = {}

    def add_node(record: dict[str, Any]) -> None:
        if skip is not None and META in record["labels"] and record["props"].get("key") == skip:
            return
        key = keys[record["id"]] = len(keys)
        props = {k: encode(v) for k, v in record["props"].items()}
        # The journal is the case's history, not its state: archived, not fingerprinted
        # (a restore appends to it, and the restored graph must match the archive's).
        if journal.is_journal_node(record["labels"], props):
            fingerprint.unhashed += 1
        else:
            fingerprint.node(key, record["labels"], props)
        labels.update(record["labels"] or ["(no label)"])
        sink("nodes.jsonl", {"key": key, "labels": record["labels"], "props": props})

    with kb.snapshot() as snapshot:
        for record in snapshot.stream("backup/nodes"):
            add_node(record)
        pending: list[dict[str, Any]] = []
        for record in snapshot.stream("backup/relationships"):
            pending.append(record)
            if len(pending) >= BATCH:
                _flush(snapshot, pending, keys, add_node, fingerprint, types, sink)
        _flush(snapshot, pending, keys, add_node, fingerprint, types, sink)
    return fingerprint, labels, types


def _flush(
    snapshot: Any,
    pending: list[dict[str, Any]],
    keys: dict[str, int],
    add_node: Callable[[dict[str, Any]], None],
    fingerprint: Fingerprint,
    types: Counter[str],
    sink: Sink,
) -> None:
    # Ends created after the nodes were read (read-committed isolation): read them now, in
    # the same transaction, so that every relationship in the archive has both its ends.
    missing = sorted({e for r in pending for e in (r["start"], r["end"]) if e not in keys})
    if missing:
        for record in snapshot.stream("backup/nodes_by_id", ids=missing):
            add_node(record)
    for record in pending:
        if record["start"] not in keys or record["end"] not in keys:
            continue  # an end deleted meanwhile: the relationship went with it
        props = {k: encode(v) for k, v in record["props"].items()}
        start, end = keys[record["start"]], keys[record["end"]]
        fingerprint.relationship(start, end, record["type"], props)
        types[record["type"]] += 1
        sink(
            "relationships.jsonl",
            {"start": start, "end": end, "type": record["type"], "props": props},
        )
    pending.clear()


def fingerprint(kb: KnowledgeBase, *, skip: str | None = None) -> str:
    """The fingerprint of the database's whole graph (what kb backup and restore print),
    without the journal's nodes and the KbMeta node whose key is ``skip`` if given."""
    found, _, _ = _read_graph(kb, lambda member, data: None, skip=skip)
    return found.hexdigest()


# -- writing an archive ---------------------------------------------------------------------
class _Member:
    """A zip member being written, with the SHA-256 and size of what went in."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.stream.write(data)
        self.sha256.update(data)
        self.size += len(data)


def _kb_version() -> str:
    try:
        return metadata.version("kb")
    except metadata.PackageNotFoundError:
        return "unknown"


def default_folder() -> Path:
    """Where backups go by default: ``$KB_HOME/backups``."""
    from kb.settings import kb_home

    return kb_home() / "backups"


def _target(path: str | Path | None, database: str) -> tuple[Path, bool]:
    """The archive's path, and whether it is a kb-named file in a folder (subject to keep)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"kb-backup-{database}-{stamp}.zip"
    if path is None:
        return default_folder() / name, True
    chosen = Path(path).expanduser()
    if chosen.is_dir() or str(path).endswith(("/", os.sep)):
        return chosen / name, True
    return chosen, False


def backup(
    kb: KnowledgeBase, path: str | Path | None = None, *, keep: int | None = DEFAULT_KEEP
) -> BackupResult:
    """Write the whole database into one archive (see the module docstring).

    Args:
        kb: the knowledge base (any database: kb's data and anything else in it).
        path: a file, or a folder to write ``kb-backup-<database>-<UTC time>.zip`` into;
            by default ``$KB_HOME/backups``.
        keep: in a folder, keep only the newest ``keep`` backups of this database
            (None: keep all).

    Returns:
        Where it is, the counts, the fingerprint, and whether the read was quiescent.

    Raises:
        KBError: the file cannot be written, or the database cannot be read.
    """
    from kb.server import private_folder

    target, in_folder = _target(path, kb.database)
    try:
        folder = private_folder(target.parent) if in_folder else target.parent
        _remove_stale_temporaries(folder)
        handle, temp_name = tempfile.mkstemp(
            prefix=f".kb-backup-{os.getpid()}-", suffix=".tmp", dir=folder
        )
    except OSError as e:
        raise KBError(f"Cannot write a backup in {target.parent}: {e.strerror or e}.") from e
    temp = Path(temp_name)
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w+b") as stream:
            result = _write_archive(kb, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
        _sync_folder(target.parent)
    except OSError as e:
        raise KBError(f"Cannot write the backup {target}: {e.strerror or e}.") from e
    finally:
        temp.unlink(missing_ok=True)
    result.path = str(target)
    if in_folder and keep is not None:
        result.removed = _prune(target.parent, kb.database, keep)
    return result


class _ArchiveSink:
    """Writes the graph's lines into the archive's members as they stream in.

    A zip has one member open at a time: nodes, then relationships; the few nodes read while
    relationships stream (ends created meanwhile) wait in memory for nodes-added.jsonl.
    """

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.written: dict[str, _Member] = {}
        self.current: str | None = None
        self.late: list[bytes] = []

    def __call__(self, member: str, data: dict[str, Any]) -> None:
        line = _canonical(data) + b"\n"
        if member == "nodes.jsonl" and self.current == "relationships.jsonl":
            self.late.append(line)
            return
        if member != self.current:
            self._open(member)
        self.written[member].write(line)

    def _open(self, member: str) -> None:
        if self.current is not None:
            self.written[self.current].stream.close()
        self.written[member] = _Member(self.archive.open(member, "w", force_zip64=True))
        self.current = member

    def finish(self, schema: dict[str, Any]) -> dict[str, _Member]:
        for member in ("nodes.jsonl", "relationships.jsonl"):
            if member not in self.written:
                self._open(member)
        self._open("nodes-added.jsonl")
        for line in self.late:
            self.written["nodes-added.jsonl"].write(line)
        self._open("schema.json")
        self.written["schema.json"].write(_canonical(schema))
        self.written["schema.json"].stream.close()
        self.current = None
        return self.written


def _write_archive(kb: KnowledgeBase, stream: IO[bytes]) -> BackupResult:
    attempt = 0
    while True:
        attempt += 1
        stream.seek(0)
        stream.truncate()
        before = kb.state()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            sink = _ArchiveSink(archive)
            found, labels, types = _read_graph(kb, sink)
            quiescent = before is not None and kb.state() == before
            if not quiescent and attempt < READ_ATTEMPTS:
                sink.finish({})
                time.sleep(0.05 * attempt)
                continue
            written = sink.finish(
                {"constraints": kb.read("backup/constraints"), "indexes": kb.read("backup/indexes")}
            )
            status = kb.status()
            digest = found.hexdigest()
            # The case's nodes, as kb status counts them: kb's bookkeeping (the journal's
            # nodes, archived but not fingerprinted, among it) apart.
            case_nodes = len(found.node_hash) + found.unhashed - labels[META]
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "kb_version": _kb_version(),
                "kb_schema_version": status["schema_version"],
                "neo4j": {"version": status["server_version"], "edition": status["edition"]},
                "database": kb.database,
                "created": datetime.now(UTC).isoformat(),
                "quiescent": quiescent,
                "read_attempts": attempt,
                "counts": {
                    "nodes": case_nodes,
                    "bookkeeping_nodes": labels[META],
                    "relationships": len(found.relationships),
                    "labels": dict(sorted(labels.items())),
                    "types": dict(sorted(types.items())),
                },
                "files": {
                    name: {"sha256": m.sha256.hexdigest(), "bytes": m.size}
                    for name, m in written.items()
                },
                "fingerprint": digest,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        return BackupResult(
            "",
            kb.database,
            case_nodes,
            len(found.relationships),
            digest,
            quiescent,
        )


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of backups whose process died (killed mid-backup)."""
    from kb.server import process_alive

    for entry in folder.iterdir():
        match = _TEMP.match(entry.name)
        if match and not process_alive(int(match["pid"])):
            entry.unlink(missing_ok=True)


def backups_in(folder: Path, database: str) -> list[Path]:
    """kb's backups of ``database`` in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    found = [
        p
        for p in folder.iterdir()
        if (m := _NAME.match(p.name)) is not None and m["database"] == database
    ]
    return sorted(found, key=lambda p: p.name)


def list_backups(kb: KnowledgeBase, folder: str | Path | None = None) -> list[dict[str, Any]]:
    """kb's backups of the database in ``folder`` (default ``$KB_HOME/backups``), oldest
    first: path, created, and ``withdrawn_data``, the number of withdrawals (`kb withdraw`)
    made after the backup, whose participants' data it still holds (0: none).

    A backup whose manifest cannot be read is listed with ``created`` None and its problem.
    """
    chosen = Path(folder).expanduser() if folder is not None else default_folder()
    withdrawn = [row["date"] for row in kb.read("consent/withdrawals")]
    listed: list[dict[str, Any]] = []
    for path in backups_in(chosen, kb.database):
        entry: dict[str, Any] = {"path": str(path), "created": None, "withdrawn_data": None}
        try:
            with zipfile.ZipFile(path) as archive:
                created = datetime.fromisoformat(_manifest(path, archive)["created"])
        except (BackupError, zipfile.BadZipFile, OSError, ValueError, KeyError) as e:
            entry["problem"] = str(e)
        else:
            entry["created"] = created
            entry["withdrawn_data"] = sum(1 for date in withdrawn if date > created)
        listed.append(entry)
    return listed


def _prune(folder: Path, database: str, keep: int) -> list[str]:
    old = backups_in(folder, database)[: -keep or None] if keep > 0 else []
    for path in old:
        path.unlink(missing_ok=True)
    return [str(p) for p in old]


# -- reading an archive and restoring --------------------------------------------------------
def read_manifest(path: str | Path) -> dict[str, Any]:
    """The manifest of an archive, after checking every member against its checksum.

    Reads only: a damaged archive is refused before anything is written, and the error says
    which member is damaged (a cut or altered compressed stream, an unknown compression
    method, a manifest of the wrong shape).

    Raises:
        BackupError: not a kb backup, another format version, or a damaged member.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(path, archive)
            for name in MEMBERS:
                expected = manifest["files"][name]
                digest, size = _member_digest(path, archive, name)
                if digest != expected["sha256"] or size != expected["bytes"]:
                    raise BackupError(
                        f"{path} is damaged: {name} does not match its checksum. "
                        "Nothing was restored."
                    )
    except FileNotFoundError:
        raise BackupError(
            f"No backup at {path}.",
        ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, OSError) as e:
        raise BackupError(
            f"{path} is damaged or not a kb backup ({e}). Nothing was restored; the database "
            "is as it was."
        ) from e
    return dict(manifest)


# What reading a damaged zip member raises: a cut or altered deflate stream (zlib.error,
# EOFError), an unknown compression method (NotImplementedError), a bad local header
# (BadZipFile), a stream that is not UTF-8 JSON (ValueError).
_MEMBER_DAMAGE = (
    zlib.error,
    EOFError,
    NotImplementedError,
    zipfile.BadZipFile,
    ValueError,
    OSError,
)


def _damaged(path: str | Path, name: str, error: BaseException) -> BackupError:
    reason = " ".join(str(error).split()) or type(error).__name__
    return BackupError(
        f"{path} is damaged: its member {name} cannot be read ({reason}). Nothing was "
        "restored; the database is as it was."
    )


def _manifest(path: str | Path, archive: zipfile.ZipFile) -> dict[str, Any]:
    """The archive's manifest, checked to have the shape kb writes."""
    try:
        raw = archive.read("manifest.json")
    except KeyError:
        raise BackupError(
            f"{path} is not a kb backup (it has no manifest.json). Nothing was restored."
        ) from None
    except _MEMBER_DAMAGE as e:
        raise _damaged(path, "manifest.json", e) from e
    try:
        manifest = json.loads(raw)
    except ValueError as e:
        raise _damaged(path, "manifest.json", e) from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is not a kb backup (its manifest.json is not kb's). Nothing was restored."
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a kb backup of format {manifest.get('format_version')}; "
            f"this kb reads format {FORMAT_VERSION}. Nothing was restored."
        )
    problem = _manifest_problem(manifest)
    if problem:
        raise BackupError(
            f"{path} is damaged: its member manifest.json {problem}. Nothing was restored; "
            "the database is as it was."
        )
    return manifest


def _manifest_problem(manifest: dict[str, Any]) -> str | None:
    """What is wrong with a manifest's fields that restore relies on, or None."""
    files = manifest.get("files")
    if not isinstance(files, dict):
        return "has no table of files (files is not an object)"
    for name in MEMBERS:
        entry = files.get(name)
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and type(entry.get("bytes")) is int
        ):
            return f"has no checksum and size for {name}"
    counts = manifest.get("counts")
    if not (
        isinstance(counts, dict)
        and type(counts.get("nodes")) is int
        and type(counts.get("relationships")) is int
    ):
        return "has no node and relationship counts"
    if not isinstance(manifest.get("fingerprint"), str):
        return "has no fingerprint"
    if not isinstance(manifest.get("quiescent"), bool):
        return "does not say whether the backup was quiescent"
    return None


def _member_digest(path: str | Path, archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    """The SHA-256 and size of a member, read whole (this is where damage shows)."""
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(name) as member:
            while chunk := member.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except KeyError:
        raise BackupError(
            f"{path} is damaged: its member {name} is missing. Nothing was restored; the "
            "database is as it was."
        ) from None
    except _MEMBER_DAMAGE as e:
        raise _damaged(path, name, e) from e
    return digest.hexdigest(), size


def _lines(archive: zipfile.ZipFile, name: str) -> Iterator[dict[str, Any]]:
    with archive.open(name) as member:
        for line in member:
            yield json.loads(line)


def _create_schema(kb: KnowledgeBase, rows: list[dict[str, Any]]) -> None:
    """Create the backup's constraints and indexes that the database does not have."""
    from neo4j.exceptions import ClientError

    existing = {r["name"] for r in [*kb.read("backup/constraints"), *kb.read("backup/indexes")]}
    for row in rows:
        statement = str(row["statement"])
        if not _SCHEMA_STATEMENT.match(statement) or ";" in statement:
            raise BackupError(f"The backup's schema holds an unexpected statement: {statement!r}")
        if row["name"] in existing:
            continue
        try:
            kb.schema_statement(statement)
        except ClientError as e:
            # The same rule under another name (kb init ran before the restore): keep it.
            if not (e.code or "").endswith("EquivalentSchemaRuleAlreadyExists"):
                raise


def restore(kb: KnowledgeBase, path: str | Path, *, force: bool = False) -> BackupResult:
    """Restore an archive into the database, which must be empty unless ``force``.

    The checksums are verified before anything is written; with ``force`` the database is
    emptied first (data, constraints and indexes). The restored graph's fingerprint must be
    the archive's. A marker written first and removed only once the fingerprint matches
    (`kb.pending`) makes ``kb status`` and every command say that a restore killed or failed
    midway is incomplete.

    Raises:
        BackupError: the archive is damaged, or the restored graph differs.
        RestoreRefusedError: the database holds data and ``force`` is not given.
    """
    manifest = read_manifest(path)
    counts = kb.read_one("restore/counts")
    if counts["nodes"] and not force:
        raise RestoreRefusedError(
            Wording(
                "Database {_database} at {_uri} holds {_nodes} nodes. kb restore writes into "
                "an empty database; add {force} to replace everything in it (take a kb "
                "backup of it first if you may need it).",
                _database=kb.database,
                _uri=kb.uri,
                _nodes=counts["nodes"],
            )
        )
    # The journal goes on through a restore: its entries since the backup are kept, and
    # the restore is one more entry (a data version is never given twice).
    carried = kb.read("journal/nodes")
    # And the case it replaces is kept in the restore's entry, so that --known-at can show
    # the versions before it.
    before = journal.case_image(kb) if counts["nodes"] else []
    with pending(kb, "restore", str(path), completes_earlier=False) as marker:
        _restore(kb, path, force=force, marker=marker)
        now = fingerprint(kb, skip=marker)
        if now != manifest["fingerprint"]:
            raise BackupError(
                f"The restored graph's fingerprint {now} differs from the backup's "
                f"{manifest['fingerprint']}. Run kb restore {path} --force again."
            )
        journal.carry_over(kb, carried, str(path), before)
    counted = manifest["counts"]
    return BackupResult(
        str(path),
        kb.database,
        # Archives written before kb counted its bookkeeping apart included it in nodes.
        counted["nodes"]
        - (0 if "bookkeeping_nodes" in counted else counted["labels"].get(META, 0)),
        counted["relationships"],
        now,
        bool(manifest["quiescent"]),
    )


def _restore(kb: KnowledgeBase, path: str | Path, *, force: bool, marker: str) -> None:
    """Empty the database but for ``marker``, then write the archive's graph and schema."""
    while kb.write_one("restore/delete_batch", limit=BATCH, keep=marker)["deleted"]:
        pass
    if force:
        for row in kb.read("backup/constraints"):
            kb.write("restore/drop_constraint", constraint=row["name"])
        for row in kb.read("backup/indexes"):
            kb.write("restore/drop_index", index=row["name"])
    with zipfile.ZipFile(path) as archive:
        ids: dict[int, str] = {}
        batch: list[dict[str, Any]] = []
        for member in ("nodes.jsonl", "nodes-added.jsonl"):
            for line in _lines(archive, member):
                props = {k: decode(v) for k, v in line["props"].items()}
                batch.append({"key": line["key"], "labels": line["labels"], "props": props})
                if len(batch) >= BATCH:
                    done = kb.write("restore/nodes", rows=batch)
                    ids.update((r["key"], r["id"]) for r in done)
                    batch = []
        if batch:
            ids.update((r["key"], r["id"]) for r in kb.write("restore/nodes", rows=batch))
        rels: list[dict[str, Any]] = []
        for line in _lines(archive, "relationships.jsonl"):
            props = {k: decode(v) for k, v in line["props"].items()}
            rels.append(
                {
                    "start": ids[line["start"]],
                    "end": ids[line["end"]],
                    "type": line["type"],
                    "props": props,
                }
            )
            if len(rels) >= BATCH:
                kb.write_one("restore/relationships", rows=rels)
                rels = []
        if rels:
            kb.write_one("restore/relationships", rows=rels)
        schema = json.loads(archive.read("schema.json"))
    _create_schema(kb, [*schema["constraints"], *schema["indexes"]])
    kb.schema_statement("CALL db.awaitIndexes(300)")
