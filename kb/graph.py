"""KnowledgeBase: one method per use case, over one Neo4j driver; returns plain data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from neo4j import Driver, GraphDatabase, NotificationMinimumSeverity, RoutingControl
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from kb import queries, schema
from kb.errors import AuthenticationError, DatabaseUnavailableError
from kb.settings import Settings


@contextmanager
def translate_errors(uri: str) -> Iterator[None]:
    """Turn the driver's connection and auth errors into kb's, with the fix in the message."""
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
    settings = settings or Settings.from_env()
    auth = (settings.user, settings.password or "")
    with translate_errors(settings.uri):
        # Server notifications (unknown label in an empty database, ...) are noise for kb's
        # canned queries and would reach users as log lines.
        with GraphDatabase.driver(
            settings.uri, auth=auth, notifications_min_severity=NotificationMinimumSeverity.OFF
        ) as driver:
            driver.verify_connectivity()
            yield KnowledgeBase(driver, database=settings.database, uri=settings.uri)


class KnowledgeBase:
    """The case's graph in one Neo4j database.

    It takes a driver and never creates one, so tests and notebooks hand it theirs.
    """

    def __init__(self, driver: Driver, *, database: str = "neo4j", uri: str = "") -> None:
        self.driver = driver
        self.database = database
        self.uri = uri
        self._schema_ready = False

    # -- running canned queries ----------------------------------------------------------
    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the canned read query ``name`` (READ routing) and return its rows as dicts."""
        return self._run(name, params, RoutingControl.READ)

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the canned write query ``name`` in one transaction and return its rows."""
        return self._run(name, params, RoutingControl.WRITE)

    def _run(
        self, name: str, params: dict[str, Any], routing: RoutingControl
    ) -> list[dict[str, Any]]:
        query = queries.get(name)
        query.check(params)
        with translate_errors(self.uri):
            records, _, _ = self.driver.execute_query(
                query.body, params, database_=self.database, routing_=routing
            )
        return [record.data() for record in records]

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
        total = 0
        while True:
            deleted = int(self.write("admin/delete_batch", limit=batch)[0]["deleted"])
            total += deleted
            if deleted < batch:
                return total
