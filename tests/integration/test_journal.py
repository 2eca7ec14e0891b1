"""The research record (issue 20 §1, §4, §5): the journal of every write, `kb changes`,
`kb history`, a restore that keeps the history and appends to it, and answers as the case
was known at a past data version (`--known-at`), byte for byte, on the real Neo4j."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb import journal, queries
from kb.backup import backup, fingerprint, restore
from kb.cli import ExitCode, app
from kb.graph import KnowledgeBase
from tests.integration.test_import_data import write_workbook
from tests.qdpx import Sel, Src, build, span
from tests.support import EXAMPLE, write_csv_folder

pytestmark = pytest.mark.neo4j
runner = CliRunner()


def kb_out(env: dict[str, str], *args: str) -> str:
    """``kb ARGS``'s standard output, its exit code checked."""
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def kb_list(env: dict[str, str], *args: str) -> list[Any]:
    """The list a ``kb ARGS --format json`` prints (under ``records`` beside its provenance)."""
    data = json.loads(kb_out(env, *args, "--format", "json"))
    listed: list[Any] = data["records"] if isinstance(data, dict) else data
    return listed


def entries_after(base: KnowledgeBase, seq: int) -> list[journal.Change]:
    return [e for e in journal.changes(base) if e.seq > seq]


def test_every_write_query_is_journaled_or_says_why_not() -> None:
    writes = [q for q, query in queries.load_all().items() if query.writes]
    assert writes, "kb has write queries"
    for name in writes:
        if not journal.journaled(name):
            assert name.startswith("journal/") or journal.UNJOURNALED[name], name
    # Every write of the case's records is journaled: imports, add, link, end-tie, reset,
    # the QDA import's links and prunes.
    for name in ("import/ties", "ties/set_end", "evidence/link", "admin/delete_batch"):
        assert journal.journaled(name)
    assert all(journal.journaled(n) for n in writes if n.startswith(("import/", "qda/")))


def test_each_write_is_one_entry_with_who_what_why(
    example: KnowledgeBase, case_env: dict[str, str]
) -> None:
    start = journal.head(example).data_version
    assert start > 0, "the example's import is journaled"
    kb_out(case_env, "add", "person", "--id", "p-jr", "--name", "Jeanne R.", "--why", "met her")
    kb_out(case_env, "--analyst", "alice", "add", "person", "--id", "p-jr", "--name", "Jeanne")
    kb_out(case_env, "end-tie", "t-001", "--on", "2016-01", "--why", "agency closed")
    new = entries_after(example, start)
    assert [e.seq for e in new] == [start + 1, start + 2, start + 3]
    assert journal.head(example).data_version == start + 3
    created, renamed, ended = new
    assert created.why == "met her" and "add person --id p-jr" in created.command
    assert "--why" not in created.command
    assert renamed.analyst == "alice"
    change = renamed.changes[0]
    assert (change["id"], change["op"]) == ("p-jr", "updated")
    assert (change["before"], change["after"]) == ({"name": "Jeanne R."}, {"name": "Jeanne"})
    assert ended.changes[0]["before"]["end"] == "2015-03-31"
    assert ended.changes[0]["after"]["end"] == "2016-01"
    # kb changes and kb history, in JSON.
    listed = kb_list(case_env, "changes", "--since", f"@{start + 1}")
    assert [e["seq"] for e in listed] == [start + 1, start + 2, start + 3]
    mine = kb_list(case_env, "changes", "--since", f"@{start}", "--analyst", "alice")
    assert [e["seq"] for e in mine] == [start + 2]
    story = kb_list(case_env, "history", "p-jr")
    assert [(e["seq"], e["changes"][0]["op"]) for e in story if e["seq"] > start] == [
        (start + 1, "created"),
        (start + 2, "updated"),
    ]
    tie = kb_list(case_env, "changes", "--id", "t-001")
    assert [e["seq"] for e in tie][-1] == start + 3
    assert any(e["seq"] <= start and e["changes"][0]["id"] == "t-001" for e in tie), (
        "the import that created t-001 is in its history"
    )
    shown = runner.invoke(app, ["history", "p-nobody"], env=case_env)
    assert shown.exit_code == ExitCode.NOT_FOUND and "p-nobody" in shown.output


def test_no_secret_reaches_the_journal() -> None:
    shown = journal.without_secrets(
        ["--uri", "bolt://neo4j:s3cret@host:7687", "import", "x", "--password", "hunter2"]
    )
    assert "s3cret" not in shown and "hunter2" not in shown
    assert "bolt://***@host:7687" in shown


