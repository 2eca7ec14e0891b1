"""The CLI boundary (kb.cli.base.KbGroup.invoke): an exception that is not a KBError is a
defect; the user sees one sentence and exit code 70, the traceback only with --debug."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb import queries
from kb.cli import app
from kb.errors import ExitCode
from tests.support import check_no_defect


def _broken() -> dict[str, queries.Query]:
    raise ZeroDivisionError("division by zero in a measure")


@pytest.mark.allow_defect
def test_a_defect_is_one_sentence_and_exit_70(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "public", _broken)
    result = CliRunner().invoke(app, ["query", "list"])
    assert result.exit_code == ExitCode.DEFECT
    assert int(ExitCode.DEFECT) == 70
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    text = " ".join(lines)
    assert "kb failed unexpectedly (ZeroDivisionError: division by zero in a measure)" in text
    assert "defect in kb" in text and "--debug" in text and "report it" in text
    with pytest.raises(AssertionError, match="ended in a defect"):
        check_no_defect(["query", "list"], result)


@pytest.mark.allow_defect
def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "public", _broken)
    result = CliRunner().invoke(app, ["--debug", "query", "list"])
    assert isinstance(result.exception, ZeroDivisionError)


def test_expected_errors_keep_their_exit_code() -> None:
    result = CliRunner().invoke(app, ["query", "show", "no/such"])
    assert result.exit_code == ExitCode.USAGE
    assert "No query named 'no/such'" in result.stderr


def test_usage_errors_stay_usage_errors() -> None:
    result = CliRunner().invoke(app, ["query", "show"])
    assert result.exit_code == ExitCode.USAGE


def test_a_file_the_system_refuses_is_one_sentence_not_a_defect(tmp_path: Path) -> None:
    name = "é" * 300  # longer than any file system takes
    result = CliRunner().invoke(app, ["browser", "style", "--out", str(tmp_path / name)])
    assert result.exit_code == ExitCode.ERROR
    assert "cannot use" in result.stderr and "File name too long" in result.stderr
    assert "defect" not in result.stderr


def test_the_system_database_is_refused_before_connecting() -> None:
    result = CliRunner().invoke(
        app,
        ["--database", "system", "status"],
        env={"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"},
    )
    assert result.exit_code == ExitCode.USAGE
    assert "--database system is Neo4j's own catalogue" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["query", "list", "--format", "table"],
        ["query", "list", "--format", "csv"],
        ["query", "list", "--format", "json"],
        ["--help"],  # Click's own handling of a closed pipe ends in exit 1
        ["brokerage", "--help"],
    ],
)
def test_a_reader_that_goes_away_ends_kb_quietly_with_the_shells_code(args: list[str]) -> None:
    """`kb ... | head`: the reader closes the pipe before kb writes. Not a defect: no
    message, the exit code a shell gives a program whose reader left (128 + SIGPIPE)."""
    program = [sys.executable, "-c", "import sys; from kb.cli import main; sys.exit(main())"]
    # kb query list reads kb's own query files: no server needed
    run = subprocess.Popen(
        [*program, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert run.stdout is not None and run.stderr is not None
    run.stdout.close()
    with run.stderr:
        stderr = run.stderr.read().decode()
    assert run.wait(timeout=60) == ExitCode.BROKEN_PIPE
    assert int(ExitCode.BROKEN_PIPE) == 141
    assert stderr == ""
