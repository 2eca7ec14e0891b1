"""Consent and withdrawal on the real Neo4j: every output of the example honours what each
actor agreed to, and a withdrawn participant cannot be found afterwards (docs/ethics.md)."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli import app
from kb.consent import WITHHELD
from kb.errors import ValidationError
from kb.graph import KnowledgeBase
from kb.text import fold
from tests.support import EXAMPLE

pytestmark = pytest.mark.neo4j
runner = CliRunner()

STATUSES = {
    "p-kdiallo": "no-quotes",
    "p-fouellet": "structure-only",
    "p-nbeaulieu": "withdrawn",
}
FULL = "p-lsimard"


def _rows(table: str) -> list[dict[str, str]]:
    with open(EXAMPLE / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _own_quotes(actor: str) -> list[str]:
    """Quotes of the actor that no one else's evidence repeats (the example reuses
    templates), so that finding one in an output can only be a leak."""
    evidence = _rows("evidence")
    counts = Counter(e["quote"] for e in evidence)
    return [e["quote"] for e in evidence if e["informant"] == actor and counts[e["quote"]] == 1]


def _names() -> dict[str, str]:
    return {a["id"]: a["name"] for a in _rows("actors")}


def _case_with_statuses(folder: Path) -> Path:
    """The example with a consent status on three of its actors, in the import format."""
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("qda", "*.py", "*.md"))
    actors = _rows("actors")
    with open(folder / "actors.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, [*actors[0], "consent", "consent_date"])
        writer.writeheader()
        for actor in actors:
            status = STATUSES.get(actor["id"], "")
            writer.writerow({**actor, "consent": status, "consent_date": status and "2026-11"})
    return folder


ANONYMOUS_LOOKUPS = [
    ["why", "anonymous-1", "p-rbelanger", "--format", "csv"],
    ["timeline", "anonymous-1", "--format", "csv"],
    ["timeline", "anonymous-2", "--format", "json"],
]


def _outputs(env: dict[str, str], out: Path, lookups: list[list[str]] = ANONYMOUS_LOOKUPS) -> str:
    """Every output of kb on the case, as one folded text: stdout of the CLI in each format,
    and every file the exports, pictures, report and view write."""
    commands = [
        *lookups,
        ["why", FULL, "p-kdiallo", "--format", "json"],
        ["timeline", "p-kdiallo", "--format", "json"],
        ["search", "fusion", "--limit", "200", "--format", "json"],
        ["search", "travaille", "--limit", "200", "--format", "csv"],
        ["evidence", "coverage", "--format", "csv"],
        ["brokerage", "--format", "json"],
        ["centrality", "--format", "csv"],
        ["evolution", "--format", "csv"],
        ["consensus", "--format", "json"],
        ["reforms", "broken-ties", "--reform", "bill-10", "--format", "json"],
        ["query", "run", "network/actors", "--format", "json"],
        ["export", "gexf", str(out / "case.gexf")],
        ["export", "graphml", str(out / "case.graphml")],
        ["export", "csv", str(out / "csv")],
        ["export", "qdc", str(out / "codebook.qdc")],
        ["export", "waves", str(out / "waves"), "--by", "stage"],
        ["plot", "network", "--out", str(out / "network.svg")],
        ["report", "--out", str(out / "report.html")],
        ["view", "--out", str(out / "view.html")],
    ]
    texts = []
    for command in commands:
        done = runner.invoke(app, command, env=env)
        assert done.exit_code == 0, (command, done.output)
        texts.append(done.stdout)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 10
    texts += [p.read_bytes().decode("utf-8", errors="replace") for p in files]
    return fold("\n".join(texts))


def test_every_output_honours_each_consent_status(cli_env: dict[str, str], tmp_path: Path) -> None:
    runner.invoke(app, ["import", str(_case_with_statuses(tmp_path / "case"))], env=cli_env)
    # the researcher may type an anonymous actor's own id: the output's provenance (the
    # command it records) must not carry it
    typed = [["timeline", "p-fouellet", "--format", "json"]]
    everything = _outputs(cli_env, tmp_path / "out", [*ANONYMOUS_LOOKUPS, *typed])
    names = _names()
    # Full consent: named, quoted (so that the checks below can fail).
    assert fold(names[FULL]) in everything
    assert any(fold(q) in everything for q in _own_quotes(FULL))
    # No quotes: named, never quoted; the marker stands for their words.
    assert fold(names["p-kdiallo"]) in everything
    assert _own_quotes("p-kdiallo")
    assert [q for q in _own_quotes("p-kdiallo") if fold(q) in everything] == []
    assert fold(WITHHELD) in everything
    # Structure-only and withdrawn: anonymous nodes, no name, id or words anywhere.
    assert "anonymous-1" in everything and "anonymous-2" in everything
    for actor in ("p-fouellet", "p-nbeaulieu"):
        assert actor not in everything
        for part in names[actor].split():
            assert fold(part) not in everything, (actor, part)
        assert [q for q in _own_quotes(actor) if fold(q) in everything] == []


def test_the_import_checks_informants_and_statuses(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = _case_with_statuses(tmp_path / "case")
    evidence = (folder / "evidence.csv").read_text(encoding="utf-8")
    (folder / "evidence.csv").write_text(
        evidence.replace(",p-kdiallo\n", ",p-kdialo\n", 1), encoding="utf-8"
    )
    actors = (folder / "actors.csv").read_text(encoding="utf-8")
    (folder / "actors.csv").write_text(actors.replace("structure-only", "anonymous"), "utf-8")
    with pytest.raises(ValidationError) as caught:
        kb.import_data(folder)
    issues = {(i.location.file, i.location.column): i.message for i in caught.value.issues}
    assert "'p-kdialo' (closest: p-kdiallo" in issues["evidence.csv", "informant"]
    assert "structure-only" in issues["actors.csv", "consent"]
    assert kb.read_one("meta/counts")["nodes"] == 0, "a failed import writes nothing"


def _search_ids(env: dict[str, str], words: str) -> list[str]:
    done = runner.invoke(app, ["search", words, "--limit", "500", "--format", "csv"], env=env)
    assert done.exit_code == 0, done.output
    return [row["id"] for row in csv.DictReader(done.stdout.splitlines())]


@pytest.mark.parametrize("policy", ["erase", "anonymise"])
def test_a_withdrawn_participant_cannot_be_found(
    case_env: dict[str, str], example: KnowledgeBase, tmp_path: Path, policy: str
) -> None:
    actor, name = "p-fouellet", "François Ouellet"
    quote = _own_quotes(actor)[0]
    phrase = " ".join(quote.split()[:6])
    assert _search_ids(case_env, "Ouellet") and _search_ids(case_env, f'"{phrase}"')
    ties = example.read_one("meta/counts")
    cache = tmp_path / "cache"
    env = {**case_env, "KB_CACHE": str(cache)}
    assert (
        runner.invoke(
            app, ["legitimacy", "--from", "community", "--to", "public", "--source", actor], env=env
        ).exit_code
        == 0
    )
    assert list(cache.rglob("*.pickle")), "the analysis cached the network"
    done = runner.invoke(
        app, ["withdraw", name, "--policy", policy, "--why", "asked by François"], env=env
    )
    assert done.exit_code == 0, done.output
    assert not list(cache.rglob("*.pickle")), "cached results held their ids"
    for words in ("Ouellet", "François", f'"{phrase}"'):
        assert _search_ids(case_env, words) == [], words
    everything = _outputs(case_env, tmp_path / "out", [])
    assert actor not in everything and fold(quote) not in everything
    assert "ouellet" not in everything and "francois" not in everything
    # The database itself keeps nothing of theirs, bookkeeping included.
    stored = fold(str(example.read("consent/texts", id="nobody")))
    assert "ouellet" not in stored and "francois" not in stored and actor not in stored
    withdrawals = example.read("consent/withdrawals")
    assert [(w["policy"], w["why"]) for w in withdrawals][-1][0] == policy
    assert "francois" not in fold(withdrawals[-1]["why"])
    after = example.read_one("meta/counts")
    if policy == "anonymise":
        assert "withdrawn-" in everything
        assert after["relationships"] < ties["relationships"]  # territory and words gone
    else:
        assert "withdrawn-" not in everything


def test_backup_list_names_the_backups_holding_withdrawn_data(
    case_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**case_env, "KB_HOME": str(tmp_path / "home")}
    assert runner.invoke(app, ["backup"], env=env).exit_code == 0
    done = runner.invoke(
        app, ["withdraw", "p-gcote", "--policy", "erase", "--why", "form"], env=env
    )
    assert done.exit_code == 0, done.output
    assert runner.invoke(app, ["backup"], env=env).exit_code == 0
    listed = runner.invoke(app, ["backup", "list", "--format", "json"], env=env)
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)["records"]
    assert [row["holds_withdrawn"] for row in rows] == [True, False]


def _journal_raw(kb: KnowledgeBase) -> str:
    """Every property of every journal node (head, entries, chunks, index keys), read raw
    with Cypher (no kb query, no consent filter), as one folded text."""
    records, _, _ = kb.driver.execute_query(
        "MATCH (n:KbMeta) RETURN labels(n) AS labels, properties(n) AS props",
        database_=kb.database,
    )
    return fold(json.dumps([r.data() for r in records], ensure_ascii=False, default=str))


def _chain_is_whole(kb: KnowledgeBase) -> bool:
    """Every entry's hash is its own, chained to the one before, and the head's is the
    last: the journal's check of tampering beyond missing entries."""
    from kb.journal import entry_hash, head

    entries = kb.read("journal/purge_entries")
    prev = entries[0]["prev"]
    for e in entries:
        digest = entry_hash(prev, e["seq"], e["at"], e["analyst"], e["command"], e["why"])
        if e["prev"] != prev or e["hash"] != digest:
            return False
        prev = digest
    return bool(head(kb).chain == prev)


