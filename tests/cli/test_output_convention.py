"""One output convention (docs/output.md), checked on every command that prints data.

The commands are taken from the Typer app: every command with a ``--format`` option must be
in RUNS below, with arguments that work on the example case, so that a new command cannot
be forgotten. Each runs with ``-f json`` and ``-f csv``; the CSV is read back with the csv
module and must hold one record per row with no line break in any cell, the same fields as
the JSON records (flattened here by the documented rule, independently of kb's code), ids
that exist in the database in the id columns and ISO partial dates in the date columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from kb.cli import app
from kb.cli.data import ADD_COMMANDS
from kb.graph import KnowledgeBase
from kb.provenance import json_result
from tests.support import EXAMPLE

pytestmark = pytest.mark.neo4j
runner = CliRunner()


@dataclass(frozen=True)
class Run:
    """How to run a command on the example, and where docs/output.md puts its records."""

    args: tuple[str, ...]
    key: str | None = None  # the records' list inside the JSON object
    carry: tuple[str, ...] = ()  # fields of each enclosing result copied onto its records
    explode: str | None = None  # a list field with one row per item
    prefix: str | None = None
    # fields that differ between the JSON and the CSV run on purpose: the page's size, as
    # its provenance records the command line (--format json or csv)
    varies: tuple[str, ...] = ()
    # commands run first (once): what the command needs beyond the example's CSV case
    before: tuple[tuple[str, ...], ...] = ()
    # the CSV run's arguments, for a write that cannot be made twice (a withdrawal)
    again: tuple[str, ...] | None = None


REFORM = ("--reform", "bill-10")
QDPX = str(EXAMPLE / "qda" / "entretiens.qdpx")  # two coders: a disagreement to settle
WITHDRAWN = ("--policy", "anonymise", "--why", "asked to withdraw")
RUNS: dict[str, Run] = {
    "status": Run(()),
    "server status": Run(()),
    "browse": Run(()),
    "import": Run((str(EXAMPLE),), key="summary"),
    "brokerage": Run(("--permutations", "20", "--seed", "1"), key="actors"),
    "centrality": Run((), key="actors"),
    "paths": Run(
        ("p-lsimard", "ciusss-cn", "--evidence"), key="paths", explode="ties", prefix="tie"
    ),
    "legitimacy": Run(("--from", "community", "--to", "public", "--by", "stage")),
    "evolution": Run(("--by", "year", "--permutations", "20", "--seed", "1")),
    "consensus": Run(
        (
            "--by",
            "stage",
        )
    ),
    "robustness": Run(("--by", "coder"), key="coders"),
    "why": Run(("p-lsimard", "p-mgagnon"), explode="evidence"),
    "timeline": Run(("p-lsimard",)),
    "search": Run(("aide",)),
    "evidence coverage": Run((), key="ties"),
    "query list": Run(()),
    "query run": Run(("evidence/why", "-p", "a=p-lsimard", "-p", "b=p-mgagnon")),
    "reforms list": Run(()),
    "reforms broken-ties": Run(REFORM),
    "reforms brokerage-change": Run(REFORM, key="actors"),
    "reforms survival": Run(REFORM, key="ties"),
    "view": Run(("--out", "{tmp}/case.html"), varies=("bytes",)),
    "evidence agreement": Run(("--seed", "1"), key="rows", before=(("import", QDPX),)),
    "evidence disagreements": Run(()),
    "changes": Run(("--since", "@1")),
    "history": Run(("t-001",)),
    "verify": Run(("{tmp}/case.html",)),  # the page just written
    "link": Run(("ev-0014", "--tie", "t-099")),
    "end-tie": Run(("t-099", "--on", "2019-06")),
    # after every read: they write (the same data again, or a backup of it)
    "backup": Run(("{tmp}/case.zip",)),
    "restore": Run(("{tmp}/case.zip", "--force")),
    "evidence settle": Run(("{unit}", "--keep", "--why", "as the team decided")),
    "publish": Run(("{tmp}/package", "--force"), key="files"),
    "withdraw": Run(
        ("p-fouellet", *WITHDRAWN),
        again=("p-ebouchard", *WITHDRAWN),
        varies=("date", "anonymous_id", "evidence_removed", "relationships", "texts_masked"),
    ),
    **{f"add {noun}": Run((), explode="changes", prefix="change") for noun in ADD_COMMANDS},
}
MORE_RUNS = {  # the same commands in another shape of their result
    "brokerage --by": Run(("brokerage", "--by", "stage"), key="actors", carry=("period",)),
    "legitimacy --source": Run(
        ("legitimacy", "--from", "community", "--to", "public", "--source", "p-lsimard")
    ),
}

# Columns that hold ids (of actors, ties, evidence, ...; lists as "a; b") unless they hold a
# count (evolution's actors), and dates.
ID_COLUMNS = {
    "id", "tie", "source", "target", "actor", "other", "problem", "organization", "document",
    "evidence", "actors", "ties", "targets", "brokers", "exposed_via", "memberships",
    "meetings", "positions", "tie_id", "tie_evidence", "evidence_id", "evidence_document",
}  # fmt: skip
DATE_NAMES = {"date", "start", "end", "first", "last", "until", "origin", "arrival"}
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def data_commands() -> Iterator[str]:
    """Every command of the app with a --format option, by its words (``reforms list``)."""

    def walk(command: Any, words: list[str]) -> Iterator[str]:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from walk(sub, [*words, name])
        elif any(p.name == "fmt" for p in command.params):
            yield " ".join(words)

    yield from walk(typer.main.get_command(app), [])


def add_arguments(noun: str) -> list[str]:
    """`kb add NOUN` with the example's first row of its table: the same data again."""
    table = ADD_COMMANDS[noun]
    path = EXAMPLE / f"{table}.csv"
    if not path.exists():  # the example has no case table: a case of its own
        return ["--id", "case-1", "--name", "Test case"]
    with open(path, encoding="utf-8-sig", newline="") as stream:
        row = next(csv.DictReader(stream))
    command = typer.main.get_command(app).commands["add"].commands[noun]  # type: ignore[attr-defined]
    options = {o for p in command.params for o in p.opts}
    given = {f"--{k.replace('_', '-')}": v for k, v in row.items() if v}
    extra = [f"{k[2:]}={v}" for k, v in given.items() if k not in options]
    return [
        *(a for k, v in given.items() if k in options for a in (k, v)),
        *(a for e in extra for a in ("--prop", e)),
    ]