def test_reset_keeps_the_journal_and_is_an_entry(example: KnowledgeBase) -> None:
    start = journal.head(example).data_version
    counts = example.read_one("meta/counts")
    example.reset()
    assert journal.head(example).data_version == start + 1
    (entry,) = entries_after(example, start)
    assert entry.records > 0, "the reset says how many records it deleted"
    # It kept what it deleted: the case as known before it is the case it emptied.
    with example.known_at(start):
        assert example.read_one("meta/counts") == counts
    assert example.read_one("meta/counts")["nodes"] == 0


def test_an_unchanged_reimport_journals_nothing(example: KnowledgeBase) -> None:
    start = journal.head(example).data_version
    example.import_data(EXAMPLE)
    assert journal.head(example).data_version == start, "no record changed: no entry"


def test_restore_keeps_history_and_never_reuses_a_version(
    example: KnowledgeBase, tmp_path: Path
) -> None:
    saved = backup(example, tmp_path / "before.zip")
    at_backup = journal.head(example).data_version
    example.add("actors", {"id": "p-later", "name": "Later"})
    replaced = journal.head(example).data_version
    restore(example, saved.path, force=True)
    now = journal.head(example).data_version
    assert now == replaced + 1, "the restore is the next entry, after every number given"
    seqs = [e.seq for e in journal.changes(example)]
    assert seqs == list(range(1, now + 1)), "no gap: the entries since the backup are kept"
    note = journal.changes(example)[-1].changes[0]
    assert note["op"] == "restored"
    assert note["replaced"]["data_version"] == replaced
    assert note["restored"]["data_version"] == at_backup
    assert fingerprint(example) == saved.fingerprint


def test_bad_known_at_and_a_tampered_journal_are_clear_errors(
    example: KnowledgeBase, case_env: dict[str, str]
) -> None:
    last = journal.head(example).data_version
    unknown = runner.invoke(app, ["centrality", "--known-at", f"@{last + 5}"], env=case_env)
    assert unknown.exit_code == ExitCode.INVALID_INPUT
    assert f"@0 to @{last}" in unknown.output
    early = runner.invoke(app, ["centrality", "--known-at", "1999-01-01"], env=case_env)
    assert early.exit_code == ExitCode.INVALID_INPUT and "first entry" in early.output
    raw = runner.invoke(app, ["query", "run", "network/ties", "--known-at", "@1"], env=case_env)
    assert raw.exit_code != 0 and "does not apply to kb query run" in raw.output
    # Tamper: remove an entry in the middle.
    example.add("actors", {"id": "p-t1", "name": "T1"})
    example.add("actors", {"id": "p-t2", "name": "T2"})
    gone = journal.head(example).data_version - 1
    removed = example.driver.execute_query(
        "MATCH (e:KbJournal {seq: $seq}) WITH e, properties(e) AS props DELETE e RETURN props",
        {"seq": gone},
        database_=example.database,
    ).records[0]["props"]
    try:
        tampered = runner.invoke(app, ["changes"], env=case_env)
        assert tampered.exit_code == ExitCode.INVALID_INPUT
        assert f"entries {gone} to {gone} are missing" in tampered.output
        known = runner.invoke(app, ["centrality", "--known-at", "@1"], env=case_env)
        assert known.exit_code == ExitCode.INVALID_INPUT and "tampered" in known.output
    finally:  # the journal outlives the test's case: put the entry back
        example.driver.execute_query(
            "CREATE (e:KbMeta:KbJournal) SET e = $props",
            {"props": removed},
            database_=example.database,
        )


# -- §4: every recorded output reproduced at its data version ------------------------------
OUTPUTS = [
    ["centrality", "--format", "json"],
    ["why", "msss", "agence-cn", "--format", "json"],
    ["timeline", "msss", "--format", "json"],
    ["evidence", "coverage", "--format", "json"],
]


def _record(env: dict[str, str], base: KnowledgeBase, recorded: list[Any]) -> None:
    version = journal.head(base).data_version
    for args in OUTPUTS:
        recorded.append((version, args, kb_out(env, *args)))


def _content(output: str, version: int) -> str:
    """An output without its provenance's time and command line (`kb.provenance`), after
    checking that it says the data version it was computed at."""
    data = json.loads(output)
    if isinstance(data, dict) and "provenance" in data:
        stamped = data.pop("provenance")
        assert stamped["data_version"] == version
    return json.dumps(data, ensure_ascii=False, sort_keys=False)


