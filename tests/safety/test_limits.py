"""Validation knows the limits Neo4j enforces, readers bound what they accept, and an import
the database stops anyway says what was written: no traceback on bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from neo4j.exceptions import Neo4jError
from typer.testing import CliRunner

from kb.cli import ExitCode, app
from kb.graph import KnowledgeBase
from kb.model import MAX_INDEXED_TEXT_BYTES

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def invoke(env: dict[str, str], *args: str) -> Any:
    result = runner.invoke(app, list(args), env=env)
    # A traceback would show as an exception other than the SystemExit of typer.Exit.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def write_table(folder: Path, table: str, rows: list[dict[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def count(kb: KnowledgeBase, query: str = "MATCH (n:Actor) RETURN count(n)") -> int:
    return int(kb.driver.execute_query(query).records[0][0])


@pytest.mark.parametrize("char", ["a", "é", "漢"])
def test_the_index_key_limit_is_the_one_neo4j_enforces(
    kb: KnowledgeBase, cli_env: dict[str, str], char: str
) -> None:
    width = len(char.encode())
    fits = char * (MAX_INDEXED_TEXT_BYTES // width)
    kb.add("actors", {"id": "fits", "name": fits})
    assert count(kb) == 1
    too_long = char * (MAX_INDEXED_TEXT_BYTES // width + 1)
    with pytest.raises(Neo4jError, match="too large to index"):
        kb.driver.execute_query("CREATE (:Actor {id: 'raw', name: $name})", name=too_long)
    result = runner.invoke(app, ["add", "person", "--id", "big", "--name", too_long], env=cli_env)
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert f"at most {MAX_INDEXED_TEXT_BYTES} bytes" in result.stderr
    assert count(kb) == 1


def test_dry_run_finds_a_name_over_the_index_limit_and_import_writes_nothing(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    rows = [{"id": f"p{i}", "name": f"Person {i}", "sector": "community"} for i in range(6000)]
    rows[5500]["name"] = "x" * 9000
    organizations = [{"id": "o1", "name": "Org", "kind": "k" * 8200}]
    write_table(tmp_path / "case", "actors", rows)
    write_table(tmp_path / "case", "organizations", organizations)
    for args in (["--dry-run"], []):
        result = invoke(cli_env, "import", str(tmp_path / "case"), *args)
        assert result.exit_code == ExitCode.INVALID_INPUT, result.output
        assert "actors.csv:5502:name: name is 9000 bytes long" in result.stderr
        assert "organizations.csv:2:kind: kind is 8200 bytes long" in result.stderr
    assert count(kb) == 0


def test_an_import_the_database_stops_says_what_was_written(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    # Another tool indexed an extra column: the database enforces a limit kb cannot know.
    kb.driver.execute_query("CREATE INDEX other_tool IF NOT EXISTS FOR (n:Actor) ON (n.note)")
    kb.driver.execute_query("CALL db.awaitIndexes(60)")
    try:
        rows = [{"id": f"p{i}", "name": f"P {i}", "note": "short"} for i in range(7000)]
        rows[6000]["note"] = "n" * 9000
        write_table(tmp_path / "case", "actors", rows)
        result = invoke(cli_env, "import", str(tmp_path / "case"))
        assert result.exit_code == ExitCode.ERROR, result.output
        assert "stopped while writing actors" in result.stderr
        assert "actors 5000 of 7000 rows" in result.stderr
        assert "run the same import again" in result.stderr
        assert count(kb) == 5000
    finally:
        kb.driver.execute_query("DROP INDEX other_tool IF EXISTS")


def _json(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[" * 100_000 + "]" * 100_000, "more than 32 levels deep"),
        ('{"actors": [{"id": "p", "name": ' + "[" * 40 + "]" * 40 + "}]}", "32 levels deep"),
        ('{"actors": [{"id": ' + "9" * 5000 + ', "name": "x"}]}', "integer of 5000 digits"),
        ('{"actors": [{"id": -' + "1" * 41 + ', "name": "x"}]}', "integer of 41 digits"),
    ],
)
def test_json_bounds_are_clear_errors(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path, text: str, says: str
) -> None:
    result = invoke(cli_env, "import", str(_json(tmp_path, text)), "--dry-run")
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3


def test_a_long_integer_within_bounds_is_read(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    text = json.dumps({"actors": [{"id": "p", "name": "x", "code": 10**39}]})
    result = invoke(cli_env, "import", str(_json(tmp_path, text)))
    assert result.exit_code == 0, result.output
    stored = kb.driver.execute_query("MATCH (n:Actor {id: 'p'}) RETURN n.code").records[0][0]
    assert stored == str(10**39)


def test_a_csv_cell_over_the_reader_limit(cli_env: dict[str, str], tmp_path: Path) -> None:
    write_table(tmp_path / "case", "actors", [{"id": "p", "name": "x" * 200_000}])
    result = invoke(cli_env, "import", str(tmp_path / "case"), "--dry-run")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "more than 131072 characters" in result.stderr


def test_the_cli_says_how_many_problems_it_did_not_list(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    write_table(tmp_path / "case", "ties", [{"source": "", "target": "b", "type": "X"}] * 1001)
    result = invoke(cli_env, "import", str(tmp_path / "case"), "--dry-run")
    assert result.exit_code == ExitCode.INVALID_INPUT
    lines = result.stderr.strip().splitlines()
    assert "more problem(s) not shown" in lines[-1]
    assert "only the first 200 of 1002 are listed" in lines[-1]


def test_an_id_taken_by_the_other_kind_names_its_row(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    kb.add("organizations", {"id": "shared", "name": "Org"})
    write_table(
        tmp_path / "case", "actors", [{"id": "p1", "name": "A"}, {"id": "shared", "name": "B"}]
    )
    result = invoke(cli_env, "import", str(tmp_path / "case"))
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "actors.csv:3:id: 'shared' already exists as a organization" in result.stderr
