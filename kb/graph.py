"""KnowledgeBase: one method per use case, over one Neo4j driver; returns typed results
(`kb.results`) or plain records."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from kb import _neo4j, consent, journal, queries, schema
from kb.analyses.network import case_periods
from kb.analyses.selection import Selection as Selection  # kb.Selection, for notebooks
from kb.analyses.vocabulary import require_case
from kb.consent import ConsentPolicy
from kb.dates import PartialDate
from kb.errors import (
    AuthenticationError,
    DatabaseNotFoundError,
    DatabaseUnavailableError,
    NotFoundError,
    ParameterError,
    QueryParameterError,
    SettingsError,
    ValidationError,
    Wording,
)
from kb.result_cache import ResultCache, cache_key
from kb.results import Result
from kb.rows import plain_row
from kb.settings import Settings, kb_cache

if TYPE_CHECKING:
    from neo4j import Driver

    from kb.analyses import agreement as _agreement
    from kb.analyses import brokerage as _brokerage
    from kb.analyses import by_coder as _by_coder
    from kb.analyses import case as _case
    from kb.analyses import centrality as _centrality
    from kb.analyses import consensus as _consensus
    from kb.analyses import evidence as _evidence
    from kb.analyses import evolution as _evolution
    from kb.analyses import legitimacy as _legitimacy
    from kb.analyses import paths as _paths
    from kb.analyses import provenance as _provenance
    from kb.analyses import reforms as _reforms
    from kb.analyses import robustness as _robustness
    from kb.analyses import snapshot as _snapshot
    from kb.analyses import stages as _stages
    from kb.analyses import survival as _survival
    from kb.analyses import view as _view
    from kb.coders import CoderAliases
    from kb.imports import Dataset
    from kb.imports.qda import QdaReport
    from kb.imports.writer import ImportReport, Progress
    from kb.withdrawal import WithdrawalResult

T = TypeVar("T")
P = ParamSpec("P")
LINK_KINDS = ("tie", "membership", "attendance", "position")


# The URI schemes kb connects with (the driver's HTTP preview is not a Bolt connection).
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
# A server that went away fails a command in a few seconds: connecting gives up after
# CONNECT_TIMEOUT, and the driver retries a failed transaction for RETRY_TIME at most.
CONNECT_TIMEOUT = 5.0
RETRY_TIME = 2.0
# Lock conflicts between concurrent writers are retried by kb itself, longer: the server is
# there and the conflict clears as soon as the other transaction commits.
LOCK_RETRY_TIME = 60.0
_LOCK_CONFLICTS = ("DeadlockDetected", "LockClientStopped", "LockAcquisitionTimeout")


def check_uri(uri: str) -> None:
    """Refuse a URI kb cannot connect with, saying which schemes work.

    Raises:
        SettingsError: the scheme is not a Bolt scheme, or the URI has no usable host/port.
    """
    from urllib.parse import urlsplit

    # A template (kb.errors.Wording): the schemes are kb's own words, the URI a value.
    hint = (
        f"Use {', '.join(s + '://' for s in URI_SCHEMES)} followed by host[:port], "
        "e.g. bolt://127.0.0.1:7687 (set NEO4J_URI or {uri})."
    )
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as e:
        raise SettingsError(
            Wording("Neo4j URI {_uri!r} is malformed ({_e}). " + hint, _uri=uri, _e=e)
        ) from None
    if parts.scheme.lower() not in URI_SCHEMES:
        what = f"scheme {parts.scheme + '://'!r}" if parts.scheme else "no scheme"
        raise SettingsError(
            Wording("Neo4j URI {_uri!r} has {_what}; kb speaks Bolt. " + hint, _uri=uri, _what=what)
        )
    if not parts.hostname:
        raise SettingsError(Wording("Neo4j URI {_uri!r} names no host. " + hint, _uri=uri))
    if port is not None and not 0 < port < 65536:
        raise SettingsError(
            Wording("Neo4j URI {_uri!r} has port {_port}. " + hint, _uri=uri, _port=port)
        )


@contextmanager
def translate_errors(uri: str, database: str | None = None) -> Iterator[None]:
    """Turn the driver's connection, auth and database errors into kb's, with the fix."""
    from neo4j.exceptions import (
        AuthError,
        ClientError,
        DriverError,
        ServiceUnavailable,
        SessionExpired,
        TransientError,
    )

    try:
        yield
    except AuthError as e:
        raise AuthenticationError(
            f"Neo4j at {uri} refused the credentials. Set NEO4J_USERNAME / NEO4J_PASSWORD, "
            "or for kb's local server check the password file (kb server status)."
        ) from e
    except ClientError as e:
        code = e.code or ""
        if code.endswith("AuthenticationRateLimit"):
            raise AuthenticationError(
                f"Neo4j at {uri} refuses logins for a moment after too many wrong passwords "
                "in a row. Wait a few seconds (5 by default: dbms.security.auth_lock_time), "
                "then try again with the right NEO4J_PASSWORD."
            ) from e
        if code.endswith("DatabaseNotFound"):
            raise DatabaseNotFoundError(
                Wording(
                    "Neo4j at {_uri} has no database {_database!r}. Choose one with {database} "
                    "or NEO4J_DATABASE (SHOW DATABASES in Neo4j Browser lists them).",
                    _uri=uri,
                    _database=database,
                )
            ) from e
        raise
    except TransientError as e:
        if (e.code or "").endswith(_LOCK_CONFLICTS):
            raise
        raise DatabaseUnavailableError(
            f"Neo4j at {uri} could not run the command ({e.message or e.code}); "
            "it may be stopping or starting. Try again when `kb status` answers."
        ) from e
    except (ServiceUnavailable, SessionExpired, OSError) as e:
        raise DatabaseUnavailableError(
            f"Cannot reach Neo4j at {uri} (no connection, or it was lost). Start one with: "
            "kb server start (or set NEO4J_URI to a running server)."
        ) from e
    except DriverError as e:
        raise DatabaseUnavailableError(f"Neo4j at {uri}: {e}") from e


def is_lock_conflict(error: BaseException) -> bool:
    """Whether ``error`` is a lock conflict between concurrent writers (worth retrying)."""
    from neo4j.exceptions import TransientError

    return isinstance(error, TransientError) and (error.code or "").endswith(_LOCK_CONFLICTS)


def retrying(action: Callable[[], T], *, limit: float = LOCK_RETRY_TIME) -> T:
    """``action()``, run again while it fails on a lock conflict (for at most ``limit`` s)."""
    deadline = time.monotonic() + limit
    delay = 0.05
    while True:
        try:
            return action()
        except Exception as error:
            if not is_lock_conflict(error) or time.monotonic() > deadline:
                raise
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 1.0)


def driver_for(settings: Settings) -> Driver:
    """A driver with kb's settings: fail fast when the server is gone, no notifications.

    Raises:
        SettingsError: the URI is not one kb can use.
    """
    _neo4j.load()
    from neo4j import GraphDatabase, NotificationMinimumSeverity

    check_uri(settings.uri)
    return GraphDatabase.driver(
        settings.uri,
        auth=(settings.user, settings.password or ""),
        # Server notifications (unknown label in an empty database, ...) are noise for kb's
        # canned queries and would reach users as log lines.
        notifications_min_severity=NotificationMinimumSeverity.OFF,
        connection_timeout=CONNECT_TIMEOUT,
        max_transaction_retry_time=RETRY_TIME,
        connection_acquisition_timeout=LOCK_RETRY_TIME,
    )


def open_base(settings: Settings | None = None) -> KnowledgeBase:
    """Open a knowledge base with its own driver, verified once; ``close()`` it (or use it
    in a ``with`` block) when done. ``kb.open()`` in a notebook (docs/python.md).

    Args:
        settings: where Neo4j is; by default ``Settings.from_env()``.

    Raises:
        SettingsError: the URI is not a Bolt URI, or the database is Neo4j's ``system``.
        DatabaseUnavailableError: nothing answers at the URI.
        AuthenticationError: the server refused the user or password.
        DatabaseNotFoundError: the server has no such database.
    """
    settings = settings or Settings.from_env()
    if settings.database.lower() == "system":
        # Neo4j's system database holds its users and databases; it runs no user Cypher,
        # so every kb query would fail there with a server error.
        raise SettingsError(
            Wording(
                "{database} system is Neo4j's own catalogue (users, databases), not a case. "
                "Choose a user database: {database} neo4j (SHOW DATABASES lists them)."
            )
        )
    driver = driver_for(settings)
    try:
        # Only the connection is translated here: errors of the caller's own work (a file
        # that cannot be written, ...) must keep their meaning.
        with translate_errors(settings.uri, settings.database):
            driver.verify_connectivity()
    except BaseException:
        driver.close()
        raise
    return KnowledgeBase(
        driver,
        database=settings.database,
        uri=settings.uri,
        cache=ResultCache(kb_cache() / "results"),
    )


@contextmanager
def connect(settings: Settings | None = None) -> Iterator[KnowledgeBase]:
    """Open one driver for the process, verify it once, and close it on every path
    (`open_base` in a ``with`` block; its errors)."""
    base = open_base(settings)
    try:
        yield base
    finally:
        base.close()


def is_qda_project(path: str | Path) -> bool:
    """Whether ``path`` names a REFI-QDA project (``.qdpx``, any case), which
    `KnowledgeBase.import_data` reads as one instead of as import tables."""
    return Path(path).suffix.lower() == ".qdpx"


def import_data(
    source: str | Path,
    *,
    settings: Settings | None = None,
    dry_run: bool = False,
    mapping: str | Path | None = None,
    prune: bool = False,
    proposed: str | Path | None = None,
) -> ImportReport | QdaReport:
    """Import ``source`` (any format ``kb import`` takes) into the database of ``settings``
    (by default ``Settings.from_env()``): `connect`, then `KnowledgeBase.import_data`.

    Example::

        import kb
        report = kb.import_data("examples/quebec-wg")
        kb.import_data("examples/quebec-wg/qda/entretiens.qdpx", dry_run=True)

    Raises:
        The errors of `connect` and of `KnowledgeBase.import_data`.
    """
    with connect(settings) as base:
        return base.import_data(
            source, dry_run=dry_run, mapping=mapping, prune=prune, proposed=proposed
        )


class _Deferred:
    """A method of KnowledgeBase that is a function of a kb.analyses module, imported when
    the method is first looked up: a command uses one or two analyses, and importing all of
    them cost every command that connects a tenth of a second."""

    def __init__(self, module: str, function: str, wrap: Callable[..., Any] | None = None):
        self.module, self.function, self.wrap = module, function, wrap
        self.attribute = function

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = name

    def __get__(self, obj: Any, owner: type) -> Any:
        from importlib import import_module

        method = getattr(import_module(self.module), self.function)
        if self.wrap is not None:
            method = self.wrap(method)
        setattr(owner, self.attribute, method)  # later look-ups find the function itself
        return method if obj is None else method.__get__(obj, owner)


class _AnalysisModule:
    """Stands for a kb.analyses module in KnowledgeBase's class body (see `_Deferred`)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, function: str) -> _Deferred:
        return _Deferred(f"kb.analyses.{self.name}", function)


