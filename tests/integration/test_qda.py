"""REFI-QDA import, search and coverage against the real Neo4j."""

from __future__ import annotations

import csv
import json
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.cli import app
from kb.errors import ValidationError
from kb.graph import KnowledgeBase
from kb.imports.refi import read_passages, read_project
from tests.qdpx import Sel, Src, build, span

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "examples/quebec-wg"
EXAMPLE = CASE / "qda/entretiens.qdpx"


@pytest.fixture
def case(example: KnowledgeBase) -> KnowledgeBase:
    return example  # the example case (CASE)


def qda_evidence(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return kb.read("export/nodes", label="Evidence")


def test_example_imports_with_exact_quotes_links_and_proposals(
    case: KnowledgeBase, tmp_path: Path
) -> None:
    proposed = tmp_path / "proposed-ties.csv"
    report = case.import_project(EXAMPLE, proposed=proposed)
    project = read_project(EXAMPLE)
    passages = {f"qda-{p.guid}": p for p in read_passages(project)}
    stored = {n["id"]: n["props"] for n in qda_evidence(case) if n["id"].startswith("qda-")}
    # 11 passages, and the second coder's own selections of three of them
    assert report.evidence == len(stored) == 14
    for ident, props in stored.items():
        assert props["quote"] == passages[ident].quote
    # the observation source's kind came from the French variable value
    kinds = {props["kind"] for props in stored.values()}
    assert kinds == {"interview", "observation"}
    # t-028 (Gagnon-Simard COLLABORATION) gains interview items (two coders each) and an
    # observation item
    why = {t["tie"]: t for t in case.why("p-lsimard", "p-mgagnon")}
    linked = [e for e in why["t-028"]["evidence"] if e["id"].startswith("qda-")]
    assert len(linked) == 5
    assert not [e for e in why["t-096"]["evidence"] if e["id"].startswith("qda-")]  # ADVICE
    # a tie kb lacks is proposed, not invented
    with proposed.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["source"], r["target"], r["type"]) for r in rows] == [
        ("p-dmercier", "p-mgagnon", "ADVICE")
    ]
    assert not case.read(
        "qda/ties_between", pairs=[{"a": "p-dmercier", "b": "p-mgagnon", "type": "ADVICE"}]
    )
    # mentions, and the unmatched codes reported
    mentioned = case.read("evidence/supports", ids=list(stored))
    assert {m["source"] for m in mentioned if m["what"] == "mention"} >= {"ciusss-cn", "p-hdumont"}
    assert {u["code"] for u in report.unmatched} == {
        "actors/community/Jean Tremblay",
        "thèmes/accès aux services",
        "thèmes/effets de la loi 10",
    }
    # the review file imports as it is
    case.import_data(proposed)
    assert case.read(
        "qda/ties_between", pairs=[{"a": "p-dmercier", "b": "p-mgagnon", "type": "ADVICE"}]
    )


def test_reimport_changes_nothing_and_dry_run_writes_nothing(
    case: KnowledgeBase, tmp_path: Path
) -> None:
    before = case.status()
    dry = case.import_project(EXAMPLE, dry_run=True, proposed=tmp_path / "p.csv")
    assert dry.evidence == 14 and case.status() == before
    assert dry.proposed and not (tmp_path / "p.csv").exists()  # no review file either
    first = case.import_project(EXAMPLE, proposed=tmp_path / "p.csv")
    after_first = case.status()
    again = case.import_project(EXAMPLE, proposed=tmp_path / "p.csv")
    assert case.status() == after_first
    assert again.tables is not None
    assert all(set(o) == {"unchanged"} for o in again.tables.outcomes.values())
    assert again.ties_linked == 0 and again.ties_already == first.ties_linked == 10


def test_an_invalid_project_writes_nothing(case: KnowledgeBase, tmp_path: Path) -> None:
    text = "Louise Simard et Martine Gagnon travaillent ensemble."
    path = build(
        tmp_path / "bad.qdpx",
        [
            Src("ok", text, [Sel(0, 13, ["actors/Louise Simard"])], variables={"kind": "sondage"}),
            Src("bad", text, [Sel(10, 400, ["actors/Louise Simard"])]),
        ],
    )
    before = case.status()
    with pytest.raises(ValidationError) as caught:
        case.import_project(path, proposed=tmp_path / "p.csv")
    messages = [str(i) for i in caught.value.issues]
    assert any(m.startswith("project.qde:") and "outside its text" in m for m in messages)
    assert any("variable kind 'sondage'" in m for m in messages)
    assert case.status() == before


def test_later_export_adds_new_reports_and_prunes_what_disappeared(
    case: KnowledgeBase, tmp_path: Path
) -> None:
    text = (
        "Louise Simard et Martine Gagnon travaillent ensemble. "
        "Daniel Lavoie en parle souvent à Martine Gagnon."
    )
    one = span(text, "Louise Simard et Martine Gagnon travaillent ensemble.")
    two = span(text, "Daniel Lavoie en parle souvent à Martine Gagnon.")
    codes = ["actors/Louise Simard", "actors/Martine Gagnon", "ties/COLLABORATION"]
    v1 = build(tmp_path / "v1.qdpx", [Src("s", text, [Sel(*one, codes, key="a")])])
    case.import_project(v1, proposed=tmp_path / "p.csv")
    v2 = build(
        tmp_path / "v2.qdpx",
        [
            Src(
                "s",
                text,
                [
                    Sel(
                        *two,
                        ["actors/Daniel Lavoie", "actors/Martine Gagnon", "ties/COLLABORATION"],
                        key="b",
                    )
                ],
            )
        ],
    )
    report = case.import_project(v2, proposed=tmp_path / "p.csv")
    assert report.tables is not None
    assert report.tables.outcomes["evidence"] == {"created": 1}
    (gone,) = report.disappeared["evidence"]
    assert case.read("import/existing_refs", refs=[{"kind": "Evidence", "id": gone}])  # kept
    pruned = case.import_project(v2, prune=True, proposed=tmp_path / "p.csv")
    assert pruned.pruned["evidence"] == 1
    assert not case.read("import/existing_refs", refs=[{"kind": "Evidence", "id": gone}])
    t028 = case.read_optional("ties/get", id="t-028")
    assert gone not in (case.read("evidence/of_ties", ties=["t-028"])[0]["evidence"] or [])
    assert t028


