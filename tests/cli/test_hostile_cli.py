"""Hostile values the issue lists (issue 18 §2), each an exit code and one sentence naming
the value, on the example case: dates of every date option and of `kb add`'s date fields,
windows, permutation counts and seeds, `kb query run` parameters and internal queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.backup import fingerprint
from kb.cli import ExitCode, app
from kb.graph import KnowledgeBase
from kb.provenance import json_result
from tests.fuzz.hostile import commands

pytestmark = pytest.mark.neo4j

runner = CliRunner()

BAD_DATES = ("", " ", "2016-1", "\n2016", "2016\n", "２０１６", "٢٠١٦", "2016-03-14 00:00:00")
DATE_OPTIONS = ("--at", "--between", "--before", "--after", "--on", "--placebo-origin")
# Values for the required parameters of the commands that take a date option.
REQUIRED = {
    "tie": "t-001",
    "folder": "out",
    "file": "out.gexf",
    "--from": "community",
    "--to": "public",
    "source": "p-lsimard",
    "target": "p-kdiallo",
    "--out": "out.png",
    "--reform": "bill-10",
    "words": "groupe",
    "text": "groupe",
    "a": "p-lsimard",
    "b": "p-kdiallo",
}


def _refused(env: dict[str, str], line: list[str], value: str) -> None:
    result = runner.invoke(app, line, env=env)
    assert result.exit_code == ExitCode.INVALID_INPUT, (line, result.output)
    assert repr(value) in result.stderr, (line, result.stderr)
    assert "expected YYYY, YYYY-MM or YYYY-MM-DD" in result.stderr


def test_every_date_option_refuses_what_is_not_a_date(
    example: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    tie = example.read_one("network/ties")["ids"][0]
    driven = []
    for command in commands():
        for param in command.params:
            option = param.opts[0]
            if option not in DATE_OPTIONS:
                continue
            line = list(command.words)
            arguments = []
            for other in command.params:
                if other.required and other is not param:
                    value = tie if other.name == "tie" else REQUIRED[other.opts[0]]
                    if other.param_type_name == "argument":
                        arguments.append(value)
                    else:
                        line += [other.opts[0], value]
            # every bad value on `--at` of one command, two on each of the others
            values = BAD_DATES if command.name == "brokerage" else BAD_DATES[2:4]
            for bad in values:
                given = [bad, "2017"] if param.nargs == 2 else [bad]
                _refused(cli_env, [*line, option, *given, "--", *arguments], bad)
            driven.append(f"{command.name} {option}")
    assert len(driven) >= 13, driven


@pytest.mark.parametrize("bad", ["2016-1", " 2016x", "２０１６"])
def test_the_date_fields_of_kb_add_refuse_what_is_not_a_date(
    example: KnowledgeBase, cli_env: dict[str, str], bad: str
) -> None:
    before = fingerprint(example)
    result = runner.invoke(
        app, ["add", "meeting", "--id", "m-hostile", "--date", bad, "--title", "x"], env=cli_env
    )
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "is not a date" in result.stderr
    assert fingerprint(example) == before


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (
            ["reforms", "broken-ties", "--reform", "bill-10", "--window", "999999999m"],
            "--window '999999999m': longer than 200 years",
        ),
        (
            ["reforms", "survival", "--reform", "bill-10", "--placebo", "-12m"],
            "--placebo '-12m': expected a number and d, w, m or y",
        ),
        (
            ["reforms", "survival", "--reform", "bill-10", "--placebo", "10000000m"],
            "--placebo '10000000m': longer than 200 years",
        ),
        (["brokerage", "--permutations", "1000000000"], "at most 100,000"),
        (["brokerage", "--permutations", str(2**63)], "at most 100,000"),
        (["brokerage", "--permutations", str(10**100)], "at most 100,000"),
        (["evolution", "--permutations", "1000000000"], "at most 100,000"),
        (["centrality", "--permutations", "1000000000"], "at most 100,000"),
        (["brokerage", "--permutations", "10", "--seed", "-1"], "--seed -1: give 0 or"),
    ],
)
def test_windows_counts_and_seeds_out_of_range_are_refused(
    case_env: dict[str, str], line: list[str], words: str
) -> None:
    if line[0] == "brokerage":
        line = [*line, "--group-by", "sector"]
    result = runner.invoke(app, line, env=case_env)
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert words in result.stderr


@pytest.mark.parametrize(
    ("params", "words"),
    [
        (
            ["evidence/search", "-p", "query=null", "-p", "fetch=null", "-p", "limit=null"],
            "$query (string) is required and cannot be null",
        ),
        (["evidence/supports", "-p", "ids=[1,2]"], "expected a JSON array of strings"),
        (
            ["evidence/search", "-p", "query=x", "-p", "fetch=1", "-p", f"limit={2**63}"],
            "Neo4j's integers lie between",
        ),
        (
            ["evidence/search", "-p", "query=x", "-p", "fetch=-1", "-p", "limit=1"],
            "Neo4j refused evidence/search with these parameters: ",
        ),
        (["network/ties", "-p", "min_evidence=null"], "defaults to 0 and cannot be null"),
        (["network/ties", "-p", "at_first= 2016"], "no space or line break around it"),
        (["import/ties_state"], "import/ties_state is internal to kb"),
        (["qda/actors"], "qda/actors is internal to kb"),
    ],
)
def test_query_run_checks_values_before_sending_them(
    case_env: dict[str, str], params: list[str], words: str
) -> None:
    result = runner.invoke(app, ["query", "run", *params], env=case_env)
    assert result.exit_code == ExitCode.USAGE, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert words in " ".join(lines)


def test_internal_queries_are_not_listed() -> None:
    result = runner.invoke(app, ["query", "list", "-f", "json"])
    assert result.exit_code == 0
    names = {row["name"] for row in json_result(json.loads(result.stdout))}
    assert "evidence/search" in names
    assert not {n for n in names if n.startswith(("import/", "qda/"))}
