"""The lookups' typed results (kb why, evidence coverage, reforms list, and the shapes of
kb timeline, search, status, changes and history): their data is the command's JSON, their
records the CSV's rows by the one rule of kb.results, over the example case in the in-memory
reader (tests/memory_reader.py) where it answers their queries. No server."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kb.analyses import evidence, provenance, reforms
from kb.analyses.evidence import EvidenceCoverage, SearchHits
from kb.analyses.provenance import TiesBetween, Timeline
from kb.analyses.reforms import Reforms
from kb.errors import NotFoundError
from kb.graph import Status
from kb.journal import Change, Changes
from kb.results import Result, Rows, columns_of
from tests.memory_reader import MemoryReader


def test_why_is_one_record_per_tie_and_one_flat_record_per_evidence_item(
    db: MemoryReader, raw: dict[str, list[dict[str, Any]]]
) -> None:
    ties = provenance.why(db, "Louise Simard", "p-mgagnon")  # a name, an id
    assert isinstance(ties, TiesBetween)
    expected = {
        t["id"]: list(dict.fromkeys(t["evidence"] or []))
        for t in raw["ties"]
        if {t["source"], t["target"]} == {"p-lsimard", "p-mgagnon"}
    }
    assert {t["tie"] for t in ties} == set(expected) and expected
    assert ties.data() == [dict(t) for t in ties.rows]  # the JSON: the ties, evidence nested
    rows = ties.records()
    # one row per evidence item, its fields as evidence_*, a tie without any keeping one row
    assert len(rows) == sum(max(len(items), 1) for items in expected.values())
    for tie, items in expected.items():
        mine = [r for r in rows if r["tie"] == tie]
        assert [r["evidence_id"] for r in mine] == sorted(
            items or [None], key=lambda i: (_evidence_date(raw, i), i or "")
        )
        assert all("evidence" not in r and r["type"] for r in mine)
    with pytest.raises(NotFoundError):
        provenance.why(db, "p-lsimard", "nobody-at-all")


def _evidence_date(raw: dict[str, list[dict[str, Any]]], item: str | None) -> dt.date:
    found = next((e for e in raw["evidence"] if e["id"] == item), None)
    day = found and found.get("date")
    return day.first if day else dt.date.max


def test_why_in_a_period_keeps_the_ties_overlapping_it(db: MemoryReader) -> None:
    every = provenance.why(db, "p-lsimard", "p-mgagnon")
    in_2016 = provenance.why(db, "p-lsimard", "p-mgagnon", at="2016")
    assert {t["tie"] for t in in_2016} <= {t["tie"] for t in every}
    assert all(
        (t["start"] is None or str(t["start"]) <= "2016-12-31")
        and (t["end"] is None or str(t["end"]) >= "2016")
        for t in in_2016
    )


def test_evidence_coverage_is_typed_with_its_summaries_as_records(db: MemoryReader) -> None:
    report = evidence.coverage(db)
    assert isinstance(report, EvidenceCoverage)
    assert list(report.data()) == ["ties", "by_type", "by_stage", "total"]
    assert report["ties"] is report.ties  # reads as its JSON
    rows = report.records()
    assert len(rows) == len(report.ties) and [r["tie"] for r in rows] == [
        t["tie"] for t in report.ties
    ]
    assert rows[0]["kinds"] == report.ties[0]["kinds"]  # a list of words stays a list
    by_type = report.type_records()
    assert [r["type"] for r in by_type] == sorted({t["type"] for t in report.ties})
    assert sum(r["ties"] for r in by_type) == report.total["ties"] == len(report.ties)
    assert sum(r["no_evidence"] for r in by_type) == report.total["no_evidence"]
    assert [r["stage"] for r in report.stage_records()] == [s["stage"] for s in report.by_stage]


def test_reforms_list_the_affected_organizations_by_id(db: MemoryReader) -> None:
    found = reforms.reforms(db)
    assert isinstance(found, Reforms) and len(found) > 0
    for record, reform in zip(found.records(), found, strict=True):
        assert record["organizations"] == [o["id"] for o in reform["organizations"]]
        assert record["effects"] == len(reform["organizations"])


def test_timeline_search_status_and_changes_are_typed_results() -> None:
    """The lookups the reader cannot answer (their queries are Neo4j's: the full-text
    index, the journal), from records of their documented shape."""
    timeline = Timeline(
        ({"date": "2015", "kind": "tie", "other": "p-b", "evidence": ["ev-1", "ev-2"]},),
        actor={"id": "p-a", "name": "A"},
    )
    assert timeline.actor["name"] == "A" and timeline.data() == [dict(timeline[0])]
    assert timeline == list(timeline.rows)  # the actor is not part of its records
    assert timeline.records()[0]["evidence"] == ["ev-1", "ev-2"]

    hit = {
        "id": "ev-1",
        "score": 1.5,
        "ties": [{"id": "t-1", "type": "ADVICE", "source": "p-a", "target": "p-b"}],
        "actors": [{"id": "p-a", "name": "A"}],
        "meetings": [],
    }
    hits = SearchHits((hit,))
    assert hits.records() == [
        {"id": "ev-1", "score": 1.5, "ties": ["t-1"], "actors": ["p-a"], "meetings": []}
    ]

    status = Status(
        uri="bolt://x",
        server_version="5.26",
        edition="community",
        database="neo4j",
        nodes=3,
        relationships=2,
        schema_version=9,
        data_version=4,
        fingerprint="abc",
        state="complete",
    )
    assert isinstance(status, Result) and status["nodes"] == 3 and status.nodes == 3
    assert status.records() == [status.data()] and len(status.records()[0]) == 10

    change = Change(
        seq=1,
        at="2026-12-07T10:00:00.000000Z",
        analyst="me",
        command="kb add tie",
        why="",
        records=1,
        changes=[{"id": "t-1", "op": "created", "before": {}, "after": {"type": "ADVICE"}}],
    )
    entries = Changes((change,))
    assert isinstance(entries, Rows) and entries[0].seq == 1 and entries == [change]
    assert entries.data() == [change.as_dict()]
    assert entries.records()[0]["changes"] == ["t-1"]  # each change by its record id


@pytest.mark.parametrize("kind", ["why", "coverage"])
def test_a_lookup_shows_as_a_table_and_a_frame_of_its_records(db: MemoryReader, kind: str) -> None:
    result: Result | Rows = (
        provenance.why(db, "p-lsimard", "p-mgagnon") if kind == "why" else evidence.coverage(db)
    )
    html = result._repr_html_()
    assert html.startswith(f"<p><b>{type(result).__name__}</b>: {len(result.records())} records")
    pandas = pytest.importorskip("pandas")
    frame = result.to_frame()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == columns_of(result.records())
    assert len(frame) == len(result.records())
