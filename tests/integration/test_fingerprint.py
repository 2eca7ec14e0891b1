"""The case's content fingerprint on the real Neo4j (issue 20 §2, §3): the same content
reached by other histories has the same fingerprint, any change gives another, bookkeeping
is not content, `--known-at` fingerprints the rebuilt case, and the fingerprint kept for a
data version is dropped by every write (restore and withdrawal included)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb import fingerprint, journal
from kb.backup import backup, restore
from kb.cli import app
from kb.errors import ExitCode
from kb.graph import KnowledgeBase

pytestmark = pytest.mark.neo4j
runner = CliRunner()


def kb_run(env: dict[str, str], *args: str | Path) -> Any:
    """``kb ARGS`` run in this process, its exit code checked."""
    done = runner.invoke(app, [str(a) for a in args], env=env)
    assert done.exit_code == 0, done.output
    return done


def add(env: dict[str, str], what: str, ident: str, *options: str) -> None:
    kb_run(env, "add", what, "--id", ident, *options)


def people(env: dict[str, str], order: list[str]) -> None:
    for ident in order:
        add(env, "person", ident, "--name", f"Name of {ident}", "--sector", "community")


def test_two_histories_of_one_content_have_one_fingerprint(
    kb: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    base = kb
    people(cli_env, ["p-a", "p-b", "p-c"])
    add(cli_env, "tie", "t-1", "--source", "p-a", "--target", "p-b", "--type", "ADVICE")
    first = fingerprint.compute(base)
    version = journal.head(base).data_version
    # Reset (the journal goes on), then the same records in another order, with a detour:
    # a person added, renamed and renamed back.
    kb_run(cli_env, "reset", "--yes")
    people(cli_env, ["p-c", "p-b"])
    add(cli_env, "person", "p-a", "--name", "someone else", "--sector", "public")
    add(cli_env, "tie", "t-1", "--source", "p-a", "--target", "p-b", "--type", "ADVICE")
    add(cli_env, "person", "p-a", "--name", "Name of p-a", "--sector", "community")
    assert journal.head(base).data_version > version
    assert fingerprint.compute(base) == first
    # Any single property changed: another fingerprint; back: the same again.
    add(cli_env, "tie", "t-1", "--weight", "2")
    assert fingerprint.compute(base) != first
    add(cli_env, "tie", "t-1", "--clear", "weight")
    assert fingerprint.compute(base) == first
    add(cli_env, "person", "p-c", "--name", "Name of p-C")
    assert fingerprint.compute(base) != first


def test_bookkeeping_and_derived_values_are_not_content(
    kb: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    people(cli_env, ["p-a"])
    add(cli_env, "document", "d-1", "--title", "Bilan de l'équipe", "--date", "2019-01")
    first = fingerprint.compute(kb)
    # kb's own nodes (a marker, the schema version, the journal) and the search text it
    # derives from fields already hashed.
    kb.driver.execute_query(
        "CREATE (:KbMeta {key: 'pending:test', kind: 'import'}) "
        "WITH 1 AS one MATCH (d:Document {id: 'd-1'}) SET d.kb_search = 'other text'",
        database_=kb.database,
    )
    assert fingerprint.compute(kb) == first
    kb.driver.execute_query(
        "MATCH (d:Document {id: 'd-1'}) SET d.title = 'Bilan'", database_=kb.database
    )
    assert fingerprint.compute(kb) != first


def test_known_at_fingerprints_the_case_as_it_stood(
    kb: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    people(cli_env, ["p-a", "p-b"])
    add(cli_env, "tie", "t-1", "--source", "p-a", "--target", "p-b", "--type", "ADVICE")
    then = journal.head(kb).data_version
    stamped = json.loads(kb_run(cli_env, "centrality", "--format", "json").stdout)["provenance"]
    assert stamped["data_version"] == then
    assert stamped["fingerprint"] == fingerprint.compute(kb)
    add(cli_env, "person", "p-b", "--name", "Renamed")
    add(cli_env, "tie", "t-1", "--end", "2020")
    people(cli_env, ["p-c"])
    with kb.known_at(then):
        assert fingerprint.of_case(kb) == stamped["fingerprint"]
    # Today's is another, and the cache of today's was not touched by the past.
    assert fingerprint.of_case(kb) != stamped["fingerprint"]
    again = json.loads(
        kb_run(cli_env, "centrality", "--known-at", f"@{then}", "--format", "json").stdout
    )["provenance"]
    assert (again["data_version"], again["fingerprint"]) == (then, stamped["fingerprint"])
    assert fingerprint.cached(kb) == fingerprint.compute(kb)


def test_the_kept_fingerprint_is_dropped_by_every_write(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    people(cli_env, ["p-a", "p-b"])
    assert fingerprint.cached(kb) is None  # status says "not computed yet"
    assert kb.status()["fingerprint"] == fingerprint.NOT_COMPUTED
    kept = fingerprint.of_case(kb)
    assert fingerprint.cached(kb) == kept == kb.status()["fingerprint"]
    saved = backup(kb, tmp_path / "case.zip", keep=None)

    def written(before: str) -> str:
        assert fingerprint.cached(kb) is None, "a write leaves no stale fingerprint"
        now = fingerprint.of_case(kb)
        assert fingerprint.cached(kb) == now == fingerprint.compute(kb)
        return now

    add(cli_env, "person", "p-a", "--name", "Renamed")
    renamed = written(kept)
    assert renamed != kept
    restore(kb, saved.path, force=True)
    assert written(renamed) == kept  # the backup's content again
    kb_run(cli_env, "withdraw", "p-b", "--policy", "erase", "--why", "asked")
    assert written(kept) != kept
    kb_run(cli_env, "reset", "--yes")
    written(kept)


def test_status_and_outputs_carry_the_content_fingerprint(
    kb: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    people(cli_env, ["p-a", "p-b"])
    add(cli_env, "tie", "t-1", "--source", "p-a", "--target", "p-b", "--type", "ADVICE")
    status = json.loads(kb_run(cli_env, "status", "--format", "json").stdout)
    assert status["fingerprint"] == fingerprint.NOT_COMPUTED  # status never reads the case
    assert fingerprint.cached(kb) is None
    table = kb_run(cli_env, "centrality").stdout  # a table carries no provenance
    assert table and fingerprint.cached(kb) is None
    stamped = json.loads(kb_run(cli_env, "centrality", "--format", "json").stdout)
    assert stamped["provenance"]["fingerprint"] == fingerprint.compute(kb)
    status = json.loads(kb_run(cli_env, "status", "--format", "json").stdout)
    assert status["fingerprint"] == stamped["provenance"]["fingerprint"]


def test_verify_checks_the_rebuilt_content_and_reads_old_stamps(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    people(cli_env, ["p-a", "p-b"])
    add(cli_env, "tie", "t-1", "--source", "p-a", "--target", "p-b", "--type", "ADVICE")
    output = tmp_path / "centrality.json"
    output.write_text(kb_run(cli_env, "centrality", "--format", "json").stdout)
    # Changed and changed back: another data version, the same content.
    add(cli_env, "person", "p-a", "--name", "Renamed")
    add(cli_env, "person", "p-a", "--name", "Name of p-a")
    checked = json.loads(kb_run(cli_env, "verify", output, "--format", "json").stdout)
    assert checked["reproduced"] and checked["data_rebuilt"] is True
    assert checked["fingerprint_kind"] == fingerprint.CONTENT
    assert checked["data_unchanged_since"] is True
    told = kb_run(cli_env, "verify", output).stdout
    assert "The data are unchanged since data version" in told

    # A stamp of another content at that version: the journal does not rebuild it.
    document = json.loads(output.read_text())
    document["provenance"]["fingerprint"] = fingerprint.PREFIX + "0" * 64
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(document))
    done = runner.invoke(app, ["verify", str(wrong)], env=cli_env)
    assert done.exit_code == ExitCode.ERROR, done.output
    assert "does not rebuild the data the file came from" in done.stdout

    # An old stamp (the journal's chain hash): run again, its fingerprint not compared.
    document["provenance"]["fingerprint"] = "b2e6def140c270fcf8ed5f2af3990c24"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document))
    checked = json.loads(kb_run(cli_env, "verify", old, "--format", "json").stdout)
    assert checked["reproduced"] and checked["data_rebuilt"] is None
    assert checked["fingerprint_kind"] == fingerprint.CHAIN
    assert "not compared" in kb_run(cli_env, "verify", old).stdout
