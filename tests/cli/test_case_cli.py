"""The CLI on the example case: every analysis answers, in JSON, with the documented shape."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli import ExitCode, app
from kb.cli.render import cell
from tests.support import run_json

pytestmark = pytest.mark.neo4j
runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "quebec-wg"


def test_import_cli_reports_and_reimports_nothing_new(cli_env: dict[str, str]) -> None:
    first = runner.invoke(app, ["import", str(EXAMPLE), "-f", "json"], env=cli_env)
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["outcomes"]["ties"] == {"created": 220}
    again = run_json(cli_env, "import", str(EXAMPLE))
    assert all(set(o) == {"unchanged"} for o in again["outcomes"].values())
    dry = runner.invoke(app, ["import", str(EXAMPLE), "--dry-run"], env=cli_env)
    assert dry.exit_code == 0 and "Dry run, nothing written" in dry.output


def test_bad_import_is_exit_5_with_file_row_column(cli_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "ties.csv").write_text("source;target;type;start\nx;y;ADVICE;2016-13\n")
    result = runner.invoke(app, ["import", str(tmp_path)], env=cli_env)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "nothing was written" in result.stderr
    assert "ties.csv:2:start:" in result.stderr
    assert "ties.csv:2:source:" in result.stderr  # unknown actor x
    missing = runner.invoke(app, ["import", str(tmp_path / "nope")], env=cli_env)
    assert missing.exit_code == ExitCode.INVALID_INPUT


def test_analyses_answer_on_the_example(case_env: dict[str, str]) -> None:
    broker = run_json(case_env, "brokerage", "--group-by", "sector")
    assert set(broker) == {
        "at",
        "group_by",
        "types",
        "min_evidence",
        "triangulated",
        "coders",
        "network",
        "actors",
    }
    assert set(broker["network"]) == {
        "coordinator",
        "itinerant",
        "representative",
        "gatekeeper",
        "liaison",
        "total",
    }
    assert set(broker["network"]["total"]) == {"raw", "expected", "sd", "z"}
    assert set(broker["actors"][0]) == {"id", "name", "group", "roles"}

    cent = run_json(case_env, "centrality", "--weight", "weight")
    assert set(cent["actors"][0]) >= {
        "id",
        "name",
        "degree",
        "betweenness",
        "betweenness_normalized",
        "constraint",
        "effective_size",
    }

    evolution = run_json(case_env, "evolution", "--by", "stage")
    assert [r["period"] for r in evolution] == ["problem-definition", "mobilization"]
    # the case's story: more community-public ties in the second stage
    assert evolution[1]["between_pairs"] > evolution[0]["between_pairs"]

    broken = run_json(case_env, "reforms", "broken-ties", "--reform", "bill-10", "--window", "15m")
    assert broken and all(t["evidence"] for t in broken)

    consensus = run_json(case_env, "consensus", "--by", "stage")
    first = {
        r["problem"]: r["share_agree"] for r in consensus if r["period"] == "problem-definition"
    }
    second = {r["problem"]: r["share_agree"] for r in consensus if r["period"] == "mobilization"}
    assert all(second[p] >= first[p] for p in first)  # positions converge

    legit = run_json(
        case_env, "legitimacy", "--from", "community", "--to", "public", "--by", "stage"
    )
    assert {r["period"] for r in legit} == {"problem-definition", "mobilization"}
    reach = run_json(
        case_env, "legitimacy", "--from", "community", "--to", "public", "--source", "p-kdiallo"
    )
    assert reach and all(r["actors"][0] == "p-kdiallo" for r in reach)

    change = run_json(case_env, "reforms", "brokerage-change", "--reform", "bill-10")
    assert change["actors"] and change["before"] == "2015-03-31"

    why = run_json(case_env, "why", "p-kdiallo", "p-lsimard")
    assert why and why[0]["evidence"] and why[0]["evidence"][0]["quote"]
    timeline = run_json(case_env, "timeline", "p-lsimard")
    assert {r["kind"] for r in timeline} >= {"tie", "membership", "meeting", "position"}


def test_csv_output_and_query_run(case_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["reforms", "list", "-f", "csv"], env=case_env)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["bill-10", "bill-20"]
    stages = run_json(case_env, "query", "run", "network/stages")
    assert [s["id"] for s in stages] == ["problem-definition", "mobilization"]
    bad = runner.invoke(app, ["query", "run", "network/stages", "-p", "x=1"], env=case_env)
    assert bad.exit_code == ExitCode.USAGE
    shown = runner.invoke(
        app,
        [
            "query",
            "show",
            "brokerage/pairs_of_broker",
            "--browser",
            "-p",
            "broker=p-lsimard",
            "-p",
            "group_by=sector",
        ],
    )
    part_one, part_two = shown.stdout.split("\n\n")
    assert (
        ":param [{broker, group_by, types, at_first, at_last, min_evidence, triangulated, coders}] "
        "=> "
        '{ RETURN "p-lsimard" AS' in part_one
    )
    assert "null AS types" in part_one and '"sector" AS group_by' in part_one
    assert "0 AS min_evidence, false AS triangulated" in part_one
    assert part_two.startswith("// 2. Then run the query.\nMATCH") and ";" not in part_two
    # Declared defaults: without -p max_hops the path query still finds the 2-hop path.
    paths = run_json(
        case_env, "query", "run", "paths/shortest", "-p", "from=p-kdiallo", "-p", "to=ciusss-cn"
    )
    assert paths and {p["hops"] for p in paths} == {2}
    by_kb_paths = run_json(case_env, "paths", "p-kdiallo", "ciusss-cn")["paths"]
    assert [p["actors"] for p in paths] == [p["actors"] for p in by_kb_paths]
    shown = runner.invoke(
        app, ["query", "show", "paths/shortest", "--browser", "-p", "from=a", "-p", "to=b"]
    )
    assert "6 AS max_hops" in shown.stdout
    missing = runner.invoke(app, ["query", "run", "paths/shortest", "-p", "from=a"], env=case_env)
    assert missing.exit_code == ExitCode.USAGE and "-p to=VALUE" in missing.stderr
    writes = runner.invoke(
        app, ["query", "run", "admin/delete_batch", "-p", "limit=1"], env=case_env
    )
    assert writes.exit_code == ExitCode.USAGE and "writes" in writes.stderr
    assert run_json(case_env, "status")["nodes"] > 0  # nothing was deleted


def test_add_link_and_end_tie_from_the_cli(case_env: dict[str, str]) -> None:
    added = run_json(
        case_env,
        "add",
        "evidence",
        "--id",
        "ev-new",
        "--kind",
        "interview",
        "--date",
        "2019-02",
        "--quote",
        "Nous avons [enfin] un contact.",
    )
    assert {k: added[k] for k in ("table", "id", "outcome")} == {
        "table": "evidence",
        "id": "ev-new",
        "outcome": "created",
    }
    assert {"field": "quote", "old": "", "new": "Nous avons [enfin] un contact."} in added[
        "changes"
    ]
    tie = run_json(
        case_env,
        "add",
        "tie",
        "--source",
        "p-kdiallo",
        "--target",
        "ciusss-cn",
        "--type",
        "information",
        "--start",
        "2019-01",
        "--evidence",
        "ev-new",
    )
    linked = run_json(case_env, "link", "ev-0001", "--tie", tie["id"])
    assert linked["evidence"] == ["ev-new", "ev-0001"]
    ended = run_json(case_env, "end-tie", tie["id"], "--on", "2019-06")
    assert ended["end"] == "2019-06"
    why = run_json(case_env, "why", "p-kdiallo", "ciusss-cn", "--at", "2019-03")
    assert [w["tie"] for w in why] == [tie["id"]]
    quotes = [e["quote"] for e in why[0]["evidence"]]
    assert "Nous avons [enfin] un contact." in quotes
    bad = runner.invoke(
        app,
        ["add", "tie", "--source", "p-kdiallo", "--target", "ghost", "--type", "INFO"],
        env=case_env,
    )
    assert bad.exit_code == ExitCode.INVALID_INPUT and "ghost" in bad.stderr
    gone = runner.invoke(app, ["end-tie", "t-none", "--on", "2019"], env=case_env)
    assert gone.exit_code == ExitCode.NOT_FOUND


TABLE_COMMANDS = [
    ["brokerage", "--group-by", "sector", "--top", "8"],
    ["centrality", "--top", "8"],
    ["evolution", "--by", "year"],
    ["consensus", "--by", "stage"],
    ["legitimacy", "--from", "community", "--to", "public"],
    ["reforms", "broken-ties", "--reform", "bill-10"],
    ["why", "p-kdiallo", "p-lsimard"],
    ["timeline", "p-kdiallo"],
    ["status"],
]
ROLE_COUNTS = [f"roles_{r}_raw" for r in ("coordinator", "itinerant", "representative")]
# The CSV columns (docs/output.md) that each table shows; the rest of the CSV is not shown.
SHOWN = {
    "brokerage": ["id", "group", *ROLE_COUNTS, "roles_total_raw", "roles_total_z"],
    "centrality": ["id", "degree", "betweenness", "constraint", "effective_size"],
    "evolution": ["period", "actors", "pairs", "density", "ei_index", "formed", "dissolved"],
    "consensus": ["problem", "period", "actors", "agree", "share_agree", "meetings"],
    "legitimacy": ["period", "source", "has_ties", "reached", "min_hops", "brokers_total"],
    "reforms": ["tie", "type", "start", "end"],
    "why": ["tie", "type", "start", "end", "evidence_id", "evidence_kind", "evidence_date"],
    "timeline": ["date", "end", "kind", "other", "id", "evidence"],
    "status": ["uri", "server_version", "edition", "database", "nodes", "relationships"],
}


def as_shown(value: str) -> str:
    """A CSV value as a table prints it (floats to four significant digits)."""
    try:
        number = float(value)
    except ValueError:
        return value
    return value if re.fullmatch(r"-?\d+", value) else cell(number)


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("command", TABLE_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_tables_fit_the_terminal_and_never_break_a_value(
    case_env: dict[str, str], command: list[str], columns: int
) -> None:
    env = {**case_env, "COLUMNS": str(columns)}
    table = runner.invoke(app, command, env=env)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines and all(len(line.rstrip()) <= columns for line in lines), table.stdout
    tokens = set(table.stdout.split())
    hidden = ""
    if "Not shown at" in table.stderr:
        hidden = table.stderr.split("Not shown at", 1)[1].split(".", 1)[0]
    # Every id, number and date of a row the table shows is whole on one line.
    as_csv = runner.invoke(app, [*command, "--format", "csv"], env=env)
    checked = 0
    for row in csv.DictReader(io.StringIO(as_csv.stdout)):
        key = row.get("id") or next(iter(row.values()))
        if key and " " not in key and key not in tokens:
            continue  # a row the table leaves out (--top)
        for name in SHOWN[command[0]]:
            value = as_shown(row[name])
            if value and " " not in value and name.removeprefix("evidence_") not in hidden:
                assert value in tokens, (name, value)
                checked += 1
    assert checked or hidden  # (a table too narrow for the ids leaves their rows unchecked)


def test_wide_keeps_every_column_as_records_when_narrow(case_env: dict[str, str]) -> None:
    env = {**case_env, "COLUMNS": "80"}
    narrow = runner.invoke(app, ["evolution", "--by", "year"], env=env)
    assert "Not shown at 80 columns:" in narrow.stderr
    for args in (["--wide", "evolution", "--by", "year"], ["evolution", "--by", "year", "--wide"]):
        wide = runner.invoke(app, args, env=env)
        assert wide.exit_code == 0 and "Not shown" not in wide.stderr
        assert all(len(line.rstrip()) <= 80 for line in wide.stdout.splitlines())
        assert "between_pairs" in wide.stdout and "ei_index" in wide.stdout


def test_help_paragraphs_wrap_between_words(case_env: dict[str, str]) -> None:
    shown = runner.invoke(app, ["brokerage", "--help"], env={"COLUMNS": "80"})
    text = " ".join(line.strip(" │") for line in shown.stdout.splitlines())
    assert "itinerant (a, c share a group b is not in)" in " ".join(text.split())
    assert all(len(line) <= 80 for line in shown.stdout.splitlines())