@pytest.mark.parametrize("policy", ["erase", "anonymise"])
def test_a_withdrawal_purges_the_journal(
    case_env: dict[str, str], example: KnowledgeBase, policy: str
) -> None:
    actor, quote = "p-fouellet", "Nous avons perdu le fil des rencontres mensuelles"
    # A journal of this test's writes only (`kb reset` keeps the journal: earlier tests'
    # entries, with other withdrawals, would otherwise be searched too).
    example.driver.execute_query(
        "MATCH (n:KbMeta) WHERE n:KbJournal OR n:KbJournalChunk OR n:KbJournalTouch "
        "DETACH DELETE n WITH count(*) AS gone "
        "MATCH (j:KbMeta {key: 'journal'}) SET j.seq = 0, j.fingerprint = ''",
        database_=example.database,
    )
    before_version = example.read_one("journal/head")["data_version"]
    writes = [
        # Their own record changed (values before and after), with their name in the why.
        ["add", "person", "--id", actor, "--prop", "nickname=Fanfan", "--why", "Ouellet asked"],
        # Their own words, and their tie.
        ["add", "evidence", "--id", "ev-purge-1", "--kind", "interview", "--date", "2019-02",
         "--quote", quote, "--informant", actor],
        ["add", "tie", "--source", actor, "--target", "p-kdiallo", "--type", "INFORMATION",
         "--start", "2019-01"],
        # Someone else's words naming them (masked by the withdrawal, kept by the journal).
        ["add", "evidence", "--id", "ev-purge-2", "--kind", "interview", "--date", "2019-03",
         "--quote", "François Ouellet nous a quittés", "--informant", "p-kdiallo"],
    ]  # fmt: skip
    for args in writes:
        done = runner.invoke(app, args, env=case_env)
        assert done.exit_code == 0, (args, done.output)
    raw = _journal_raw(example)
    assert "ouellet" in raw and "fanfan" in raw and fold(quote) in raw and actor in raw
    done = runner.invoke(
        app,
        ["withdraw", "François Ouellet", "--policy", policy, "--why", "asked by François"],
        env=case_env,
    )
    assert done.exit_code == 0, done.output
    raw = _journal_raw(example)
    for needle in ("ouellet", "francois", "fanfan", actor, fold(quote), "perdu le fil"):
        assert needle not in raw, needle
    changes = runner.invoke(app, ["changes", "--format", "json"], env=case_env)
    assert changes.exit_code == 0, changes.output
    listed = fold(changes.stdout)
    for needle in ("ouellet", "francois", "fanfan", actor, fold(quote)):
        assert needle not in listed, needle
    # The dated entry: who (masked or anonymous), when, why; and the purged ones say so.
    entries = json.loads(changes.stdout)
    entries = entries["records"] if isinstance(entries, dict) else entries
    last = entries[-1]
    assert "withdraw" in last["command"] and last["why"]
    [note] = last["changes"]
    assert note["op"] == "withdrawn" and note["policy"] == policy and note["date"][:2] == "20"
    assert (note["id"].startswith("withdrawn-")) == (policy == "anonymise")
    assert [e["seq"] for e in entries if e["purged"].startswith("purged for a withdrawal on")]
    assert not runner.invoke(app, ["history", actor], env=case_env).exit_code == 0
    by_id = runner.invoke(app, ["changes", "--id", actor, "--format", "json"], env=case_env)
    assert by_id.exit_code == 0, by_id.output
    found = json.loads(by_id.stdout)
    assert (found["records"] if isinstance(found, dict) else found) == []
    # The journal is whole: no entry missing, every hash chained again.
    assert runner.invoke(app, ["changes", "--since", "@1"], env=case_env).exit_code == 0
    assert _chain_is_whole(example)
    # The case as known before the withdrawal cannot bring them back: refused, clearly.
    past = runner.invoke(app, ["centrality", "--known-at", f"@{before_version}"], env=case_env)
    assert past.exit_code != 0
    assert "withdrawal" in past.output and "ouellet" not in fold(past.output)
