"""Meta-tests: the docs match the CLI, every command has help, every query runs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import typer

from kb import queries
from kb.cli import app
from kb.cli.reference import markdown
from kb.graph import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]


def leaf_commands() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []

    def walk(command: Any, path: str) -> None:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, f"{path} {name}".strip())
        else:
            found.append((path, command))

    walk(typer.main.get_command(app), "")
    return found


def test_docs_commands_md_is_generated_from_the_cli() -> None:
    assert (ROOT / "docs" / "commands.md").read_text() == markdown(), (
        "docs/commands.md is stale: python -m kb.cli.reference > docs/commands.md"
    )


@pytest.mark.parametrize(("path", "command"), leaf_commands(), ids=lambda v: str(v))
def test_every_command_has_help_with_an_example(path: str, command: Any) -> None:
    assert command.help, path
    assert "Example: kb " in command.help, f"kb {path} has no Example: line"


# Commands that take --types but do not select ties for an analysis: the coverage report
# measures the evidence itself, so it shows every tie; agreement measures the coding itself,
# so it reads every coder's items.
NO_EVIDENCE_SELECTION = {"evidence coverage", "evidence agreement", "evidence disagreements"}


def test_every_command_selecting_ties_takes_the_evidence_options() -> None:
    """--types means the command selects ties; then it selects them by evidence too."""
    for path, command in leaf_commands():
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        if "--types" not in options or path in NO_EVIDENCE_SELECTION:
            continue
        assert {"--min-evidence", "--triangulated"} <= options, path


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    tops = {path.split()[0] for path, _ in leaf_commands()}
    missing = sorted(t for t in tops if f"kb {t}" not in readme)
    assert not missing, f"README's command table lacks: {missing}"


SAMPLES: dict[str, Any] = {
    "string": "x",
    "int": 3,
    "float": 1.0,
    "bool": True,
    "date": dt.date(2016, 1, 1),
    "list": [],
    "map": {"label": "Actor", "id": "x"},
}


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(queries.load_all()))
def test_every_query_is_documented_and_plans(name: str, kb: KnowledgeBase) -> None:
    query = queries.get(name)
    assert query.summary and query.returns, f"{name}: header needs a summary and returns:"
    params = {p.name: SAMPLES[p.type] for p in query.params.values()}
    kb.driver.execute_query("EXPLAIN " + query.body, params, database_=kb.database)


WRITE_CLAUSES = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DROP)\b")


@pytest.mark.parametrize("name", sorted(queries.load_all()))
def test_every_query_declares_its_mode_truthfully(name: str) -> None:
    query = queries.get(name)
    assert query.name == name  # error messages name the query by its path
    body = re.sub(r"'(?:[^'\\]|\\.)*'", "''", query.body)
    assert query.writes == bool(WRITE_CLAUSES.search(body)), f"{name}: mode: {query.mode}"


@pytest.mark.neo4j
def test_reads_and_writes_keep_to_their_mode(kb: KnowledgeBase) -> None:
    from kb.errors import QueryParameterError

    with pytest.raises(QueryParameterError, match="writes"):
        kb.read("admin/delete_batch", limit=1)
    with pytest.raises(QueryParameterError, match="only reads"):
        kb.write("meta/counts")
    with pytest.raises(QueryParameterError, match="writes"):
        kb.run_query("evidence/link", ["evidence=e", "kind=tie", "target=t"])
    # the server refuses a write in a read transaction too, whatever a header says
    from neo4j import RoutingControl
    from neo4j.exceptions import ClientError

    with pytest.raises(ClientError):
        kb.driver.execute_query(
            "CREATE (:Probe)", database_=kb.database, routing_=RoutingControl.READ
        )


def test_optional_parameters_take_their_declared_defaults() -> None:
    query = queries.get("paths/shortest")
    bound = query.bind({"from": "a", "to": "b"})
    assert bound == {
        "from": "a",
        "to": "b",
        "types": None,
        "at_first": None,
        "at_last": None,
        "max_hops": 6,
        "min_evidence": 0,
        "triangulated": False,
        "coders": None,
    }
    assert queries.get("reforms/broken_ties").bind({"reform": "r"})["window"] == "P12M"


def test_query_parameters_are_checked_before_sending() -> None:
    from kb.errors import QueryParameterError

    query = queries.get("evidence/why")
    with pytest.raises(QueryParameterError, match="missing"):
        query.check({"a": "x"})
    with pytest.raises(QueryParameterError):
        queries.parse(
            "bad", "// summary\n//\n// params:\n//   $a   string   x\n// mode: read\nRETURN $b"
        )
    with pytest.raises(QueryParameterError, match="mode"):
        queries.parse("no-mode", "// summary\n//\n// returns: x\nRETURN 1 AS x")
