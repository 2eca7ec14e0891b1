"""`kb search` reads the full-text index in rounds: its answers must equal a full ranking.

The reference here is the index itself, read whole (``db.index.fulltext.queryNodes``
without a limit), with the filters and the ranking (score, then id) applied in Python.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.analyses.evidence import FIRST_FETCH, search
from kb.cli import app
from kb.errors import ExitCode, NotFoundError
from kb.graph import KnowledgeBase
from kb.provenance import json_result
from tests.support import write_csv_folder

pytestmark = pytest.mark.neo4j

FILLER = "le comité de la table de quartier se réunit chaque mois avec les partenaires"


class Rounds:
    """A reader that records how many index hits each search round read."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.fetches: list[int] = []

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return self.kb.read(name, **params)

    def read_one(self, name: str, **params: Any) -> dict[str, Any]:
        if name == "evidence/search":
            self.fetches.append(params["fetch"])
        return self.kb.read_one(name, **params)

    def read_optional(self, name: str, **params: Any) -> dict[str, Any] | None:
        return self.kb.read_optional(name, **params)


def index_scores(kb: KnowledgeBase, query: str) -> dict[str, float]:
    """Each evidence item's best score for ``query``: its own, or its document's."""
    records, _, _ = kb.driver.execute_query(
        "CALL db.index.fulltext.queryNodes('evidence_text', $q) YIELD node, score "
        "OPTIONAL MATCH (e:Evidence)-[:FROM_DOCUMENT]->(node) "
        "RETURN coalesce(e.id, node.id) AS id, score",
        {"q": query},
        database_=kb.database,
    )
    best: dict[str, float] = {}
    for r in records:
        best[r["id"]] = max(best.get(r["id"], 0.0), r["score"])
    return best


def ranked(scores: dict[str, float], keep: set[str], limit: int) -> list[tuple[str, float]]:
    chosen = [(i, s) for i, s in scores.items() if i in keep]
    return sorted(chosen, key=lambda item: (-item[1], item[0]))[:limit]


def answer(hits: Sequence[Mapping[str, Any]]) -> list[tuple[str, float]]:
    return [(h["id"], h["score"]) for h in hits]