def test_every_recorded_output_is_reproduced_at_its_data_version(
    example: KnowledgeBase, case_env: dict[str, str], tmp_path: Path
) -> None:
    draw = random.Random(20)
    recorded: list[Any] = []
    _record(case_env, example, recorded)
    ties = [
        r["id"]
        for r in example.driver.execute_query(
            "MATCH ()-[t:TIE]->() RETURN t.id AS id ORDER BY id", database_=example.database
        ).records
    ]
    actors = ["msss", "agence-cn", "p-bnadeau", "p-ebouchard"]
    evidence = ["ev-0202", "ev-0121", "ev-0076"]
    for step in range(10):
        kind = draw.choice(["add", "update", "clear", "link", "end", "import", "tie"])
        n = f"{step:02d}"
        if kind == "add":
            kb_out(case_env, "add", "person", "--id", f"p-r{n}", "--name", f"R {n}")
        elif kind == "update":
            kb_out(case_env, "add", "person", "--id", "p-bnadeau", "--name", f"Bnadeau {n}")
        elif kind == "clear":
            kb_out(case_env, "add", "tie", "--id", draw.choice(ties), "--clear", "weight")
        elif kind == "link":
            kb_out(case_env, "link", draw.choice(evidence), "--tie", draw.choice(ties))
        elif kind == "end":
            kb_out(case_env, "end-tie", draw.choice(ties), "--on", f"20{18 + step % 5}")
        elif kind == "tie":
            a, b = draw.sample(actors, 2)
            kb_out(
                case_env,
                "add",
                "tie",
                "--id",
                f"t-r{n}",
                "--source",
                a,
                "--target",
                b,
                "--type",
                "COLLABORATION",
                "--start",
                "2016",
                "--evidence",
                "ev-0202",
            )
        else:
            folder = write_csv_folder(
                tmp_path / f"import-{n}",
                {"actors": [{"id": f"p-i{n}", "name": f"Imported {n}", "sector": "community"}]},
            )
            kb_out(case_env, "import", str(folder))
        if step % 3 == 2:
            _record(case_env, example, recorded)
    _record(case_env, example, recorded)
    assert len({v for v, _, _ in recorded}) >= 4
    for version, args, output in recorded:
        again = kb_out(case_env, *args, "--known-at", f"@{version}")
        assert _content(again, version) == _content(output, version), f"{args} at @{version}"
    # Nothing was written by the reproductions.
    assert journal.head(example).data_version == recorded[-1][0]


# -- §4 across every kind of write: bulk imports, QDA prunes, a reset, a restore ------------
def _files(folder: Path) -> dict[str, bytes]:
    """The files an export wrote, without their provenance (the sidecar, GEXF's <meta>)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.endswith(".provenance.json"):
            data = path.read_bytes()
            if path.suffix == ".gexf":
                data = re.sub(rb"<meta\b.*?</meta>", b"", data, flags=re.DOTALL)
            found[str(path.relative_to(folder))] = data
    return found


def _outputs(env: dict[str, str], folder: Path, known_at: str | None = None) -> list[Any]:
    """What the recorded commands answer (as the case stands, or ``--known-at``)."""
    option = ["--known-at", known_at] if known_at else []
    version = int(known_at[1:]) if known_at else None
    answers: list[Any] = []
    for args in OUTPUTS:
        output = kb_out(env, *args, *option)
        answers.append(_content(output, version) if version is not None else output)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    kb_out(env, "export", "csv", str(folder / "csv"), *option)
    kb_out(env, "export", "gexf", str(folder / "case.gexf"), *option)
    answers.append(_files(folder))
    return answers


QDA_TEXT = (
    "Louise Simard et Martine Gagnon travaillent ensemble. "
    "Daniel Lavoie en parle souvent à Martine Gagnon."
)


def _project(path: Path, passages: list[str]) -> Path:
    """A .qdpx coding the example's actors in one interview (passages ``a`` and ``b``)."""
    codes = {
        "a": ["actors/Louise Simard", "actors/Martine Gagnon", "ties/COLLABORATION"],
        "b": ["actors/Daniel Lavoie", "actors/Martine Gagnon", "ties/COLLABORATION"],
    }
    where = {
        "a": span(QDA_TEXT, "Louise Simard et Martine Gagnon travaillent ensemble."),
        "b": span(QDA_TEXT, "Daniel Lavoie en parle souvent à Martine Gagnon."),
    }
    selections = [Sel(*where[p], codes[p], key=p) for p in passages]
    return build(path, [Src("entretien-journal", QDA_TEXT, selections)])


