"""`kb search` finds every word of the example's quotes, typed with or without accents.

The reference is independent of kb's search: a plain word scan over every quote in Python,
with its own accent folding (NFD, marks dropped) and its own tokenizer (words joined by
apostrophes, French elisions cut off as Lucene's ElisionFilter cuts them). It never sends a
query, so an analyzer that stores a word differently from how kb queries it fails here.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.analyses.evidence import MAX_SEARCH_LIMIT, MAX_SEARCH_TERMS, search
from kb.cli import app
from kb.errors import ExitCode, ValidationError
from kb.graph import KnowledgeBase
from kb.provenance import json_result
from kb.schema import FULLTEXT_ANALYZER, FULLTEXT_INDEX, SCHEMA_VERSION
from tests.support import EXAMPLE, write_csv_folder

pytestmark = pytest.mark.neo4j

# Lucene's FrenchAnalyzer default elision articles (ElisionFilter).
ELISIONS = ("l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu")
WORD = re.compile(r"\w+(?:['’]\w+)*")


def folded(word: str) -> str:
    """Lower case, accents dropped: the reference's own folding (not kb.text)."""
    marks = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in marks if unicodedata.category(ch) != "Mn")


def words_of(text: str) -> set[str]:
    """The words of a text as the reference sees them: lower case, elisions cut off,
    letters only (numbers and codes such as 2e are left out of the check)."""
    found = set()
    for token in WORD.findall(text.lower()):
        head, _, rest = token.replace("’", "'").partition("'")
        if rest and head in ELISIONS:
            token = rest
        if token.isalpha() or ("'" in token and token.replace("'", "").isalpha()):
            found.add(token)
    return found


def example_quotes() -> dict[str, str]:
    with (EXAMPLE / "evidence.csv").open(encoding="utf-8-sig", newline="") as f:
        return {row["id"]: row["quote"] or "" for row in csv.DictReader(f)}


def test_every_word_of_the_quotes_finds_every_quote_holding_it(example: KnowledgeBase) -> None:
    quotes = example_quotes()
    holding: dict[str, set[str]] = {}
    for ident, quote in quotes.items():
        for word in words_of(quote):
            holding.setdefault(word, set()).add(ident)
    row = example.read_optional("evidence/stop_words", analyzer=FULLTEXT_ANALYZER)
    assert row is not None
    stop = set(row["words"])
    # The analyzer drops its stop words; the query reaches it without accents.
    checked = {w: ids for w, ids in holding.items() if folded(w) not in stop}
    assert {"aînés", "été", "comité", "organisme"} <= set(checked)
    missed = {}
    for word, ids in sorted(checked.items()):
        for typed in {word, folded(word)}:
            hits = {h["id"] for h in search(example, typed, limit=MAX_SEARCH_LIMIT)}
            if not ids <= hits:
                missed[typed] = sorted(ids - hits)
    assert missed == {}
    assert len(checked) > 500  # the check covers the whole vocabulary of the quotes


def test_short_accented_words_are_found_typed_either_way(kb: KnowledgeBase, tmp_path: Path) -> None:
    quotes = {
        "e1": "Les aînés du quartier.",
        "e2": "Cet été, le comité a changé.",
        "e3": "Un âge avancé; du maïs en épi.",
        "e4": "Une œuvre de l'équipe.",
        "e5": "Je suis sûr qu'il sait où aller.",
    }
    evidence = [{"id": i, "kind": "interview", "quote": q} for i, q in quotes.items()]
    kb.import_data(write_csv_folder(tmp_path, {"evidence": evidence}))

    def found(text: str) -> set[str]:
        return {hit["id"] for hit in search(kb, text)}

    assert found("aînés") == found("aines") == found("AINE") == {"e1"}
    assert found("été") == found("ete") == {"e2"}
    assert found("âge") == found("age") == found("maïs") == {"e3"}
    with pytest.raises(ValidationError, match="Only stop words"):
        found("mais")  # "but", a stop word: only its accent tells maïs from it
    assert found("œuvre") == found("oeuvre") == {"e4"}
    # Stripped, these are stop words (sur, ou): typed with accents they are found.
    assert found("sûr") == found("où") == {"e5"}


def test_a_database_of_the_previous_schema_is_upgraded_and_searchable(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    evidence = [{"id": "e1", "kind": "interview", "quote": "Les aînés du quartier."}]
    kb.import_data(write_csv_folder(tmp_path, {"evidence": evidence}))
    # What schema 5 left: the index on the text itself, no kb_search.
    for statement in (
        f"DROP INDEX {FULLTEXT_INDEX}",
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} FOR (n:Evidence|Document) "
        "ON EACH [n.quote, n.note, n.location, n.title] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'french'}}",
        "MATCH (n:Evidence) REMOVE n.kb_search",
        "MATCH (m:KbMeta {key: 'schema'}) SET m.version = 5",
    ):
        kb.schema_statement(statement)
    upgraded = KnowledgeBase(kb.driver, database=kb.database, uri=kb.uri)
    upgraded.ensure_schema()
    assert upgraded.status()["schema_version"] == SCHEMA_VERSION
    assert [h["id"] for h in search(upgraded, "aines")] == ["e1"]


def test_words_join_into_one_query_and_stop_words_alone_are_refused(
    case_env: dict[str, str],
) -> None:
    runner = CliRunner()
    both = runner.invoke(app, ["search", "comite", "conjoint", "-f", "json"], env=case_env)
    one = runner.invoke(app, ["search", "comite conjoint", "-f", "json"], env=case_env)
    assert both.exit_code == 0 and '"id"' in both.stdout
    # the same answer; their provenance records each command as it was typed
    assert json_result(json.loads(both.stdout)) == json_result(json.loads(one.stdout))
    for words in (["la"], ["la", "de", "les"], ["LA", "OR", "Le"]):
        result = runner.invoke(app, ["search", *words], env=case_env)
        assert result.exit_code == ExitCode.INVALID_INPUT, result.output
        assert "Only stop words" in result.stderr


def test_search_limits_are_refused_in_one_sentence(
    example: KnowledgeBase, case_env: dict[str, str]
) -> None:
    runner = CliRunner()
    cases = [
        ["groupe", "--limit", "1000000000000"],
        ["groupe", "--limit", str(MAX_SEARCH_LIMIT + 1)],
        ["groupe", "--limit", "0"],
        [f"mot{i}" for i in range(MAX_SEARCH_TERMS + 76)],
        [" OR ".join(f"g{i}*" for i in range(1500))],
        ["équipe " * 600],  # with accents, each word counts twice
    ]
    for args in cases:
        result = runner.invoke(app, ["search", *args], env=case_env)
        assert result.exit_code == ExitCode.INVALID_INPUT, (args[:3], result.output[-300:])
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert len(search(example, "groupe", limit=MAX_SEARCH_LIMIT)) > 0
    assert search(example, " OR ".join(f"g{i}*" for i in range(1000))) == []  # within limits
    with pytest.raises(ValidationError, match="1,024"):
        search(example, [f"mot{i}" for i in range(MAX_SEARCH_TERMS + 1)])
