"""The real Neo4j every database test runs against, and the database state each test asks
for: empty (``kb``), the example (``example``), or a module's own case (`fills_database`).
A state is made once and kept while no write is committed (`tests.support.DatabaseState`).

Where the server comes from, in order:
1. ``NEO4J_URI`` (+ ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD``) if set: that database is
   emptied by the tests, so never point it at data you care about;
2. a testcontainers Neo4j 5.26 if a Docker engine answers;
3. kb's own JVM server in ``.kb-test/`` on ports 17687 / 17474 (``make test`` starts it).
If none can be had the run stops with a message: database tests are never skipped.

Markers are explicit: a module whose tests use the database says ``pytestmark =
pytest.mark.neo4j`` (checked at collection: a test that asks for a database fixture without
the marker is an error), so ``make unit`` (``-m "not neo4j ..."``) never needs a server.
Tests that hand kb's output to another program carry that program's marker (``gephi``,
``r``, ``browser``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase, NotificationMinimumSeverity

from kb.errors import KBError
from kb.graph import KnowledgeBase
from kb.server import JvmServer, docker_available
from kb.settings import ServerSettings, Settings
from tests.support import (
    EXAMPLE,
    FILLERS,
    ROOT,
    DatabaseState,
    Neo4jUnderTest,
    check_no_defect,
    fills_database,
)

TEST_HOME = ROOT / ".kb-test"
TEST_BOLT_PORT = int(os.environ.get("KB_TEST_BOLT_PORT", "17687"))
TEST_HTTP_PORT = int(os.environ.get("KB_TEST_HTTP_PORT", "17474"))
DATABASE_FIXTURES = frozenset(
    {"kb", "neo4j_driver", "neo4j_server", "cli_env", "example", "case_env"}
)


def _from_docker() -> Iterator[Neo4jUnderTest]:
    from testcontainers.neo4j import Neo4jContainer

    with Neo4jContainer("neo4j:5.26-community", password="kb-test-password") as container:
        http = f"http://{container.get_container_host_ip()}:{container.get_exposed_port(7474)}"
        settings = Settings(uri=container.get_connection_url(), password="kb-test-password")
        yield Neo4jUnderTest(settings, http + "/browser/")


def _from_jvm() -> Iterator[Neo4jUnderTest]:
    server_settings = ServerSettings(TEST_HOME, TEST_BOLT_PORT, TEST_HTTP_PORT)
    server = JvmServer(server_settings)
    started_here = not server.is_running()
    if started_here:
        server.start(progress=lambda line: None)
    settings = Settings(uri=server_settings.bolt_uri, password=server_settings.read_password())
    try:
        yield Neo4jUnderTest(settings, server_settings.browser_url)
    finally:
        if started_here:
            server.stop()


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jUnderTest]:
    """A running Neo4j 5.26 for the whole session."""
    if os.environ.get("NEO4J_URI"):
        yield Neo4jUnderTest(Settings.from_env(), os.environ.get("NEO4J_HTTP_URL"))
        return
    source = _from_docker if docker_available() else _from_jvm
    try:
        servers = source()
        server = next(servers)
    except KBError as error:
        pytest.exit(
            f"No Neo4j for the tests: {error}\nRun `make test` (it starts one), set NEO4J_URI "
            "to a scratch database, or start a Docker engine.",
            returncode=3,
        )
    yield server
    next(servers, None)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: Neo4jUnderTest) -> Iterator[Driver]:
    s = neo4j_server.settings
    with GraphDatabase.driver(
        s.uri,
        auth=(s.user, s.password or ""),
        notifications_min_severity=NotificationMinimumSeverity.OFF,
    ) as driver:
        driver.verify_connectivity()
        yield driver


@pytest.fixture(scope="session")
def database_state() -> DatabaseState:
    return DatabaseState()


def knowledge_base(neo4j_server: Neo4jUnderTest, neo4j_driver: Driver) -> KnowledgeBase:
    return KnowledgeBase(
        neo4j_driver, database=neo4j_server.settings.database, uri=neo4j_server.settings.uri
    )


@pytest.fixture
def kb(
    request: pytest.FixtureRequest,
    neo4j_server: Neo4jUnderTest,
    neo4j_driver: Driver,
    database_state: DatabaseState,
) -> KnowledgeBase:
    """A KnowledgeBase on an empty database that has the schema.

    When the test also asks for a fixture that fills the database (`fills_database`), that
    fixture brings the database to its state; emptying it here first would only waste the
    import it may find already done."""
    base = knowledge_base(neo4j_server, neo4j_driver)
    if not _filled_by_a_fixture(request):
        database_state.hold(base, "empty", lambda: None)
    return base


def _filled_by_a_fixture(request: pytest.FixtureRequest) -> bool:
    visible = {__name__, request.module.__name__}  # conftest's fixtures, the test module's
    return any(
        name in request.fixturenames and not modules.isdisjoint(visible)
        for name, modules in FILLERS.items()
    )


@pytest.fixture
def cli_env(neo4j_server: Neo4jUnderTest, kb: KnowledgeBase) -> dict[str, str]:
    """Environment for CliRunner so that `kb ...` talks to the (emptied) test database."""
    s = neo4j_server.settings
    return {
        "NEO4J_URI": s.uri,
        "NEO4J_USERNAME": s.user,
        "NEO4J_PASSWORD": s.password or "",
        "NEO4J_DATABASE": s.database,
    }


@pytest.fixture
@fills_database
def example(kb: KnowledgeBase, database_state: DatabaseState) -> KnowledgeBase:
    """The test database holding the example case (examples/quebec-wg), imported once and
    again only after a test wrote (`DatabaseState`)."""
    database_state.hold(kb, "example", lambda: kb.import_data(EXAMPLE))
    return kb


@pytest.fixture
def case_env(cli_env: dict[str, str], example: KnowledgeBase) -> dict[str, str]:
    """The environment for CliRunner, the test database holding the example case."""
    return cli_env


@pytest.fixture(autouse=True)
def _no_defect_in_cli(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `CliRunner.invoke` of every test fails the test on a traceback or on kb's
    defect exit code (`tests.support.check_no_defect`); a test of the boundary itself opts
    out with ``@pytest.mark.allow_defect``."""
    if request.node.get_closest_marker("allow_defect") is not None:
        return
    from typer.testing import CliRunner

    invoke = CliRunner.invoke

    def checked(self: CliRunner, app: Any, args: Any = None, *rest: Any, **options: Any) -> Any:
        result = invoke(self, app, args, *rest, **options)
        check_no_defect(args, result)
        return result

    monkeypatch.setattr(CliRunner, "invoke", checked)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Explicit markers, checked: a database test without the neo4j marker would make
    # `make unit` try to reach a server.
    unmarked = [
        item.nodeid
        for item in items
        if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        and item.get_closest_marker("neo4j") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "These tests use the database but are not marked neo4j (add "
            "`pytestmark = pytest.mark.neo4j` to their module): " + ", ".join(unmarked[:10])
        )