def test_a_filter_keeping_only_low_ranked_hits_still_finds_them(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    # 1,500 items naming the équipe once; the longer the quote, the lower its score. The
    # six longest are the only ones of a rare coder and the only ones about actor a-rare.
    count = 1_500
    rows = [
        {
            "id": f"ev{i:04d}",
            "kind": "interview",
            "quote": "Notre équipe " + " ".join([FILLER] * (1 + i // 100)),
            "coder": "Rare Codeuse" if i >= count - 6 else "Codeur",
        }
        for i in range(count)
    ]
    rare = {r["id"] for r in rows if r["coder"] == "Rare Codeuse"}
    write_csv_folder(
        tmp_path,
        {
            "evidence": rows,
            "actors": [{"id": "a-rare", "name": "Rare"}, {"id": "a-b", "name": "B"}],
            "mentions": [{"evidence": i, "actor": "a-rare"} for i in sorted(rare)[:3]],
            "ties": [
                {
                    "source": "a-rare",
                    "target": "a-b",
                    "type": "ADVICE",
                    "id": "t1",
                    "evidence": ";".join(sorted(rare)[3:]),
                }
            ],
        },
    )
    kb.import_data(tmp_path)
    scores = index_scores(kb, "equipe")
    assert len(scores) == count
    order = [i for i, _ in ranked(scores, set(scores), count)]
    assert min(order.index(i) for i in rare) > FIRST_FETCH  # beyond the first round

    rounds = Rounds(kb)
    by_coder = search(rounds, "equipe", coder="rare codeuse", limit=5)
    assert answer(by_coder) == ranked(scores, rare, 5)
    assert len(rounds.fetches) > 1 or rounds.fetches[0] > FIRST_FETCH
    assert answer(kb.search("equipe", actor="a-rare", limit=10)) == ranked(scores, rare, 10)
    assert answer(kb.search("equipe", limit=7)) == ranked(scores, set(scores), 7)


def test_equal_scores_are_ordered_by_id_past_the_first_fetch(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    # 900 identical quotes (one score for all), written in a shuffled order so that the
    # index's own order is not the ids' order; every 7th is an observation.
    ids = [f"ev{i:03d}" for i in range(900)]
    random.Random(5).shuffle(ids)
    rows = [
        {
            "id": ident,
            "kind": "observation" if int(ident[2:]) % 7 == 0 else "interview",
            "quote": "Rencontre de la table de quartier",
        }
        for ident in ids
    ]
    write_csv_folder(tmp_path, {"evidence": rows})
    kb.import_data(tmp_path)
    for query in ("quartier", "quart*", '"table de quartier"'):
        scores = index_scores(kb, query)
        assert len(scores) == 900 and len(set(scores.values())) == 1
        observations = {r["id"] for r in rows if r["kind"] == "observation"}
        got = kb.search(query, kinds="observation", limit=10)
        assert answer(got) == ranked(scores, observations, 10)
        assert [h["id"] for h in got] == sorted(observations)[:10]
        assert answer(kb.search(query, limit=600)) == ranked(scores, set(scores), 600)


def test_document_titles_rank_their_items_once_with_the_best_score(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    write_csv_folder(
        tmp_path,
        {
            "documents": [
                {"id": "d-eq", "title": "Rapport sur l'avenir, équipe"},
                {"id": "d-other", "title": "Procès-verbal"},
            ],
            "evidence": [
                {"id": "ev-a", "kind": "document", "document": "d-eq", "quote": "Budget."},
                {
                    "id": "ev-b",
                    "kind": "document",
                    "document": "d-eq",
                    "quote": "Notre équipe " + FILLER,
                },
                {"id": "ev-c", "kind": "interview", "document": "d-other", "quote": "Une équipe"},
                {"id": "ev-d", "kind": "interview", "quote": "Rien à voir"},
            ],
        },
    )
    kb.import_data(tmp_path)
    scores = index_scores(kb, "equipe")
    assert set(scores) == {"ev-a", "ev-b", "ev-c"}
    hits = kb.search("equipe")
    assert answer(hits) == ranked(scores, set(scores), 20)
    assert {h["id"]: h["document_title"] for h in hits}["ev-a"] == "Rapport sur l'avenir, équipe"
    assert answer(kb.search("equipe", kinds="document")) == ranked(scores, {"ev-a", "ev-b"}, 20)


def test_supports_are_found_for_any_id_and_many_ids(kb: KnowledgeBase, tmp_path: Path) -> None:
    # Ids with Lucene's special characters, and more ids than one index query takes.
    odd = ['ev "quoted"', "ev\\back", "ev: (odd) OR x*", "ÉV-accent"]
    many = [f"ev{i}" for i in range(600)]
    write_csv_folder(
        tmp_path,
        {
            "actors": [{"id": f"a{i}", "name": f"Acteur {i}"} for i in range(4)],
            "organizations": [{"id": "org", "name": "Organisme"}],
            "meetings": [{"id": "m1", "date": "2016-03", "title": "Table"}],
            "problems": [{"id": "p1", "statement": "Accès aux services"}],
            "evidence": [
                {"id": i, "kind": "interview", "quote": f"Équipe {n}"}
                for n, i in enumerate(odd + many)
            ],
            "ties": [
                {
                    "id": "t-odd",
                    "source": "a0",
                    "target": "a1",
                    "type": "ADVICE",
                    "evidence": ";".join(odd[:2]),
                },
                {
                    "id": "t-many",
                    "source": "a1",
                    "target": "a2",
                    "type": "INFORMATION",
                    "evidence": ";".join(many),
                },
            ],
            "memberships": [{"person": "a0", "organization": "org", "evidence": odd[2]}],
            "attendance": [{"meeting": "m1", "actor": "a3", "evidence": odd[3]}],
            "positions": [{"actor": "a3", "problem": "p1", "stance": "agree", "evidence": odd[3]}],
            "mentions": [{"evidence": odd[0], "actor": "a2"}],
        },
    )
    kb.import_data(tmp_path)
    rows = kb.read("evidence/supports", ids=odd + many)
    found = {(r["evidence"], r["what"], r["id"] or r["source"]) for r in rows}
    assert {(i, "tie", "t-many") for i in many} <= found
    kb.link_evidence(many[-1], kind="tie", target="t-odd")  # the index follows a link
    hits = {h["id"]: h for h in kb.search('"Équipe 0" OR "Équipe 1" OR "Équipe 2" OR "Équipe 3"')}
    assert set(hits) == set(odd)
    assert [t["id"] for t in hits[odd[0]]["ties"]] == ["t-odd"]
    assert [a["id"] for a in hits[odd[0]]["actors"]] == ["a2"]
    assert [t["id"] for t in hits[odd[1]]["ties"]] == ["t-odd"]
    assert [(m["source"], m["target"]) for m in hits[odd[2]]["memberships"]] == [("a0", "org")]
    assert [m["target"] for m in hits[odd[3]]["meetings"]] == ["m1"]
    assert [p["type"] for p in hits[odd[3]]["positions"]] == ["agree"]
    linked = kb.read("evidence/supports", ids=[many[-1]])
    assert {r["id"] for r in linked} == {"t-odd", "t-many"}


def test_actor_filter_is_loud_about_unknown_actors(kb: KnowledgeBase, tmp_path: Path) -> None:
    write_csv_folder(
        tmp_path,
        {
            "actors": [{"id": "p-lsimard", "name": "Louise Simard"}],
            "evidence": [{"id": "ev1", "kind": "interview", "quote": "Notre équipe"}],
        },
    )
    kb.import_data(tmp_path)
    with pytest.raises(NotFoundError, match="p-lsimard"):
        kb.search("equipe", actor="p-lsimrd")
    assert kb.search("equipe", actor="p-lsimard") == []  # known, but nothing about her


def test_cli_search_names_an_unknown_actor(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    write_csv_folder(
        tmp_path,
        {
            "actors": [{"id": "p-lsimard", "name": "Louise Simard"}],
            "evidence": [{"id": "ev1", "kind": "interview", "quote": "Notre équipe"}],
            "mentions": [{"evidence": "ev1", "actor": "p-lsimard"}],
        },
    )
    kb.import_data(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["search", "equipe", "--actor", "p-lsimrd"], env=cli_env)
    assert result.exit_code == ExitCode.NOT_FOUND and "p-lsimard" in result.stderr
    result = runner.invoke(
        app, ["search", "equipe", "--actor", "p-lsimard", "-f", "json"], env=cli_env
    )
    assert result.exit_code == 0
    assert [h["id"] for h in json_result(json.loads(result.stdout))] == ["ev1"]


def test_french_and_english_words_match_whatever_their_accents_elisions_and_plurals(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    quotes = {
        "e1": "L'équipe du CIUSSS a changé de nom.",
        "e2": "Une réunion d’équipe de quartier.",
        "e3": "Les équipes de soutien à domicile.",
        "e4": "The teams met the community organizers in two meetings.",
        "e5": "Depuis la fusion, on ne sait plus à qui parler.",
    }
    evidence = [{"id": i, "kind": "interview", "quote": q} for i, q in quotes.items()]
    kb.import_data(write_csv_folder(tmp_path / "case", {"evidence": evidence}))

    def found(text: str) -> set[str]:
        return {hit["id"] for hit in search(kb, text)}

    assert found("equipe") == found("Équipe") == found("équipes") == {"e1", "e2", "e3"}
    assert found("équip*") == {"e1", "e2", "e3"}  # a wildcard matches the stored stem
    assert found("meeting") == found("organizer") == {"e4"}
    assert found('"qui parler"') == {"e5"} and found('"sait fusion"') == set()
    assert found("changer") == {"e1"}  # changé and changer share their stem
