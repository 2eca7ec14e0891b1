"""What people type (issue 17 §4): actor names for ids, an empty database, one report of
a bad field, the period of observation, and help that shows real commands."""

from __future__ import annotations

import json
import shlex
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from kb.cli import app
from kb.cli.base import command_names
from kb.cli.data import ADD_COMMANDS, ADD_EXAMPLES
from kb.errors import ExitCode
from kb.graph import KnowledgeBase
from kb.provenance import json_result

runner = CliRunner()


def kb_run(args: list[str], env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, args, env=env)


def commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = []
    for name, sub in sorted(getattr(group, "commands", {}).items()):
        found.append(((*path, name), sub))
        found += commands(sub, (*path, name))
    return found


ROOT = typer.main.get_command(app)
EVERY_COMMAND = commands(ROOT)


# -- help ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [p for p, _ in EVERY_COMMAND] + [()], ids=" ".join)
def test_help_shows_no_type_after_a_flag(path: tuple[str, ...]) -> None:
    result = kb_run([*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout
    assert "--help" in result.stdout


def test_top_level_help_names_every_command_and_every_command_of_each_group() -> None:
    shown = kb_run(["--help"], env={"COLUMNS": "100"}).stdout.replace("│", " ")
    text = " ".join(shown.split())
    for name, command in ROOT.commands.items():  # type: ignore[attr-defined]
        assert f" {name} " in text
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names = command_names(_group(name))
            assert set(names) == set(subcommands)
            assert f"Commands: {', '.join(names)}." in text, name
    assert "waves" in command_names(_group("export"))
    assert "survival" in command_names(_group("plot"))


def _group(name: str) -> typer.Typer:
    for group in app.registered_groups:
        if group.name == name and group.typer_instance is not None:
            return group.typer_instance
    raise AssertionError(name)


@pytest.mark.parametrize(
    "path,command", EVERY_COMMAND, ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_examples_use_real_options_and_no_placeholders(path: tuple[str, ...], command: Any) -> None:
    lines = [line for line in (command.help or "").splitlines() if line.startswith("Example:")]
    if getattr(command, "commands", None):
        return  # a group: its commands have the examples
    assert lines, f"kb {' '.join(path)} has no example"
    words = shlex.split(lines[0].removeprefix("Example:").split("&&")[-1])
    assert "..." not in words
    options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
    given = [w.split("=")[0] for w in words if w.startswith("--")]
    assert set(given) <= options | {"--wide"}, path


@pytest.mark.neo4j
def test_every_add_example_runs_on_the_example_case(case_env: dict[str, str]) -> None:
    for noun, table in ADD_COMMANDS.items():
        result = kb_run(["add", noun, *shlex.split(ADD_EXAMPLES[table])], env=case_env)
        assert result.exit_code == 0, (noun, result.output)
    # The examples of `link`, `end-tie`, `why` and `timeline` too.
    for args in (
        ["link", "ev-0507", "--tie", "t-028"],
        ["end-tie", "t-028", "--on", "2019-03"],
        ["why", "Louise Simard", "p-mgagnon", "--at", "2015-03"],
        ["timeline", "Louise Simard"],
    ):
        result = kb_run(args, env=case_env)
        assert result.exit_code == 0, (args, result.output)


# -- actors by name -----------------------------------------------------------------------------


def answer(result: Any) -> Any:
    """The JSON a command printed, without its provenance (which records the words typed)."""
    return json_result(json.loads(result.stdout))


@pytest.mark.neo4j
def test_an_actor_name_works_wherever_an_id_does(case_env: dict[str, str]) -> None:
    by_id = kb_run(["timeline", "p-lsimard", "-f", "json"], env=case_env)
    assert by_id.exit_code == 0 and json.loads(by_id.stdout)
    for name in ("Louise Simard", "louise simard", "LOUISE  SIMARD", "Lôuise Simârd"):
        result = kb_run(["timeline", name, "-f", "json"], env=case_env)
        assert result.exit_code == 0 and answer(result) == answer(by_id), name
    cases = [
        (["why", "p-lsimard", "p-mgagnon"], ["why", "Louise Simard", "Martine Gagnon"]),
        (
            ["paths", "p-kdiallo", "ciusss-cn"],
            ["paths", "Kadiatou Diallo", "CIUSSS du Centre-Nord (fictional)"],
        ),
        (
            ["legitimacy", "--from", "community", "--to", "public", "--source", "p-kdiallo"],
            ["legitimacy", "--from", "community", "--to", "public", "--source", "kadiatou diallo"],
        ),
        (
            ["search", "groupe", "--actor", "p-lsimard"],
            ["search", "groupe", "--actor", "Louise Simard"],
        ),
    ]
    for ids, names in cases:
        expected = kb_run([*ids, "-f", "json"], env=case_env)
        result = kb_run([*names, "-f", "json"], env=case_env)
        assert expected.exit_code == 0 and json.loads(expected.stdout), ids
        assert result.exit_code == 0 and answer(result) == answer(expected), names
    added = kb_run(
        [
            "add",
            "tie",
            "--source",
            "Louise Simard",
            "--target",
            "kadiatou diallo",
            "--type",
            "ADVICE",
            "-f",
            "json",
        ],
        env=case_env,
    )
    assert added.exit_code == 0, added.output
    changes = {c["field"]: c["new"] for c in json.loads(added.stdout)["changes"]}
    assert (changes["source"], changes["target"]) == ("p-lsimard", "p-kdiallo")


@pytest.mark.neo4j
def test_a_shared_name_lists_the_actors_and_a_near_miss_suggests(
    case_env: dict[str, str], example: KnowledgeBase
) -> None:
    twin = kb_run(["add", "person", "--id", "p-lsimard2", "--name", "Louise Simard"], env=case_env)
    assert twin.exit_code == 0
    result = kb_run(["timeline", "louise simard"], env=case_env)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "p-lsimard (Louise Simard)" in result.stderr and "p-lsimard2" in result.stderr
    result = kb_run(["why", "p-kdiallo", "Louise Simar"], env=case_env)
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "Did you mean p-lsimard (Louise Simard)" in result.stderr
    result = kb_run(["paths", "Diallo", "p-lsimard"], env=case_env)
    assert result.exit_code == ExitCode.NOT_FOUND and "FROM: no actor" in result.stderr
    assert "p-kdiallo (Kadiatou Diallo)" in result.stderr


# -- an empty database --------------------------------------------------------------------------


@pytest.mark.neo4j
def test_an_empty_database_is_said_to_be_empty(cli_env: dict[str, str], tmp_path: Any) -> None:
    for args in (
        ["brokerage"],
        ["centrality"],
        ["evolution", "--by", "year"],
        ["consensus"],
        ["legitimacy", "--from", "community", "--to", "public"],
        ["reforms", "list"],
        ["reforms", "broken-ties", "--reform", "bill-10"],
        ["evidence", "coverage"],
        ["search", "groupe"],
        ["export", "csv", str(tmp_path / "csv")],
        ["export", "gexf", str(tmp_path / "x.gexf")],
        ["export", "qdc", str(tmp_path / "x.qdc")],
        ["report", "--out", str(tmp_path / "r.html")],
        ["view", "--out", str(tmp_path / "v.html")],
    ):
        result = kb_run(args, env=cli_env)
        assert result.exit_code == ExitCode.NOT_FOUND, (args, result.output)
        assert "holds no case" in result.stderr and "kb import" in result.stderr, args


# -- one report of one bad field ----------------------------------------------------------------


@pytest.mark.neo4j
def test_one_bad_field_is_reported_once(case_env: dict[str, str]) -> None:
    result = kb_run(["add", "evidence", "--id", "ev-x", "--kind", "interviw"], env=case_env)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.stderr.count("interviw") == 1, result.stderr


# -- the period of observation ------------------------------------------------------------------


@pytest.mark.neo4j
def test_an_open_tie_is_observed_until_the_end_of_observation(case_env: dict[str, str]) -> None:
    added = kb_run(
        [
            "add",
            "tie",
            "--source",
            "p-lsimard",
            "--target",
            "p-kdiallo",
            "--type",
            "ADVICE",
            "--start",
            "2019-01",
            "-f",
            "json",
        ],
        env=case_env,
    )
    tie = json.loads(added.stdout)["id"]
    refused = kb_run(["brokerage", "--at", "2019-06"], env=case_env)
    assert refused.exit_code == ExitCode.INVALID_INPUT
    # The message names the record that sets the end, and how to declare another.
    assert f"start of TIE {tie}" in refused.stderr and "--observed-until" in refused.stderr
    declared = kb_run(
        ["add", "case", "--id", "quebec-wg", "--name", "WG", "--observed-until", "2019-06-30"],
        env=case_env,
    )
    assert declared.exit_code == 0
    shown = kb_run(["why", "p-lsimard", "p-kdiallo", "--at", "2019-06", "-f", "json"], env=case_env)
    assert shown.exit_code == 0 and tie in {t["tie"] for t in json_result(json.loads(shown.stdout))}
    assert kb_run(["brokerage", "--at", "2019-06"], env=case_env).exit_code == 0
    survival = kb_run(["reforms", "survival", "--reform", "bill-10", "-f", "json"], env=case_env)
    assert "followed to 2019-06-30" in survival.stderr
    assert "declared: observed_until of case quebec-wg" in survival.stderr
    late = kb_run(["brokerage", "--at", "2019-07"], env=case_env)
    assert late.exit_code == ExitCode.INVALID_INPUT
    assert "observed_until of case quebec-wg" in late.stderr
