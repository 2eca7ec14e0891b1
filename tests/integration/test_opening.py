"""The opening read (kb/cypher/meta/opening.cypher) answers, besides its own checks, what
every command would otherwise read one by one: the journal head, the case's counts, the
consent policy and the unfinished writes. Each part must be what the query it stands for
answers, on an empty database and on a case with consent restrictions and a write under
way; a base that writes reads them again."""

from __future__ import annotations

from typing import Any

import pytest

from kb.graph import KnowledgeBase

pytestmark = pytest.mark.neo4j

# The part of the opening read's row that stands for each query.
PARTS = {
    "journal/head": "head",
    "meta/counts": "counts",
    "consent/restricted": "restricted",
    "meta/pending": "pending",
    "fingerprint/cached": "kept",
}


def _queried(base: KnowledgeBase) -> dict[str, list[dict[str, Any]]]:
    """What each query answers when run itself (a fresh base: nothing opened)."""
    fresh = KnowledgeBase(base.driver, database=base.database, uri=base.uri)
    return {
        name: fresh.read(name)
        if name.endswith(("restricted", "pending"))
        else [fresh.read_one(name)]
        for name in PARTS
    }


def _opened(base: KnowledgeBase) -> dict[str, list[dict[str, Any]]]:
    row = base.read_one("meta/opening")
    return {
        name: list(row[part]) if isinstance(row[part], list) else [row[part]]
        for name, part in PARTS.items()
    }


def test_on_an_empty_database_the_opening_read_answers_as_each_query(kb: KnowledgeBase) -> None:
    assert _opened(kb) == _queried(kb)
    assert _opened(kb)["meta/counts"][0]["nodes"] == 0


def test_on_a_case_with_restrictions_and_a_write_under_way_it_answers_as_each_query(
    example: KnowledgeBase,
) -> None:
    with example.journal_entry("test"):
        example.add("actors", {"id": "p-kdiallo", "consent": "no-quotes"})
        example.add("actors", {"id": "p-lsimard", "consent": "withdrawn"})
    example.write_one("meta/pending_begin", key="pending:import:t", kind="import", source="x.csv")
    opened, queried = _opened(example), _queried(example)
    assert opened == queried
    assert [r["id"] for r in opened["consent/restricted"]] == ["p-kdiallo", "p-lsimard"]
    assert opened["consent/restricted"][0]["evidence"], "the items they are the informant of"
    assert opened["meta/pending"][0]["source"] == "x.csv"
    assert opened["journal/head"][0]["data_version"] > 1


def test_the_opening_serves_the_bases_reads_until_it_writes(
    example: KnowledgeBase,
) -> None:
    base = KnowledgeBase(example.driver, database=example.database, uri=example.uri)
    base.opening_checks()
    head = base.read_one("journal/head")
    # Written by another process meanwhile: the reads stand at the opening (as if the
    # command had read them then), but for the kept fingerprint's second read.
    example.end_tie("t-099", on="2016-01-01")
    assert base.read_one("journal/head") == head  # as the command opened
    # The kept fingerprint's second read (has the case moved?) asks the database.
    assert base.read_one("fingerprint/cached")["data_version"] == head["data_version"]
    assert base.read_one("fingerprint/cached")["data_version"] == head["data_version"] + 1
    base.opening_checks()
    base.end_tie("t-099", on="2016-02-01")
    assert base.read_one("journal/head")["data_version"] == head["data_version"] + 2