def test_known_at_rebuilds_every_version_across_imports_prunes_a_reset_and_a_restore(
    example: KnowledgeBase, case_env: dict[str, str], tmp_path: Path
) -> None:
    """Issue 20 §4's acceptance: outputs recorded at several data versions, then a long
    seeded random sequence of every kind of write (CSV, xlsx, JSON and .qdpx imports with
    --prune, large batches that update, adds with --clear and --replace, links, end-ties,
    a reset and a re-import, a backup and a restore); every recorded output is then given
    again byte for byte with --known-at its data version."""
    draw = random.Random(2020)
    ties = [
        r["id"]
        for r in example.driver.execute_query(
            "MATCH ()-[t:TIE]->() RETURN t.id AS id ORDER BY id", database_=example.database
        ).records
    ]
    people = ["p-lsimard", "p-dlavoie", "p-kdiallo", "p-bnadeau", "p-ebouchard"]
    evidence = ["ev-0202", "ev-0121", "ev-0076"]
    recorded: list[tuple[int, list[Any]]] = []
    saved: list[Path] = []

    def record() -> None:
        version = journal.head(example).data_version
        if not recorded or recorded[-1][0] != version:
            answers = _outputs(case_env, tmp_path / "out")
            stamped = [_content(a, version) for a in answers[:-1]] + answers[-1:]
            recorded.append((version, stamped))

    def bulk_update(n: str) -> None:
        # More rows than a detailed chunk holds: a bulk chunk that updates existing ties.
        rows = [
            {"id": t, "source": "", "target": "", "type": "", "note": f"batch {n}"}
            for t in ties[: journal.DETAIL_LIMIT + 10]
        ]
        current = {
            r["id"]: r
            for r in example.driver.execute_query(
                "MATCH (a)-[t:TIE]->(b) RETURN t.id AS id, a.id AS source, b.id AS target, "
                "t.type AS type",
                database_=example.database,
            ).records
        }
        for row in rows:
            row.update(source=current[row["id"]]["source"], target=current[row["id"]]["target"])
            row["type"] = current[row["id"]]["type"]
        example.import_data(write_csv_folder(tmp_path / f"bulk-{n}", {"ties": rows}))

    def step(kind: str, n: str) -> None:
        if kind == "csv":
            folder = write_csv_folder(
                tmp_path / f"csv-{n}",
                {"actors": [{"id": f"p-c{n}", "name": f"Csv {n}", "sector": "community"}]},
            )
            example.import_data(folder)
        elif kind == "xlsx":
            rows = [{"id": f"p-x{n}", "name": f"Xlsx {n}", "sector": "public"}]
            example.import_data(write_workbook(tmp_path / f"x-{n}.xlsx", {"actors": rows}))
        elif kind == "json":
            a, b = draw.sample(people, 2)
            tie = {"id": f"t-j{n}", "source": a, "target": b, "type": "COLLABORATION"}
            path = tmp_path / f"j-{n}.json"
            path.write_text(json.dumps({"ties": [{**tie, "start": "2017", "evidence": ""}]}))
            example.import_data(path)
        elif kind == "bulk":
            bulk_update(n)
        elif kind == "update":
            example.add("actors", {"id": draw.choice(people), "name": f"Renamed {n}"})
        elif kind == "clear":
            example.add("ties", {"id": draw.choice(ties)}, clear=["note"])
        elif kind == "replace":
            person = draw.choice(people)
            example.add("actors", {"id": person, "name": f"Whole {n}"}, replace=True)
        elif kind == "link":
            example.link_evidence(draw.choice(evidence), kind="tie", target=draw.choice(ties))
        elif kind == "end":
            example.end_tie(draw.choice(ties[:20]), on=f"20{17 + int(n) % 6}")

    kinds = ["csv", "xlsx", "json", "bulk", "update", "clear", "replace", "link", "end"]
    order = kinds + [draw.choice(kinds) for _ in range(4)]  # each kind at least once
    draw.shuffle(order)
    record()
    for number in range(18):
        n = f"{number:02d}"
        if number == 3:
            example.import_project(
                _project(tmp_path / "v1.qdpx", ["a", "b"]), proposed=tmp_path / "p.csv"
            )
        elif number == 6:
            example.import_project(
                _project(tmp_path / "v2.qdpx", ["b"]), prune=True, proposed=tmp_path / "p.csv"
            )
        elif number == 8:
            saved.append(Path(backup(example, tmp_path / "saved.zip").path))
        elif number == 11:
            example.reset()  # an empty case: nothing to record at that version
            example.import_data(EXAMPLE)
        elif number == 14:
            restore(example, saved[0], force=True)
        else:
            step(order.pop(), n)
        if number in (2, 6, 9, 12, 14):
            record()
    record()
    assert len(recorded) == 7
    for version, answers in recorded:
        again = _outputs(case_env, tmp_path / "again", f"@{version}")
        assert again == answers, f"as known at @{version}"
    # Nothing was written by the reproductions.
    assert journal.head(example).data_version == recorded[-1][0]
