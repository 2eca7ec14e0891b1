"""What a command sends to Neo4j before its own work, seen on the wire.

Every statement the driver sends is logged by it at DEBUG level (``C: RUN ...``); the tests
read those lines while real commands run against the example case. A read-only command on a
database whose schema is current sends no schema statement and checks the schema version and
the unfinished writes in one read; a database with an older schema is still brought up to
date, and an unfinished write is still announced.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from kb import queries, schema
from kb.cli import app
from kb.graph import KnowledgeBase

pytestmark = pytest.mark.neo4j
runner = CliRunner()

READ_ONLY = [
    ["why", "p-kdiallo", "p-lsimard"],
    ["timeline", "p-kdiallo"],
    ["search", "financement"],
    ["query", "run", "network/stages"],
    ["centrality"],
    ["brokerage", "--group-by", "sector"],
    ["status"],
]


class Statements(logging.Handler):
    """The Cypher of every RUN message the driver sends while installed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sent: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if "C: RUN " in text:
            self.sent.append(text.split("C: RUN ", 1)[1])

    def count(self, query: str) -> int:
        return sum(repr(query) in line for line in self.sent)


@pytest.fixture
def wire() -> Iterator[Statements]:
    logger = logging.getLogger("neo4j")
    handler, level = Statements(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def schema_statements_in(sent: list[str]) -> list[str]:
    ddl = [*schema.statements(), "CALL db.awaitIndexes"]
    return [line for line in sent if any(statement in line for statement in ddl)]


@pytest.mark.parametrize("args", READ_ONLY, ids=lambda args: " ".join(args))
def test_a_read_only_command_sends_no_schema_statement_and_one_opening_read(
    case_env: dict[str, str], wire: Statements, args: list[str]
) -> None:
    result = runner.invoke(app, args, env=case_env)
    assert result.exit_code == 0, result.output
    assert wire.sent, "the driver's RUN messages were not seen"
    assert schema_statements_in(wire.sent) == []
    assert wire.count(queries.get("meta/opening").body) == 1
    assert wire.count(queries.get("meta/pending").body) == 0 or args == ["status"]


def test_an_older_schema_is_still_brought_up_to_date_by_a_command_that_needs_it(
    case_env: dict[str, str], example: KnowledgeBase, wire: Statements
) -> None:
    example.driver.execute_query(
        "MATCH (s:KbMeta {key: 'schema'}) SET s.version = $old",
        {"old": schema.SCHEMA_VERSION - 1},
        database_=example.database,
    )
    wire.sent.clear()
    result = runner.invoke(app, ["why", "p-kdiallo", "p-lsimard"], env=case_env)
    assert result.exit_code == 0, result.output
    assert schema_statements_in(wire.sent) != []
    assert example.read_one("meta/opening")["schema_version"] == schema.SCHEMA_VERSION


def test_an_unfinished_write_is_still_announced_before_the_answer(
    case_env: dict[str, str], example: KnowledgeBase
) -> None:
    example.write_one("meta/pending_begin", key="pending:import:t", kind="import", source="x.csv")
    result = runner.invoke(app, ["why", "p-kdiallo", "p-lsimard"], env=case_env)
    assert result.exit_code == 0, result.output
    assert "Warning: A import of x.csv started" in result.stderr
    assert "did not finish" in result.stderr
