"""KnowledgeBase: one method per use case, over one Neo4j driver; returns plain data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kb import _neo4j, queries, schema
from kb.analyses import brokerage as _brokerage
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
from kb.analyses.network import case_periods
from kb.dates import PartialDate
from kb.errors import (
    AuthenticationError,
    DatabaseUnavailableError,
    NotFoundError,
    QueryParameterError,
    ValidationError,
)
from kb.result_cache import ResultCache, cache_key
from kb.settings import Settings, kb_cache

if TYPE_CHECKING:
    from neo4j import Driver, RoutingControl

    from kb.imports import Dataset
    from kb.imports.qda import QdaReport
    from kb.imports.writer import ImportReport, Progress

T = TypeVar("T")
LINK_KINDS = ("tie", "membership", "attendance", "position")


@contextmanager
def translate_errors(uri: str) -> Iterator[None]:
    """Turn the driver's connection and auth errors into kb's, with the fix in the message."""
    from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

    try:
        yield
    except AuthError as e:
        raise AuthenticationError(
            f"Neo4j at {uri} refused the credentials. Set NEO4J_USERNAME / NEO4J_PASSWORD, "
            "or for kb's local server check the password file (kb server status)."
        ) from e
    except (ServiceUnavailable, SessionExpired, OSError) as e:
        raise DatabaseUnavailableError(
            f"Cannot reach Neo4j at {uri}. Start one with: kb server start "
            "(or set NEO4J_URI to a running server)."
        ) from e


@contextmanager
def connect(settings: Settings | None = None) -> Iterator[KnowledgeBase]:
    """Open one driver for the process, verify it once, and close it on every path.

    Args:
        settings: where Neo4j is; by default ``Settings.from_env()``.

    Raises:
        DatabaseUnavailableError: nothing answers at the URI.
        AuthenticationError: the server refused the user or password.
    """
    _neo4j.load()
    from neo4j import GraphDatabase, NotificationMinimumSeverity

    settings = settings or Settings.from_env()
    auth = (settings.user, settings.password or "")
    with translate_errors(settings.uri):
        # Server notifications (unknown label in an empty database, ...) are noise for kb's
        # canned queries and would reach users as log lines.
        with GraphDatabase.driver(
            settings.uri, auth=auth, notifications_min_severity=NotificationMinimumSeverity.OFF
        ) as driver:
            driver.verify_connectivity()
            yield KnowledgeBase(
                driver,
                database=settings.database,
                uri=settings.uri,
                cache=ResultCache(kb_cache() / "results"),
            )


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

    # -- running canned queries ----------------------------------------------------------
    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the canned read query ``name`` (READ routing) and return its rows as dicts."""
        from neo4j import RoutingControl

        return self._run(name, params, RoutingControl.READ)

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the canned write query ``name`` in one transaction and return its rows."""
        from neo4j import RoutingControl

        return self._run(name, params, RoutingControl.WRITE)

    def _run(
        self, name: str, params: dict[str, Any], routing: RoutingControl
    ) -> list[dict[str, Any]]:
        from neo4j import RoutingControl

        query = queries.get(name)
        reading = routing is RoutingControl.READ
        if query.writes and reading:
            raise QueryParameterError(f"Query {name} writes (mode: write); run it with write().")
        if not query.writes and not reading:
            raise QueryParameterError(f"Query {name} only reads (mode: read); use read().")
        bound = query.bind(params)
        with translate_errors(self.uri):
            records, _, _ = self.driver.execute_query(
                query.body, bound, database_=self.database, routing_=routing
            )
        return [record.data() for record in records]

    def state(self) -> str | None:
        """The database's last committed transaction, as the bookmark of a read; None if the
        server gives none. Any write changes it."""
        from neo4j import READ_ACCESS

        with (
            translate_errors(self.uri),
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
        state = self.state() if self.cache else None
        if self.cache is None or state is None:
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
        with translate_errors(self.uri):
            for statement in schema.statements():
                self.driver.execute_query(statement, database_=self.database)
            # Awaiting the indexes keeps the first import from racing their population.
            self.driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database)
        self.write("meta/set_schema_version", version=schema.SCHEMA_VERSION)
        self._schema_ready = True
        return schema.SCHEMA_VERSION

    def ensure_schema(self) -> None:
        """Run ``init_schema`` once per process unless the database already has this version."""
        if self._schema_ready:
            return
        rows = self.read("meta/counts")
        if rows and rows[0]["schema_version"] == schema.SCHEMA_VERSION:
            self._schema_ready = True
        else:
            self.init_schema()

    def status(self) -> dict[str, Any]:
        """Server version, edition, database and the size of the case."""
        info = self.read("meta/server_info")[0]
        counts = self.read("meta/counts")[0]
        return {
            "uri": self.uri,
            "server_version": info["version"],
            "edition": info["edition"],
            "database": self.database,
            "nodes": counts["nodes"],
            "relationships": counts["relationships"],
            "schema_version": counts["schema_version"],
        }

    def reset(self, *, batch: int = 10_000) -> int:
        """Delete every node and relationship of the case, keeping the schema.

        Returns:
            The number of nodes deleted.
        """
        nodes_before = int(self.read("meta/counts")[0]["nodes"])
        while int(self.write("admin/delete_batch", limit=batch)[0]["deleted"]) > 0:
            pass
        return nodes_before

    # -- the write side ------------------------------------------------------------------
    def import_data(
        self,
        source: str | Path | Dataset,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Validate an import (folder of CSV, .xlsx or .json) and write it unless ``dry_run``.

        Raises:
            ImportFileError: the source cannot be read.
            ValidationError: the data has problems (all of them in ``.issues``); nothing
                was written.
        """
        from kb.imports import open_dataset
        from kb.imports.writer import Importer

        dataset = source if not isinstance(source, str | Path) else open_dataset(source)
        return Importer(self).run(dataset, dry_run=dry_run, progress=progress)

    def import_project(
        self,
        path: str | Path,
        *,
        mapping: str | Path | None = None,
        dry_run: bool = False,
        prune: bool = False,
        proposed: str | Path | None = None,
        progress: Progress | None = None,
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
        from kb.imports.qda import QdaImporter

        return QdaImporter(self).run(
            path,
            mapping=mapping,
            dry_run=dry_run,
            prune=prune,
            proposed=proposed,
            progress=progress,
        )

    def add(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """Add or update one row of an import table (``kb add``), validated like an import.

        Returns:
            ``{"table", "id", "outcome"}``; ``id`` is the stable id (derived if not given).

        Raises:
            ValidationError: the row has problems; nothing was written.
        """
        from kb.imports import Dataset, records

        dataset = Dataset.from_records({table: [row]}, name="kb add")
        report = self.import_data(dataset)
        outcome = next(iter(report.outcomes.get(table, {"unchanged": 0})))
        added = next(records(dataset, table))
        return {"table": table, "id": added["id"], "outcome": outcome}

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
        rows = self.write("evidence/link", evidence=evidence, kind=kind, target=target)
        if not rows:
            raise NotFoundError(f"No {kind} with id {target!r}.")
        return rows[0]

    def end_tie(self, tie: str, *, on: str) -> dict[str, Any]:
        """Close a tie's spell on a (partial) date.

        Raises:
            NotFoundError: no tie has that id.
            ValidationError: the date is malformed or before the tie's start.
        """
        found = self.read("ties/get", id=tie)
        if not found:
            raise NotFoundError(f"No tie with id {tie!r}. Find ids with: kb why A B")
        try:
            end = PartialDate.parse(on)
        except ValueError as error:
            raise ValidationError(f"--on {on!r}: {error}.") from None
        start_first = found[0]["start_first"]
        if start_first is not None and end.last < start_first.to_native():
            raise ValidationError(
                f"Tie {tie} starts {found[0]['start']}; it cannot end before that ({end.text})."
            )
        return self.write(
            "ties/set_end",
            id=tie,
            end=end.text,
            end_first=end.first,
            end_last=end.last,
            precision=end.precision,
        )[0]

    # -- analyses (kb.analyses; each takes this knowledge base as its reader) ---------------
    actor = _provenance.actor
    why = _provenance.why
    timeline = _provenance.timeline
    periods = case_periods
    brokerage = _brokerage.brokerage
    brokerage_by = _brokerage.brokerage_by
    centrality = _centrality.centrality
    evolution = _evolution.evolution
    paths = _paths.paths
    legitimacy = _legitimacy.legitimacy
    legitimacy_of_source = _legitimacy.legitimacy_of_source
    reforms = _reforms.reforms
    broken_ties = _reforms.broken_ties
    brokerage_change = _reforms.brokerage_change
    tie_survival = _survival.tie_survival
    observation_end = _survival.observation_end
    consensus = _consensus.consensus
    search = _evidence.search
    evidence_coverage = _evidence.coverage
    tie_coverage = _evidence.tie_coverage
    stages = _stages.stages
    stage = _stages.stage
    network_snapshot = _snapshot.network_snapshot
    case_results = _case.case_results
    robustness = _robustness.robustness

    # -- canned queries ------------------------------------------------------------------
    def run_query(self, name: str, assignments: list[str] | None = None) -> list[dict[str, Any]]:
        """Run a canned read query with ``NAME=VALUE`` parameters (typed from its header).

        Only read queries (``mode: read``) run this way: kb's write queries expect validated
        rows, and kb runs them for you. Reads run in a read transaction, so the server
        refuses a write too.

        Raises:
            QueryNotFoundError: no query has that name.
            QueryParameterError: the query writes, or a parameter is unknown, missing or
                ill-typed.
        """
        query = queries.get(name)
        if query.writes:
            raise QueryParameterError(
                f"{name} writes to the database (mode: write); kb runs it for you."
            )
        return self.read(name, **queries.parse_assignments(query, assignments or []))