if not TYPE_CHECKING:
    _brokerage, _case, _centrality, _consensus, _evidence, _evolution, _legitimacy = (
        _AnalysisModule(name)
        for name in (
            "brokerage",
            "case",
            "centrality",
            "consensus",
            "evidence",
            "evolution",
            "legitimacy",
        )
    )
    _paths, _provenance, _reforms, _robustness, _snapshot, _stages, _survival = (
        _AnalysisModule(name)
        for name in (
            "paths",
            "provenance",
            "reforms",
            "robustness",
            "snapshot",
            "stages",
            "survival",
        )
    )
    _view = _AnalysisModule("view")
    _by_coder = _AnalysisModule("by_coder")
    _agreement = _AnalysisModule("agreement")


def _reads_case(analysis: Callable[Concatenate[Any, P], T]) -> Callable[Concatenate[Any, P], T]:
    """``analysis`` as a method that first checks the database holds a case."""
    if isinstance(analysis, _Deferred):
        return _Deferred(analysis.module, analysis.function, _reads_case)

    @functools.wraps(analysis)
    def run(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> T:
        selection = kwargs.get("selection") or next(
            (a for a in args if isinstance(a, Selection)), None
        )
        version = getattr(selection, "known_at", None)
        with self.known_at(version):
            require_case(self)
            # A selection's coders are resolved here, once for every analysis, to the names
            # the case stores (aliases, case, accents): the Cypher fragment compares text.
            args = tuple(_stored_coders(self, a) for a in args)  # type: ignore[assignment]
            kwargs = {k: _stored_coders(self, v) for k, v in kwargs.items()}  # type: ignore[assignment]
            return analysis(self, *args, **kwargs)

    return run


def _stored_coders(db: Any, value: Any) -> Any:
    """``value``, or the `Selection` it is with its coders as the case stores them."""
    if isinstance(value, Selection) and value.coders is not None:
        from kb.analyses.selection import resolve_coders

        return resolve_coders(db, value)
    return value


def run(tx: Any, name: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the canned query ``name`` run inside the transaction ``tx``."""
    return [plain_row(record) for record in tx.run(queries.get(name).body, values)]


class Snapshot:
    """Canned read queries streamed inside one transaction (see KnowledgeBase.snapshot).

    Its rows keep the driver's own values (neo4j.time, neo4j.spatial): a backup writes every
    value back exactly as it was, which kb.rows' plain Python values would not allow."""

    def __init__(self, tx: Any) -> None:
        self.tx = tx

    def stream(self, name: str, **params: Any) -> Iterator[dict[str, Any]]:
        """The rows of the canned query ``name``, one at a time."""
        query = queries.get(name)
        for record in self.tx.run(query.body, query.bind(params)):
            yield record.data()


@dataclass(frozen=True, eq=False, kw_only=True)
class Status(Result):
    """`KnowledgeBase.status`'s answer (``kb status``): one record.

    Attributes:
        uri, database: where the case is.
        server_version, edition: the Neo4j server's.
        nodes, relationships: the size of the case (kb's bookkeeping left out).
        schema_version: the schema the database is at.
        data_version: the journal's head (what every output is stamped with).
        fingerprint: the case's content fingerprint (`kb.fingerprint`) when already
            computed for this version, else ``not computed yet``.
        state: ``complete``, or what began and never finished (a killed restore or import).
    """

    uri: str
    server_version: str
    edition: str
    database: str
    nodes: int
    relationships: int
    schema_version: int | None
    data_version: int
    fingerprint: str
    state: str


class KnowledgeBase:
    """The case's graph in one Neo4j database.

    It takes a driver and never creates one, so tests and notebooks hand it theirs. With a
    ``cache``, results that :meth:`cached` computes are reused until the database changes.
    """

    def __init__(
        self,
        driver: Driver,
        *,
        database: str = "neo4j",
        uri: str = "",
        cache: ResultCache | None = None,
    ) -> None:
        self.driver = driver
        self.database = database
        self.uri = uri
        self.cache = cache
        self._schema_ready = False
        self._consent: ConsentPolicy | None = None  # read once, dropped by every write
        # The journal entry the writes of the running operation add to (`journal_entry`);
        # None: each write transaction is an entry of its own.
        self._entry: journal.Entry | None = None
        self.journaling = True  # off only in the benchmark's baseline (journal.no_journal)
        # The transaction reads run in while the case is shown as known at a past data
        # version (`known_at`); None: each read runs on its own.
        self._held: Any = None

    def close(self) -> None:
        """Close the driver (a knowledge base from `open_base`: ``kb.open()``)."""
        self.driver.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running canned queries ----------------------------------------------------------
    # Each query runs in the form its header's ``rows:`` declares (kb.queries); its rows
    # leave the driver as plain Python values (kb.rows), converted here and nowhere else.
    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """The rows of the canned read query ``name`` (``rows: many``), READ routing."""
        return self._run(name, params, "many", writes=False)

    def read_one(self, name: str, **params: Any) -> dict[str, Any]:
        """The one row of the canned read query ``name`` (``rows: one``)."""
        return self._run(name, params, "one", writes=False)[0]

    def read_optional(self, name: str, **params: Any) -> dict[str, Any] | None:
        """The row of the canned read query ``name`` (``rows: optional``), or None."""
        rows = self._run(name, params, "optional", writes=False)
        return rows[0] if rows else None

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the canned write query ``name`` (``rows: many`` or ``none``) in one
        transaction and return its rows."""
        return self._run(name, params, "many", writes=True)

    def write_one(self, name: str, **params: Any) -> dict[str, Any]:
        """Run the canned write query ``name`` (``rows: one``) and return its row."""
        return self._run(name, params, "one", writes=True)[0]

    def write_optional(self, name: str, **params: Any) -> dict[str, Any] | None:
        """Run the canned write query ``name`` (``rows: optional``); its row, or None."""
        rows = self._run(name, params, "optional", writes=True)
        return rows[0] if rows else None

    def _run(
        self, name: str, params: dict[str, Any], rows: str | None, *, writes: bool
    ) -> list[dict[str, Any]]:
        """The rows of ``name``, run as ``rows`` (None: as its header declares).

        Raises:
            QueryParameterError: the query's mode is not ``writes``, or the parameters do
                not match its header.
            kb.queries.RowCountError: the header declares other rows than ``rows``, or the
                answer breaks the declaration (a defect of kb).
        """
        from neo4j import RoutingControl

        query = queries.get(name)
        if query.writes and not writes:
            raise QueryParameterError(f"Query {name} writes (mode: write); run it with write().")
        if not query.writes and writes:
            raise QueryParameterError(f"Query {name} only reads (mode: read); use read().")
        if rows is not None:
            query.expect(rows)
        shown = not writes and consent.filtered(name)
        if writes:
            self._consent = None
        elif shown:
            params = self.consent_policy().unmask(params)
        bound = query.bind(params)
        if self._held is not None:
            if writes:
                raise ParameterError.sentence(
                    "{known-at} shows the case as it was: nothing can be written meanwhile."
                )
            with translate_errors(self.uri, self.database):
                held = query.check_rows([plain_row(r) for r in self._held.run(query.body, bound)])
            return self.consent_policy().apply(held) if shown else held
        if writes and self.journaling and journal.journaled(name):
            with translate_errors(self.uri, self.database):
                written = retrying(lambda: self._journaled_write(name, bound))
            return query.check_rows(written)
        routing = RoutingControl.WRITE if writes else RoutingControl.READ
        with translate_errors(self.uri, self.database):
            records, _, _ = retrying(
                lambda: self.driver.execute_query(
                    query.body, bound, database_=self.database, routing_=routing
                )
            )
        checked = query.check_rows([plain_row(record) for record in records])
        return self.consent_policy().apply(checked) if shown else checked

    def consent_policy(self) -> ConsentPolicy:
        """What the actors agreed to (kb.consent), applied to the rows of every read query
        but kb's bookkeeping; read once, and again after any write through this base."""
        if self._consent is None:
            self._consent = consent.policy(self)
        return self._consent

    @contextmanager
    def known_at(self, version: str | int | None) -> Iterator[int | None]:
        """Reads of the block see the case as it stood at a data version (``@SEQ``, an int,
        or a UTC date-time; None: as it stands). One transaction undoes every journal entry
        after it, the block's reads run in it, and it is rolled back: nothing is written.

        Raises:
            ParameterError: no such data version, or a time before the first entry.
            ValidationError: the journal has entries missing, or an entry after that
                version is a withdrawal or a restore of another history
                (`journal.NotReconstructibleError`).
        """
        from neo4j import WRITE_ACCESS

        if version is None or self._held is not None:
            yield None
            return
        seq = journal.resolve(self, version)
        if seq == journal.head(self).data_version:
            yield seq
            return
        # What the actors agreed to is today's, at any data version: read it before the
        # past is rebuilt, so that a withdrawal or a consent withdrawn holds in old answers.
        self.consent_policy()
        chunks = self.read("journal/undo_chunks", since=seq)
        at = self.read("journal/entries_at", seq=seq, analyst=None)
        hashed = str(at[0]["hash"]) if at else ""
        with (
            translate_errors(self.uri, self.database),
            self.driver.session(database=self.database, default_access_mode=WRITE_ACCESS) as s,
            s.begin_transaction() as tx,
        ):
            try:
                journal.undo(tx, chunks, seq)
                # The head too, so that what is stamped meanwhile says this data version.
                run(tx, "journal/set_head", {"seq": seq, "fingerprint": hashed})
                self._held = tx
                yield seq
            finally:
                self._held = None
                tx.rollback()

    @contextmanager
    def journal_entry(self, command: str | None = None) -> Iterator[journal.Entry]:
        """One journal entry for every write of the block (an import, a restore, ...);
        nested blocks add to the outer one."""
        if self._entry is not None:
            yield self._entry
            return
        self._entry = journal.Entry.current(command)
        try:
            yield self._entry
        finally:
            self._entry = None

    def _journaled_write(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Run the write query ``name`` and journal its changes in one transaction.

        A write of few records reads them before and after (values of what changed); a bulk
        write keeps the ids it names. The entry is opened by the first transaction that
        commits (under the entry's lock, so parallel import batches share one number)."""
        entry = self._entry or journal.Entry.current(name)
        if entry.seq is None:
            with entry.lock:
                if entry.seq is None:
                    rows, seq = self._write_transaction(name, params, entry, None)
                    entry.seq = seq or None  # 0: nothing changed, no entry yet
                    return rows
        return self._write_transaction(name, params, entry, entry.seq)[0]

    def _write_transaction(
        self, name: str, params: dict[str, Any], entry: journal.Entry, seq: int | None
    ) -> tuple[list[dict[str, Any]], int]:
        from neo4j import WRITE_ACCESS

        named = journal.record_ids(params)
        # Few records: their values before and after (kb add, link, end-tie). Many (an
        # import batch): the ids changed, and the values before of what an update changed
        # or a deletion removed; rows into an empty table (a *_new query) are all created,
        # their ids are enough. A query that deletes (kb reset, a QDA prune) reports the
        # images of what it deleted itself, in the same transaction.
        detailed = 0 < len(named) <= journal.DETAIL_LIMIT
        with (
            self.driver.session(database=self.database, default_access_mode=WRITE_ACCESS) as s,
            s.begin_transaction() as tx,
        ):
            known = name.endswith("_new")  # every id is new: nothing to read before
            before = journal.images(tx, named) if named and not known else {}
            records = list(tx.run(queries.get(name).body, params))
            rows = [plain_row(r) for r in records]
            for row in rows:
                row.pop("images", None)
            returned = journal.returned_images(records, compact=not detailed)
            new = [i for i in named if i not in before]
            # The records that existed, read again (and, for a detailed change, the new).
            after = journal.images(tx, list(before) + (new if detailed else []))
            changed = journal.diff(before, after, compact=not detailed)
            changes: list[dict[str, Any]] | None = changed + returned if detailed else None
            kept = [] if detailed else changed + returned
            ids = new + [c["id"] for c in kept if c.get("id")] if not detailed else []
            count = sum(int(r.get("count") or r.get("deleted") or 0) for r in rows) or len(ids)
            # Nothing changed: the records read the same (a re-import of the same files), or
            # a batch delete found nothing. A write that names no ids and counts nothing is
            # journaled all the same.
            counted = any(k in r for r in rows for k in ("count", "deleted"))
            if (
                changes == []
                or (changes is None and named and not ids)
                or (changes is None and not named and not kept and counted and not count)
            ):
                tx.commit()  # nothing changed: no entry
                return rows, seq or 0
            if entry.purge is not None:
                # A withdrawal: the journal forgets the participant in this transaction, and
                # the withdrawal's own change holds none of their data (kb.journal_purge).
                changes, ids, kept = entry.purge(tx, rows, run), [], []
            if seq is None:
                seq = journal.open_entry(tx, entry, run)
            journal.append_chunk(tx, entry, seq, name, changes, ids, count, run, kept)
            tx.commit()
        return rows, seq

    def journal_note(
        self, query: str, note: dict[str, Any], parts: list[list[dict[str, Any]]] | None = None
    ) -> int:
        """Journal a change made by unjournaled writes (a restore) as one chunk, after the
        ``parts`` of the image it keeps (one chunk each); returns the entry's number."""
        from neo4j import WRITE_ACCESS

        entry = self._entry or journal.Entry.current(query)
        with (
            translate_errors(self.uri, self.database),
            self.driver.session(database=self.database, default_access_mode=WRITE_ACCESS) as s,
            s.begin_transaction() as tx,
        ):
            seq = entry.seq or journal.open_entry(tx, entry, run)
            for part in parts or []:
                journal.append_chunk(tx, entry, seq, query, None, [], 0, run, part)
            journal.append_chunk(tx, entry, seq, query, [note], [], 0, run, [])
            tx.commit()
        entry.seq = seq
        return seq

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """One read transaction whose queries stream their rows (``kb backup``, the content
        fingerprint); under `known_at`, the transaction that holds the rebuilt case.

        Neo4j reads committed data: compare :meth:`state` before and after to know that no
        write was committed meanwhile.
        """
        from neo4j import READ_ACCESS

        if self._held is not None:  # --known-at: the rebuilt case, in its transaction
            with translate_errors(self.uri, self.database):
                yield Snapshot(self._held)
            return
        with (
            translate_errors(self.uri, self.database),
            self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session,
            session.begin_transaction() as tx,
        ):
            yield Snapshot(tx)

    def schema_statement(self, statement: str) -> None:
        """Run one schema statement (constraint or index DDL, checked by the caller)."""
        with translate_errors(self.uri, self.database):
            self.driver.execute_query(statement, database_=self.database)

    def state(self) -> str | None:
        """The database's last committed transaction, as the bookmark of a read; None if the
        server gives none. Any write changes it."""
        from neo4j import READ_ACCESS

        with (
            translate_errors(self.uri, self.database),
            self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session,
        ):
            session.execute_read(lambda tx: tx.run(queries.get("meta/state").body).consume())
            values = sorted(session.last_bookmarks().raw_values)
        return "|".join(values) or None

    def cached(self, parts: list[Any], compute: Callable[[], T]) -> T:
        """``compute()``, or its result from the cache when the database has not changed.

        ``parts`` name the result (query, parameters). A result is stored only when no write
        happened while it was computed, so it always belongs to the state it is keyed on.
        """
        state = self.state() if self.cache and self._held is None else None
        if self.cache is None or state is None:  # also: a past state (known_at) is not cached
            return compute()
        key = cache_key(self.uri, self.database, *parts)
        hit = self.cache.get(key, state)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        value = compute()
        if self.state() == state:
            self.cache.put(key, state, value)
        return value

    # -- administration ------------------------------------------------------------------
    def init_schema(self) -> int:
        """Create the model's constraints and indexes (idempotent); return the schema version."""
        stale = schema.stale_indexes(self.read("meta/fulltext_indexes"))
        with translate_errors(self.uri, self.database):
            for statement in [*stale, *schema.statements()]:
                self.driver.execute_query(statement, database_=self.database)
            # Awaiting the indexes keeps the first import from racing their population.
            self.driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database)
        self._fill_search_text()
        self.write_one("meta/set_schema_version", version=schema.SCHEMA_VERSION)
        self._schema_ready = True
        return schema.SCHEMA_VERSION

    def _fill_search_text(self, *, batch: int = 5_000) -> None:
        """Store kb_search on evidence items and documents that lack it (stored by an older
        kb, or restored from its backup), so that the full-text index finds them."""
        from kb.text import search_text

        while rows := self.read("search/unindexed", limit=batch):
            columns = {"Evidence": schema.SEARCHED_COLUMNS["evidence"]}
            columns["Document"] = schema.SEARCHED_COLUMNS["documents"]
            texts = [
                {
                    "id": row["id"],
                    "label": row["label"],
                    "text": search_text(row[c] for c in columns[row["label"]]) or "",
                }
                for row in rows
            ]
            updated = self.write_one("search/set_text", rows=texts)["updated"]
            if not updated:
                break  # nothing written (a concurrent delete): do not loop forever

    def ensure_schema(self) -> None:
        """Run ``init_schema`` once per process unless the database already has this version."""
        if self._schema_ready:
            return
        if self.read_one("meta/counts")["schema_version"] == schema.SCHEMA_VERSION:
            self._schema_ready = True
        else:
            self.init_schema()

    def opening_checks(self, *, ensure_schema: bool = True) -> list[dict[str, Any]]:
        """What a command checks before its work, in one read (``meta/opening``).

        With ``ensure_schema``, do what `ensure_schema` does from the version read here:
        ``init_schema`` when the database's schema version is not this kb's; when it is, no
        schema statement is sent, now or by a later `ensure_schema`.

        Returns:
            The writes that began and never finished, as `kb.pending.incomplete`.
        """
        row = self.read_one("meta/opening")
        if ensure_schema and not self._schema_ready:
            if row["schema_version"] == schema.SCHEMA_VERSION:
                self._schema_ready = True
            else:
                self.init_schema()
        return list(row["pending"])

    def status(self) -> Status:
        """Server version, edition, database and the size of the case (a `Status`)."""
        from kb import fingerprint
        from kb.journal import head
        from kb.pending import describe, incomplete

        info = self.read_one("meta/server_info")
        counts = self.read_one("meta/counts")
        journal = head(self)  # one node: as fast on any size of case
        unfinished = incomplete(self)
        return Status(
            uri=self.uri,
            server_version=info["version"],
            edition=info["edition"],
            database=self.database,
            nodes=counts["nodes"],
            relationships=counts["relationships"],
            schema_version=counts["schema_version"],
            # The journal's sequence number: what every output is stamped with.
            data_version=journal.data_version,
            # The case's content fingerprint when already computed for this version: status
            # never reads the whole case (kb.fingerprint).
            fingerprint=fingerprint.cached(self) or fingerprint.NOT_COMPUTED,
            # "complete", or what began and never finished (a killed restore or import).
            state="; ".join(describe(row) for row in unfinished) or "complete",
        )

    def reset(self, *, batch: int = 10_000) -> int:
        """Delete every node and relationship of the case, keeping the schema.

        Returns:
            The number of nodes deleted.
        """
        nodes_before = int(self.read_one("meta/counts")["nodes"])
        with self.journal_entry("reset"):
            while int(self.write_one("admin/delete_batch", limit=batch)["deleted"]) > 0:
                pass
        return nodes_before

    # -- the write side ------------------------------------------------------------------
    def import_data(
        self,
        source: str | Path | Dataset,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
        mapping: str | Path | None = None,
        prune: bool = False,
        proposed: str | Path | None = None,
        coder_aliases: CoderAliases | None = None,
    ) -> ImportReport | QdaReport:
        """Validate an import and write it unless ``dry_run``: every format ``kb import``
        takes (a folder of CSV files, one CSV table, an .xlsx workbook, a .json file, or a
        REFI-QDA project ``.qdpx``, which goes to `import_project`).

        Args:
            source: the file or folder, or a `Dataset` already opened.
            dry_run: validate only; write nothing.
            progress: called with (table, rows done, rows in all) as batches are written.
            mapping, prune, proposed: for a ``.qdpx`` project only (see `import_project`).
            coder_aliases: coder names to write under another name (`kb.coders`); the
                report warns about coder names that look like one person.

        Returns:
            An `ImportReport`, or for a ``.qdpx`` project a `QdaReport`.

        Raises:
            ImportFileError: the source cannot be read.
            ValidationError: the data has problems (all of them in ``.issues``); nothing
                was written. Also ``mapping``, ``prune`` or ``proposed`` for a source that
                is not a .qdpx project.
        """
        from kb.imports import open_dataset
        from kb.imports.writer import Importer

        if isinstance(source, str | Path) and is_qda_project(source):
            return self.import_project(
                source,
                mapping=mapping,
                dry_run=dry_run,
                prune=prune,
                proposed=proposed,
                progress=progress,
                coder_aliases=coder_aliases,
            )
        if mapping or prune or proposed:
            raise ParameterError.sentence(
                "{mapping}, {prune} and {proposed} apply to REFI-QDA projects (.qdpx) only."
            )
        dataset = source if not isinstance(source, str | Path) else open_dataset(source)
        with self.journal_entry(f"import {dataset.name}"):
            report = Importer(self, coders=coder_aliases).run(
                dataset, dry_run=dry_run, progress=progress
            )
        report.warnings += self._coder_lookalikes(coder_aliases)
        return report

    def _coder_lookalikes(self, aliases: CoderAliases | None) -> list[str]:
        """Warnings about coder names in the database that look like one person."""
        from kb.coders import lookalikes

        names = [row["coder"] for row in self.read("vocabulary/coders")]
        return [found.warning() for found in lookalikes(names, aliases)]

    def import_project(
        self,
        path: str | Path,
        *,
        mapping: str | Path | None = None,
        dry_run: bool = False,
        prune: bool = False,
        proposed: str | Path | None = None,
        progress: Progress | None = None,
        coder_aliases: CoderAliases | None = None,
    ) -> QdaReport:
        """Import a REFI-QDA project (.qdpx) coded under kb's convention (docs/qda.md).

        Coded passages naming actors become evidence items mentioning them and supporting
        the ties they name; ties kb lacks go to a review file (``proposed``, by default
        proposed-ties.csv beside the project). See `kb.imports.qda.QdaImporter.run`.

        Raises:
            ImportFileError: the project or the mapping cannot be read.
            ValidationError: the project has problems (all in ``.issues``); nothing was
                written.
        """
        with self.journal_entry(f"import {path}"):
            return self._import_project(
                path, mapping, dry_run, prune, proposed, progress, coder_aliases
            )

    def _import_project(
        self,
        path: str | Path,
        mapping: str | Path | None,
        dry_run: bool,
        prune: bool,
        proposed: str | Path | None,
        progress: Progress | None,
        coder_aliases: CoderAliases | None,
    ) -> QdaReport:
        from kb.imports.qda import QdaImporter

        report = QdaImporter(self, coders=coder_aliases).run(
            path,
            mapping=mapping,
            dry_run=dry_run,
            prune=prune,
            proposed=proposed,
            progress=progress,
        )
        report.warnings += self._coder_lookalikes(coder_aliases)
        return report

    def add(
        self,
        table: str,
        row: dict[str, Any],
        *,
        extra: dict[str, Any] | None = None,
        clear: list[str] | tuple[str, ...] = (),
        replace: bool = False,
        coder_aliases: CoderAliases | None = None,
    ) -> dict[str, Any]:
        """Add one row of an import table (``kb add``), or update only the fields given.

        An update leaves every field it is not given as it is; ``clear`` removes fields and
        ``replace`` overwrites the whole record. The result is validated like an import.
        An evidence item's ``coder`` is written as the import writes it: through
        ``coder_aliases`` (`kb.coders`), with a warning when it looks like another coder
        of the case.

        Returns:
            ``{"table", "id", "outcome", "changes", "warnings"}``: ``id`` is the stable id
            (derived if not given), ``changes`` lists ``{"field", "old", "new"}``.

        Raises:
            ValidationError: the row has problems, or a field name is reserved; nothing
                was written.
        """
        from kb.coders import lookalikes
        from kb.imports.add import add_record

        coder = row.get("coder") if table == "evidence" else None
        if coder and coder_aliases:
            row = {**row, "coder": coder_aliases.resolve(coder)}
        with self.journal_entry(f"add {table}"):
            result = add_record(self, table, row, extra=extra, clear=clear, replace=replace)
        if coder:  # the name written, against the coders the case now has
            names = [r["coder"] for r in self.read("vocabulary/coders")]
            kept = " ".join(str(row["coder"]).split())
            result.warnings += [
                found.warning()
                for found in lookalikes(names, coder_aliases)
                if kept in (found.first, found.second)
            ]
        return result.as_dict()

    def link_evidence(self, evidence: str, *, kind: str, target: str) -> dict[str, Any]:
        """Attach an evidence item to a tie, membership, attendance or position.

        Raises:
            NotFoundError: the evidence item or the target does not exist.
        """
        if kind not in LINK_KINDS:
            raise ValidationError(f"Cannot link evidence to a {kind}; use one of {LINK_KINDS}.")
        self.ensure_schema()
        if not self.read("import/existing_refs", refs=[{"kind": "Evidence", "id": evidence}]):
            raise NotFoundError(f"No evidence item with id {evidence!r}.")
        with self.journal_entry(f"link {evidence} {kind} {target}"):
            row = self.write_optional("evidence/link", evidence=evidence, kind=kind, target=target)
        if row is None:
            raise NotFoundError(f"No {kind} with id {target!r}.")
        return row

    def withdraw(self, actor: str, *, policy: str, why: str) -> WithdrawalResult:
        """Withdraw a participant: ``erase`` or ``anonymise`` them (`kb.withdrawal.withdraw`)."""
        from kb.withdrawal import withdraw

        result = withdraw(self, actor, policy=policy, why=why)
        if self.cache is not None:
            self.cache.clear()  # its entries of the old state hold the participant's ids
        return result

    def end_tie(self, tie: str, *, on: str) -> dict[str, Any]:
        """Close a tie's spell on a (partial) date.

        Raises:
            NotFoundError: no tie has that id.
            ValidationError: the date is malformed or before the tie's start.
        """
        found = self.read_optional("ties/get", id=tie)
        if found is None:
            raise NotFoundError(f"No tie with id {tie!r}. Find ids with: kb why A B")
        try:
            end = PartialDate.parse(on)
        except ValueError as error:
            raise ParameterError("on", on, f"{error}.") from None
        start_first = found["start_first"]
        if start_first is not None and end.last < start_first:
            raise ValidationError(
                f"Tie {tie} starts {found['start']}; it cannot end before that ({end.text})."
            )
        with self.journal_entry(f"end-tie {tie} {on}"):
            ended = self._end(tie, end)
        if ended is None:  # deleted since it was read
            raise NotFoundError(f"No tie with id {tie!r}. Find ids with: kb why A B")
        return ended

    def _end(self, tie: str, end: PartialDate) -> dict[str, Any] | None:
        return self.write_optional(
            "ties/set_end",
            id=tie,
            end=end.text,
            end_first=end.first,
            end_last=end.last,
            precision=end.precision,
        )

    # -- the journal (kb.journal): every change to the case, and one record's story --------
    changes = journal.changes
    history = journal.history

    # -- analyses (kb.analyses; each takes this knowledge base as its reader) ---------------
    # Each refuses an empty database (`require_case`) instead of answering with zeros.
    actor = _provenance.actor
    why = _reads_case(_provenance.why)
    timeline = _reads_case(_provenance.timeline)
    periods = case_periods
    brokerage = _reads_case(_brokerage.brokerage)
    brokerage_by = _reads_case(_brokerage.brokerage_by)
    centrality = _reads_case(_centrality.centrality)
    evolution = _reads_case(_evolution.evolution)
    paths = _reads_case(_paths.paths)
    legitimacy = _reads_case(_legitimacy.legitimacy)
    legitimacy_of_source = _reads_case(_legitimacy.legitimacy_of_source)
    reforms = _reads_case(_reforms.reforms)
    broken_ties = _reads_case(_reforms.broken_ties)
    brokerage_change = _reads_case(_reforms.brokerage_change)
    tie_survival = _reads_case(_survival.tie_survival)
    observation_end = _survival.observation_end
    consensus = _reads_case(_consensus.consensus)
    search = _reads_case(_evidence.search)
    evidence_coverage = _reads_case(_evidence.coverage)
    tie_coverage = _reads_case(_evidence.tie_coverage)
    # Inter-coder agreement on ties (kb evidence agreement / disagreements / settle).
    agreement = _reads_case(_agreement.agreement)
    agreement_units = _reads_case(_agreement.agreement_units)
    disagreements = _reads_case(_agreement.disagreements)
    settle = _reads_case(_agreement.settle)
    stages = _reads_case(_stages.stages)
    stage = _reads_case(_stages.stage)
    network_snapshot = _reads_case(_snapshot.network_snapshot)
    case_results = _reads_case(_case.case_results)
    robustness = _reads_case(_robustness.robustness)
    robustness_by_coder = _reads_case(_by_coder.robustness_by_coder)
    case_view = _reads_case(_view.case_view)

    # -- canned queries ------------------------------------------------------------------
    def run_query(self, name: str, assignments: list[str] | None = None) -> list[dict[str, Any]]:
        """Run a canned read query with ``NAME=VALUE`` parameters (typed from its header).

        Only read queries (``mode: read``) run this way: kb's write queries expect validated
        rows, and kb runs them for you. Reads run in a read transaction, so the server
        refuses a write too.

        Raises:
            QueryNotFoundError: no query has that name.
            QueryParameterError: the query writes or is internal, a parameter is unknown,
                missing, ill-typed or null where it may not be, or Neo4j refused the values.
        """
        from neo4j.exceptions import ClientError

        query = queries.get(name)
        if query.internal:
            raise QueryParameterError(
                f"{name} is internal to kb (its {name.split('/')[0]}/ queries serve "
                "kb import); kb runs it for you. See the queries to run with: kb query list"
            )
        if query.writes:
            raise QueryParameterError(
                f"{name} writes to the database (mode: write); kb runs it for you."
            )
        params = queries.parse_assignments(query, assignments or [])
        try:
            # Whatever its declared rows, a query run by hand answers with a list.
            return self._run(name, params, None, writes=False)
        except ClientError as error:
            # The values fit the declared types but not the query (an empty full-text
            # query, a negative limit...): Neo4j's first line says which.
            first = (error.message or error.code or "").strip().splitlines()
            raise QueryParameterError(
                f"Neo4j refused {name} with these parameters: "
                f"{first[0] if first else 'no reason given'}"
            ) from error