def test_concurrent_links_to_one_tie_all_survive(case: KnowledgeBase) -> None:
    ids = [f"ev-c{i}" for i in range(16)]
    barrier = threading.Barrier(len(ids))

    def link(evidence: str) -> None:
        barrier.wait()
        case.write_one("qda/link_ties", links=[{"tie": "t-028", "evidence": evidence}])

    threads = [threading.Thread(target=link, args=(e,)) for e in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (tie,) = case.read(
        "export/relationships", rel_type="TIE", types=None, at_first=None, at_last=None
    ) and [
        r
        for r in case.read(
            "export/relationships", rel_type="TIE", types=None, at_first=None, at_last=None
        )
        if r["id"] == "t-028"
    ]
    assert set(ids) <= set(tie["props"]["evidence"])
    assert len(tie["props"]["evidence"]) == len(set(tie["props"]["evidence"]))


def test_search_is_accent_insensitive_with_filters(case: KnowledgeBase, tmp_path: Path) -> None:
    case.import_project(EXAMPLE, proposed=tmp_path / "p.csv")
    plain = case.search("developpement social")
    assert plain and any("développement social" in (h["quote"] or "") for h in plain)
    phrase = case.search('"porte frapper"')
    assert phrase and all("porte frapper" in h["quote"] for h in phrase)
    hits = case.search("Mercier", kinds="interview", between_dates=("2016", "2016-12"))
    # the passage, as selected by each of the two coders
    assert sorted(h["id"] for h in hits) == [
        "qda-293540e1-0133-5266-8ef8-baebceab1b6f",
        "qda-c363b537-7c8f-5aba-85ea-7959ed451ba6",
    ]
    assert {h["coder"] for h in hits} == {"Julie Lavallée", "Samuel Bédard"}
    assert all(h["ties"][0]["id"] == "t-110" for h in hits)
    assert all({a["id"] for a in h["actors"]} == {"p-lsimard", "p-dmercier"} for h in hits)
    assert all(h["coder"] == "Samuel Bédard" for h in case.search("Gagnon", coder="samuel bédard"))
    by_actor = case.search("Gagnon", actor="p-dlavoie")
    assert by_actor and all(
        "p-dlavoie" in {a["id"] for a in h["actors"]}
        or any("p-dlavoie" in (t["source"], t["target"]) for t in h["ties"])
        for h in by_actor
    )
    with pytest.raises(ValidationError, match="Lucene"):
        case.search("title:(")


def test_coverage_counts_and_triangulation(case: KnowledgeBase, tmp_path: Path) -> None:
    case.import_project(EXAMPLE, proposed=tmp_path / "p.csv")
    report = case.evidence_coverage()
    ties = {t["tie"]: t for t in report["ties"]}
    t028 = ties["t-028"]
    assert t028["evidence_count"] == 6 and t028["kinds"] == ["interview", "observation"]
    assert t028["triangulated"] and t028["coders"] == 3
    raw = case.read_optional("ties/get", id="t-028")
    assert raw
    coverage = case.tie_coverage()
    assert coverage["t-028"].triangulated and coverage["t-028"].evidence == 6
    # unevidenced ties first
    evidence = [t["evidence_count"] for t in report["ties"]]
    assert evidence == sorted(evidence, key=lambda n: (n > 0, n))
    assert sum(s["ties"] for s in report["by_type"]) == len(report["ties"])
    assert {s["stage"] for s in report["by_stage"]} == {"problem-definition", "mobilization"}


def test_cli_import_search_coverage_and_codebook(
    case: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    runner = CliRunner()
    project = tmp_path / "entretiens.qdpx"
    shutil.copy(EXAMPLE, project)
    result = runner.invoke(app, ["import", str(project), "-f", "json"], env=cli_env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["evidence"] == 14 and (tmp_path / "proposed-ties.csv").exists()
    assert "Jean Tremblay" in result.stderr
    result = runner.invoke(app, ["search", "équip*", "-f", "json"], env=cli_env)
    assert result.exit_code == 0 and json.loads(result.stdout)
    result = runner.invoke(
        app, ["evidence", "coverage", "--types", "COLLABORATION", "-f", "json"], env=cli_env
    )
    assert result.exit_code == 0
    assert {t["type"] for t in json.loads(result.stdout)["ties"]} == {"COLLABORATION"}
    codebook = tmp_path / "codebook.qdc"
    result = runner.invoke(app, ["export", "qdc", str(codebook)], env=cli_env)
    assert result.exit_code == 0 and codebook.stat().st_size > 0
    bad = runner.invoke(app, ["import", str(CASE), "--prune"], env=cli_env)
    assert bad.exit_code == 5
    broken = tmp_path / "broken.qdpx"
    broken.write_text("x")
    result = runner.invoke(app, ["import", str(broken)], env=cli_env)
    assert result.exit_code == 5 and "zip" in result.stderr
