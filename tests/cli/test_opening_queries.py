"""What a command sends to Neo4j before its own work, seen on the wire.

Every statement the driver sends is logged by it at DEBUG level (``C: RUN ...``); the tests
read those lines while real commands run against the example case. A read-only command on a
database whose schema is current sends no schema statement, and one opening read answers
the schema version, the unfinished writes, the journal head (provenance), the case's counts
(the empty-case check) and its consent policy: none of those is read again, and a command
sends the opening plus its own queries, no more. A database with an older schema is still
brought up to date, and an unfinished write is still announced.
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

# Each read-only command, and the RUN messages it sends in all: the opening read, then its
# own queries (named). Before the opening read answered the journal head, the counts and the
# consent policy, and the connection was checked apart, each sent 3 more (status 5 more).
READ_ONLY = {
    # the two actors, the ties between them
    "why p-kdiallo p-lsimard": 4,
    # the actor (read twice), its ties, memberships and positions in one query
    "timeline p-kdiallo": 4,
    # the coder check is skipped without --coder: the search
    "search financement": 3,
    "query run network/stages": 2,
    # the actors, the ties
    "centrality": 3,
    # the group-by check, the actors, the ties
    "brokerage --group-by sector": 4,
    # the server's version and edition, the kept fingerprint read again (kb status shows
    # it, the provenance reads it: its second read asks the database); the rest comes from
    # the opening read
    "status": 3,
    # the source actor, the group-by check; the network from the result cache (warm)
    "legitimacy --from community --to public --source p-kdiallo": 3,
}
# What the opening read answers: a command never reads these again.
ANSWERED_BY_OPENING = (
    "journal/head",
    "meta/counts",
    "consent/restricted",
    "meta/pending",
    "fingerprint/cached",
)


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


@pytest.mark.parametrize(("command", "runs"), READ_ONLY.items(), ids=list(READ_ONLY))
def test_a_read_only_command_sends_one_opening_read_and_then_only_its_own_queries(
    case_env: dict[str, str], wire: Statements, command: str, runs: int
) -> None:
    args = command.split()
    if args[0] == "legitimacy":  # its network comes from the result cache once computed
        assert runner.invoke(app, args, env=case_env).exit_code == 0
        wire.sent.clear()
    result = runner.invoke(app, args, env=case_env)
    assert result.exit_code == 0, result.output
    assert wire.sent, "the driver's RUN messages were not seen"
    assert schema_statements_in(wire.sent) == []
    assert wire.count(queries.get("meta/opening").body) == 1
    for name in ANSWERED_BY_OPENING:
        again = int(name == "fingerprint/cached" and command == "status")
        assert wire.count(queries.get(name).body) == again, f"{name} was read again"
    assert wire.count(queries.get("meta/state").body) == 0  # the opening read's state
    assert len(wire.sent) == runs, "\n".join(line[:80] for line in wire.sent)


def test_a_write_makes_the_next_reads_ask_the_database_again(
    case_env: dict[str, str], example: KnowledgeBase, wire: Statements
) -> None:
    example.opening_checks()
    before = example.read_one("journal/head")
    assert wire.count(queries.get("journal/head").body) == 0
    example.end_tie("t-099", on="2016-01-01")
    after = example.read_one("journal/head")
    assert wire.count(queries.get("journal/head").body) == 1
    assert after["data_version"] == before["data_version"] + 1


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
