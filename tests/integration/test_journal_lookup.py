"""`kb changes --id` and `kb history` on a large journal (issue 20 §5): the entries that
touched a record are found through indexes (touch keys, the journal_ids full-text index of
bulk chunks, the entries' seq index), never by reading every entry or every bulk list; the
check that no entry is missing reads the journal's extent only. On the real Neo4j."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kb import journal, queries
from kb.errors import ValidationError
from kb.graph import KnowledgeBase
from tests.support import write_csv_folder

pytestmark = pytest.mark.neo4j

ACTORS = 120  # more than journal.DETAIL_LIMIT: the import's chunk is a bulk one
# Operators that read every node of a label, or of the database.
SCANS = {"NodeByLabelScan", "AllNodesScan", "UnionNodeByLabelsScan", "IntersectionNodeByLabelsScan"}


def operators(base: KnowledgeBase, name: str, params: dict[str, Any]) -> set[str]:
    """The operators of the plan of query ``name`` (EXPLAIN: planned, not run)."""
    query = queries.get(name)
    summary = base.driver.execute_query(
        "EXPLAIN " + query.body, query.bind(params), database_=base.database
    ).summary
    found: set[str] = set()

    def walk(plan: Any) -> None:
        found.add(plan["operatorType"].split("@")[0])
        for child in plan.get("children", []):
            walk(child)

    assert summary.plan is not None
    walk(summary.plan)
    return found


def test_changes_of_one_record_come_from_indexes(kb: KnowledgeBase, tmp_path: Path) -> None:
    rows = [{"id": f"jl-a{i}", "name": f"Actor {i}"} for i in range(ACTORS)]
    kb.import_data(write_csv_folder(tmp_path / "case", {"actors": rows}))
    imported = journal.head(kb).data_version
    kb.add("actors", {"id": "jl-a7", "name": "Renamed"})

    found = journal.changes(kb, record="jl-a7")
    assert [e.seq for e in found] == [imported, imported + 1]
    bulk, small = found
    # The import's bulk chunk: found through the full-text index, its size without its list.
    assert bulk.records == ACTORS
    assert bulk.changes == [{"id": "jl-a7", "kind": "", "op": "written", "before": {}, "after": {}}]
    assert small.changes[0]["op"] == "updated"
    assert small.changes[0]["after"] == {"name": "Renamed"}
    # An id only one character away is another record (each id is one whole term).
    assert list(journal.changes(kb, record="jl-a")) == []
    assert [e.seq for e in journal.changes(kb, record="jl-a70")] == [imported]
    # The whole listing counts the bulk chunk's records too, without sending its list.
    listed = {e.seq: e for e in journal.changes(kb, since=f"@{imported}")}
    assert listed[imported].records == ACTORS

    touched = kb.read("journal/touching", id="jl-a7")
    hits = [row["chunk"] for row in touched if row["chunk"]]
    plans: dict[str, dict[str, Any]] = {
        "journal/touching": {"id": "jl-a7"},
        "journal/entries_in": {"seqs": [imported], "id": "jl-a7", "hits": hits, "analyst": None},
        "journal/extent": {},
    }
    for name, params in plans.items():
        used = operators(kb, name, params)
        assert not used & SCANS, (name, sorted(used))
    assert "NodeCountFromCountStore" in operators(kb, "journal/extent", {})


def test_an_entry_renumbered_past_the_head_is_a_tampered_journal(kb: KnowledgeBase) -> None:
    kb.add("actors", {"id": "jl-b1", "name": "B1"})
    kb.add("actors", {"id": "jl-b2", "name": "B2"})
    last = journal.head(kb).data_version
    assert journal.checked_head(kb) == last
    moved = last - 1
    # As many entries as the head says, but one of them numbered after it: a gap at `moved`.
    kb.driver.execute_query(
        "MATCH (e:KbJournal {seq: $seq}) SET e.seq = $past",
        {"seq": moved, "past": last + 7},
        database_=kb.database,
    )
    try:
        with pytest.raises(ValidationError, match=f"entries {moved} to {moved} are missing"):
            journal.checked_head(kb)
        with pytest.raises(ValidationError, match="tampered"):
            journal.changes(kb, record="jl-b2")
    finally:  # the journal outlives the test's case: number the entry back
        kb.driver.execute_query(
            "MATCH (e:KbJournal {seq: $past}) SET e.seq = $seq",
            {"seq": moved, "past": last + 7},
            database_=kb.database,
        )
    assert journal.checked_head(kb) == last