def records(data: Any, run: Run) -> list[dict[str, Any]]:
    results = data if isinstance(data, list) else [data]
    if run.key is None:
        return [dict(r) for r in results]
    return [{**{c: r[c] for c in run.carry}, **item} for r in results for item in r[run.key]]


def leaves(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The documented flattening: nested objects as parent_child fields, lists of objects
    as their ids (or compact JSON without ids)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, Mapping):
            out.update(leaves(value, f"{prefix}{key}_"))
        elif isinstance(value, list) and value and isinstance(value[0], Mapping):
            ids = [v.get("id") for v in value]
            out[f"{prefix}{key}"] = ids if None not in ids else json.dumps(value)
        else:
            out[f"{prefix}{key}"] = value
    return out


def expected_rows(data: Any, run: Run) -> list[dict[str, Any]]:
    rows = []
    for record in records(data, run):
        if run.explode is None:
            rows.append(leaves(record))
            continue
        base = leaves({k: v for k, v in record.items() if k != run.explode})
        prefix = f"{run.prefix or run.explode}_"
        rows += [{**base, **leaves(i, prefix)} for i in record[run.explode] or [{}]]
    return rows


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(as_text(v) for v in value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return " ".join(str(value).splitlines())


def known_ids(kb: KnowledgeBase) -> set[str]:
    nodes, _, _ = kb.driver.execute_query("MATCH (n) WHERE n.id IS NOT NULL RETURN n.id AS id")
    rels, _, _ = kb.driver.execute_query(
        "MATCH ()-[r]->() WHERE r.id IS NOT NULL RETURN r.id AS id"
    )
    return {r["id"] for r in [*nodes, *rels]}


def is_date_column(name: str) -> bool:
    return name in DATE_NAMES or name.rsplit("_", 1)[-1] in DATE_NAMES


def test_every_command_prints_csv_by_the_convention(
    case_env: dict[str, str], kb: KnowledgeBase, tmp_path: Path
) -> None:
    commands = list(data_commands())
    missing = [c for c in commands if c not in RUNS]
    assert not missing, f"add these commands to RUNS (arguments for the example): {missing}"
    # in RUNS's order: reads first, then the writes
    runs = [(c, Run((*c.split(), *RUNS[c].args), **_spec(RUNS[c]))) for c in RUNS if c in commands]
    runs += list(MORE_RUNS.items())
    problems: list[str] = []
    for name, run in runs:
        for needed in run.before:
            assert runner.invoke(app, list(needed), env=case_env).exit_code == 0, needed
        args = [_filled(a, tmp_path, case_env) for a in run.args]
        if name.startswith("add "):
            args += add_arguments(name.removeprefix("add "))
            runner.invoke(app, args, env=case_env)  # so that JSON and CSV both say unchanged
        outputs = {}
        for fmt in ("json", "csv"):
            if fmt == "csv" and run.again is not None:
                args = [*name.split(), *run.again]
            result = runner.invoke(app, [*args, "--format", fmt], env=case_env)
            assert result.exit_code == 0, (name, fmt, result.output)
            outputs[fmt] = result.stdout
        document = json.loads(outputs["json"])
        problems += provenance_problems(name, document)
        problems += check(name, run, json_result(document), outputs["csv"], known_ids(kb))
    assert not problems, "\n".join(problems)


def _filled(arg: str, tmp: Path, env: dict[str, str]) -> str:
    """``arg`` with ``{tmp}`` and ``{unit}`` (the first unit coders differ on) filled in."""
    if arg == "{unit}":
        listed = runner.invoke(app, ["evidence", "disagreements", "-f", "json"], env=env)
        return str(json_result(json.loads(listed.stdout))[0]["unit"])
    return arg.replace("{tmp}", str(tmp))


# Commands whose JSON says nothing computed from the case: no provenance.
WITHOUT_CASE = {"server status", "query list", "browse"}


def provenance_problems(name: str, document: Any) -> list[str]:
    """The JSON's provenance by the convention: a top-level object, a list wrapped as
    ``{"records": [...], "provenance": {...}}``."""
    if name in WITHOUT_CASE:
        return [] if "provenance" not in document else [f"{name}: provenance without a case"]
    if not isinstance(document, dict) or not isinstance(document.get("provenance"), dict):
        return [f"{name}: no top-level provenance object"]
    provenance = document["provenance"]
    problems = [
        f"{name}: provenance lacks {key}"
        for key in (
            "kb_version",
            "schema_version",
            "data_version",
            "fingerprint",
            "command",
            "generated_at",
        )  # fmt: skip
        if key not in provenance
    ]
    if not isinstance(provenance.get("data_version"), int):
        problems.append(f"{name}: data_version {provenance.get('data_version')!r}")
    rest = set(document) - {"provenance"}
    if "records" in rest and rest != {"records"}:
        problems.append(f"{name}: records beside other fields {sorted(rest)}")
    return problems


def _spec(run: Run) -> dict[str, Any]:
    return {
        "key": run.key,
        "carry": run.carry,
        "explode": run.explode,
        "prefix": run.prefix,
        "varies": run.varies,
        "before": run.before,
        "again": run.again,
    }


def check(name: str, run: Run, data: Any, text: str, ids: set[str]) -> list[str]:
    """What is wrong with one command's CSV, by the convention."""
    table = list(csv.reader(io.StringIO(text)))
    if not table or not table[0]:
        return [f"{name}: no header"]
    header, rows = table[0], table[1:]
    expected = expected_rows(data, run)
    problems = []
    fields = list(dict.fromkeys(k for row in expected for k in row))
    if set(header) != set(fields):
        problems.append(f"{name}: CSV {header} vs JSON fields {fields}")
    if len(rows) != len(expected):
        problems.append(f"{name}: {len(rows)} CSV rows for {len(expected)} JSON records")
    for number, (row, want) in enumerate(zip(rows, expected, strict=False), start=2):
        if len(row) != len(header):
            problems.append(f"{name}:{number}: {len(row)} cells under {len(header)} columns")
            continue
        for column, value in zip(header, row, strict=True):
            where = f"{name}:{number}:{column}"
            if any(c in value for c in "\r\n\u2028\u2029\x0b\x0c\x85"):
                problems.append(f"{where}: a line break in {value!r}")
            if value.lstrip("'") != as_text(want.get(column)) and column not in run.varies:
                problems.append(f"{where}: {value!r}, the JSON has {want.get(column)!r}")
            # a count of actors or meetings is a number; their ids are text
            if column in ID_COLUMNS and value and not isinstance(want.get(column), int):
                unknown = [v for v in value.split("; ") if v not in ids]
                if unknown:
                    problems.append(f"{where}: not ids of the case: {unknown}")
            if is_date_column(column) and value:
                if not PARTIAL_DATE.match(value) or not _valid(value):
                    problems.append(f"{where}: {value!r} is not an ISO partial date")
    return problems


def _valid(text: str) -> bool:
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError:
        return False
    return True


HOSTILE = "Lou\x1b[31mise\x07 Si\u202emard\u202c"
QUOTE = "Elle nous aide \x1b[2Jbeaucoup\x07 \u202eici"
CONTROLS = ("\x1b", "\x07", "\u202e", "\u202c")


def test_stored_control_characters_never_reach_the_terminal(case_env: dict[str, str]) -> None:
    """A name and a quote holding escape sequences, a bell and a bidi override are printed
    without them by kb add, kb timeline and kb why, in tables, CSV and messages."""
    env = {**case_env, "COLUMNS": "80"}
    steps = [
        ["add", "person", "--id", "p-hostile", "--name", HOSTILE, "--sector", "community"],
        ["add", "evidence", "--id", "ev-hostile", "--kind", "interview", "--quote", QUOTE],
        [
            "add", "tie", "--id", "t-hostile", "--source", "p-hostile", "--target",
            "p-lsimard", "--type", "ADVICE", "--start", "2016", "--evidence", "ev-hostile",
        ],
        ["add", "person", "--id", "p-hostile", "--name", f"{HOSTILE}!"],  # a change, shown
        ["timeline", "p-hostile"],
        ["timeline", "p-lsimard"],
        ["why", "p-hostile", "p-lsimard"],
        ["why", "p-hostile", "p-lsimard", "-f", "csv"],
        ["search", "aide", "--actor", "p-hostile"],
    ]  # fmt: skip
    for args in steps:
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, (args, result.output)
        printed = result.stdout + result.stderr
        assert not any(c in printed for c in CONTROLS), (args, printed)
        assert any(t in printed for t in ("Louise Simard", "Elle nous aide", "t-hostile")), (
            args,
            printed,
        )
    why = runner.invoke(app, ["why", "p-hostile", "p-lsimard", "-f", "json"], env=env)
    assert (
        json.loads(why.stdout)["records"][0]["evidence"][0]["quote"] == QUOTE
    )  # the data is whole


def test_why_shows_the_quotes_at_80_columns(case_env: dict[str, str]) -> None:
    """The evidence is the point of kb why: a narrow terminal gets one block per evidence
    item, quotes included, rather than a table without them."""
    for columns in (80, 60):
        result = runner.invoke(
            app, ["why", "p-lsimard", "p-mgagnon"], env={**case_env, "COLUMNS": str(columns)}
        )
        assert result.exit_code == 0, result.output
        assert "Not shown" not in result.stderr
        assert all(len(line.rstrip()) <= columns for line in result.stdout.splitlines())
        words = " ".join(result.stdout.split())
        data = json_result(
            json.loads(
                runner.invoke(
                    app, ["why", "p-lsimard", "p-mgagnon", "-f", "json"], env=case_env
                ).stdout
            )
        )
        quotes = [e["quote"] for t in data for e in t["evidence"] if e.get("quote")]
        assert quotes and all(" ".join(q.split()) in words for q in quotes)


def test_paths_with_evidence_show_the_quotes_at_80_columns(case_env: dict[str, str]) -> None:
    args = ["paths", "p-lsimard", "ciusss-cn", "--evidence"]
    result = runner.invoke(app, args, env={**case_env, "COLUMNS": "80"})
    assert result.exit_code == 0 and "Not shown" not in result.stderr, result.output
    data = json.loads(runner.invoke(app, [*args, "-f", "json"], env=case_env).stdout)
    quotes = [e["quote"] for p in data["paths"] for t in p["ties"] for e in t["evidence"]]
    words = " ".join(result.stdout.split())
    assert quotes and all(" ".join(q.split()) in words for q in quotes)
