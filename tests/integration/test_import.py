"""Import, re-import, incremental additions and provenance against the real Neo4j."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kb.errors import NotFoundError, ValidationError
from kb.graph import KnowledgeBase
from kb.imports import Dataset
from tests.support import snapshot, write_csv_folder

pytestmark = pytest.mark.neo4j

TABLES: dict[str, list[dict[str, Any]]] = {
    "territories": [{"id": "r1", "name": "Region"}, {"id": "l1", "name": "Local", "parent": "r1"}],
    "organizations": [
        {"id": "wg", "name": "Working group", "kind": "working group", "sector": "community"},
        {
            "id": "csss",
            "name": "CSSS",
            "kind": "public institution",
            "sector": "public",
            "territory": "l1",
        },
        {"id": "ciusss", "name": "CIUSSS", "kind": "public institution", "sector": "public"},
    ],
    "actors": [
        {"id": "p1", "name": "Anne (fictional)", "sector": "community", "territory": "l1"},
        {"id": "p2", "name": "Bob (fictional)", "sector": "public", "interviewed": "yes"},
    ],
    "documents": [{"id": "d1", "title": "Minutes", "date": "2016-02", "author": "p1"}],
    "evidence": [
        {
            "id": "e1",
            "kind": "interview",
            "date": "2016-03",
            "quote": "On se parle [souvent]",
            "location": "00:12:40",
        },
        {"id": "e2", "kind": "document", "date": "2016", "document": "d1", "location": "p. 3"},
        {"id": "e3", "kind": "observation", "date": "2017-05-02", "quote": "later note"},
    ],
    "ties": [
        {
            "source": "p1",
            "target": "p2",
            "type": "collaboration",
            "start": "2015",
            "end": "2016-06",
            "directed": "false",
            "evidence": "e1;e2",
        },
        {
            "source": "p2",
            "target": "csss",
            "type": "INFORMATION",
            "start": "2016-03",
            "weight": "2,5",
            "evidence": "e2",
        },
    ],
    "memberships": [
        {
            "person": "p2",
            "organization": "csss",
            "role": "organizer",
            "start": "2014",
            "end": "2015-04-01",
        },
    ],
    "reforms": [{"id": "bill-10", "name": "Bill 10", "date": "2015-04-01"}],
    "reform_effects": [
        {
            "reform": "bill-10",
            "organization": "csss",
            "effect": "merged_into",
            "successor": "ciusss",
            "date": "2015-04-01",
        },
    ],
    "problems": [{"id": "pb1", "statement": "Access is hard"}],
    "positions": [{"actor": "p1", "problem": "pb1", "stance": "agree", "date": "2016"}],
}


def test_import_then_reimport_changes_nothing(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "case", TABLES)
    first = kb.import_data(folder)
    assert first.outcomes["ties"] == {"created": 2}
    assert first.outcomes["actors"] == {"created": 2}
    before = snapshot(kb)
    second = kb.import_data(folder)
    assert all(set(o) == {"unchanged"} for o in second.outcomes.values()), second.outcomes
    assert snapshot(kb) == before
    status = kb.status()
    # 2 territories, 3 organizations, 2 persons, 1 document, 3 evidence, 1 reform, 1 problem
    assert status["nodes"] == 13


def test_the_stored_model(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.import_data(write_csv_folder(tmp_path / "case", TABLES))
    tie = kb.driver.execute_query(
        "MATCH (:Actor {id: 'p1'})-[t:TIE]->(:Actor {id: 'p2'}) RETURN properties(t) AS t"
    ).records[0]["t"]
    assert tie["type"] == "COLLABORATION" and tie["directed"] is False
    assert tie["start"] == "2015" and tie["start_precision"] == "year"
    assert str(tie["start_first"]) == "2015-01-01" and str(tie["end_last"]) == "2016-06-30"
    assert sorted(tie["evidence"]) == ["e1", "e2"]
    weight = kb.driver.execute_query("MATCH ()-[t:TIE {type: 'INFORMATION'}]->() RETURN t.weight")
    assert weight.records[0][0] == 2.5
    links = kb.driver.execute_query(
        "MATCH (a)-[r]->(b) WHERE type(r) <> 'TIE' RETURN a.id + '-' + type(r) + '->' + b.id AS x"
    ).records
    assert {r["x"] for r in links} >= {
        "l1-PART_OF->r1",
        "csss-IN_TERRITORY->l1",
        "p1-IN_TERRITORY->l1",
        "p1-AUTHORED->d1",
        "e2-FROM_DOCUMENT->d1",
        "p2-MEMBER_OF->csss",
        "bill-10-AFFECTED->csss",
        "csss-SUCCEEDED_BY->ciusss",
        "p1-TAKES_POSITION->pb1",
    }
    extra = kb.driver.execute_query("MATCH (p:Person {id: 'p2'}) RETURN p.interviewed AS x")
    assert extra.records[0]["x"] == "yes"


def test_bad_input_reports_every_problem_and_writes_nothing(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    kb.import_data(write_csv_folder(tmp_path / "good", TABLES))
    before = snapshot(kb)
    bad = {
        **TABLES,
        "ties": [
            *TABLES["ties"],
            {"source": "p1", "target": "ghost", "type": "ADVICE", "start": "2016-02-30"},
            {"source": "p1", "target": "p2", "type": "ADVICE", "start": "2017", "end": "2016"},
        ],
    }
    folder = write_csv_folder(tmp_path / "bad", bad)
    with pytest.raises(ValidationError) as raised:
        kb.import_data(folder)
    messages = [str(issue) for issue in raised.value.issues]
    assert any(m.startswith("ties.csv:4:target:") and "ghost" in m for m in messages), messages
    assert any(m.startswith("ties.csv:4:start:") for m in messages), messages
    assert any(m.startswith("ties.csv:5:end:") for m in messages), messages
    assert snapshot(kb) == before


def test_references_resolve_against_the_database(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.import_data(write_csv_folder(tmp_path / "first", TABLES))
    later = {
        "evidence": [{"id": "e9", "kind": "interview", "quote": "new interview"}],
        "ties": [
            {
                "source": "p1",
                "target": "ciusss",
                "type": "ADVICE",
                "start": "2017",
                "evidence": "e9;e3",
            }
        ],
    }
    report = kb.import_data(write_csv_folder(tmp_path / "later", later))
    assert report.outcomes["ties"] == {"created": 1}
    missing = {"ties": [{"source": "p1", "target": "nobody", "type": "ADVICE"}]}
    with pytest.raises(ValidationError) as raised:
        kb.import_data(write_csv_folder(tmp_path / "missing", missing))
    assert [str(i).split(" (hint")[0] for i in raised.value.issues] == [
        "ties.csv:2:target: unknown actor 'nobody'"
    ]


def test_a_person_cannot_become_an_organization(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.import_data(write_csv_folder(tmp_path / "first", TABLES))
    clash = {"organizations": [{"id": "p1", "name": "Not a person"}]}
    with pytest.raises(ValidationError, match="problem"):
        kb.import_data(write_csv_folder(tmp_path / "clash", clash))
    labels = kb.driver.execute_query("MATCH (n:Actor {id: 'p1'}) RETURN labels(n) AS l")
    assert "Organization" not in labels.records[0]["l"]


def test_an_interrupted_import_completes_without_duplicates(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    from kb.imports import open_dataset
    from kb.imports.writer import Importer

    ties = [
        {
            "source": "p1" if i % 2 else "p2",
            "target": "p2" if i % 2 else "p1",
            "type": "ADVICE",
            "start": f"{2000 + i % 20}-{1 + i % 12:02d}",
            "id": f"t{i}",
        }
        for i in range(250)
    ]
    folder = write_csv_folder(tmp_path / "big", {**TABLES, "ties": ties})

    def stop_after_first_batch(table: str, done: int, total: int) -> None:
        if table == "ties":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Importer(kb, batch_size=100).run(open_dataset(folder), progress=stop_after_first_batch)
    partial = kb.driver.execute_query("MATCH ()-[t:TIE]->() RETURN count(t)").records[0][0]
    # Whole batches only; new ties are written two batches at a time (ingest.WRITERS), so
    # the batch in flight beside the interrupted one may have been committed too.
    assert partial in (100, 200)
    report = kb.import_data(folder)
    assert report.outcomes["ties"] == {"unchanged": partial, "created": 250 - partial}
    count = kb.driver.execute_query("MATCH ()-[t:TIE]->() RETURN count(t)").records[0][0]
    assert count == 250


def test_add_link_end_tie_why_and_timeline(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.import_data(write_csv_folder(tmp_path / "case", TABLES))
    added = kb.add("ties", {"source": "p1", "target": "csss", "type": "advice", "start": "2016"})
    assert added["outcome"] == "created" and added["id"].startswith("t-")
    again = kb.add("ties", {"source": "p1", "target": "csss", "type": "ADVICE", "start": "2016"})
    assert again == {**added, "outcome": "unchanged", "changes": []}
    with pytest.raises(ValidationError):
        kb.add("ties", {"source": "p1", "target": "p1", "type": "ADVICE"})

    linked = kb.link_evidence("e3", kind="tie", target=added["id"])
    assert linked["evidence"] == ["e3"]
    assert kb.link_evidence("e3", kind="tie", target=added["id"])["evidence"] == ["e3"]
    with pytest.raises(NotFoundError):
        kb.link_evidence("e404", kind="tie", target=added["id"])
    with pytest.raises(NotFoundError):
        kb.link_evidence("e3", kind="membership", target="m-none")

    # a re-import keeps evidence linked by hand
    kb.import_data(write_csv_folder(tmp_path / "case", TABLES))
    tie_id = kb.why("p1", "p2")[0]["tie"]
    kb.link_evidence("e3", kind="tie", target=tie_id)
    kb.import_data(write_csv_folder(tmp_path / "case", TABLES))
    assert {e["id"] for e in kb.why("p1", "p2")[0]["evidence"]} == {"e1", "e2", "e3"}

    with pytest.raises(ValidationError, match="cannot end before"):
        kb.end_tie(added["id"], on="2015-12")
    ended = kb.end_tie(added["id"], on="2017-03")
    assert ended["end"] == "2017-03"

    why = kb.why("p2", "p1", at="2016-05-01")
    assert len(why) == 1
    evidence = {e["id"]: e for e in why[0]["evidence"]}
    assert evidence["e2"]["document_title"] == "Minutes" and evidence["e2"]["location"] == "p. 3"
    assert evidence["e1"]["quote"] == "On se parle [souvent]"
    assert kb.why("p1", "p2", at="2016-07") == []  # ended 2016-06
    assert len(kb.why("p1", "p2", at="2016")) == 1  # overlaps the year

    timeline = kb.timeline("p2")
    kinds = [(row["kind"], row["date"]) for row in timeline]
    assert kinds == [
        ("membership", "2014"),
        ("tie", "2015"),
        ("reform effect", "2015-04-01"),
        ("tie", "2016-03"),
    ]
    with pytest.raises(NotFoundError):
        kb.timeline("nobody")


def test_json_and_records_sources_import_the_same_graph(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.import_data(write_csv_folder(tmp_path / "csv", TABLES))
    from_csv = snapshot(kb)
    kb.reset()
    path = tmp_path / "case.json"
    path.write_text(json.dumps(TABLES))
    kb.import_data(path)
    assert snapshot(kb) == from_csv
    kb.reset()
    kb.import_data(Dataset.from_records(TABLES))
    assert snapshot(kb) == from_csv


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2016", "2016-01-01", "2016-12-31", "year"),
        ("2016-02", "2016-02-01", "2016-02-29", "month"),
        ("2015-02", "2015-02-01", "2015-02-28", "month"),
        ("2016-03-14", "2016-03-14", "2016-03-14", "day"),
    ],
)
def test_tie_dates_derived_in_cypher_match_partial_dates(
    kb: KnowledgeBase, text: str, first: str, last: str, precision: str
) -> None:
    from kb.dates import PartialDate

    parsed = PartialDate.parse(text)
    assert (str(parsed.first), str(parsed.last), parsed.precision) == (first, last, precision)
    kb.import_data(
        Dataset.from_records(
            {
                "actors": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
                "ties": [
                    {"source": "a", "target": "b", "type": "INFO", "start": text, "end": text}
                ],
            }
        )
    )
    tie = kb.driver.execute_query("MATCH ()-[t:TIE]->() RETURN properties(t) AS t").records[0]["t"]
    for end in ("start", "end"):
        assert tie[end] == text
        assert (str(tie[f"{end}_first"]), str(tie[f"{end}_last"])) == (first, last)
        assert tie[f"{end}_precision"] == precision


def _ties_case(ties: list[dict[str, Any]], evidence: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "documents": [{"id": "d1", "title": "Minutes"}, {"id": "d2", "title": "Report"}],
        "actors": [{"id": f"p{i}", "name": f"P{i}"} for i in range(1, 5)],
        "evidence": evidence,
        "ties": ties,
    }


FIRST_TIES = [
    {
        "id": "t1",
        "source": "p1",
        "target": "p2",
        "type": "ADVICE",
        "start": "2016-03",
        "evidence": "e1",
    },
    {
        "id": "t2",
        "source": "p1",
        "target": "p3",
        "type": "INFO",
        "start": "2015",
        "end": "2016-02",
        "weight": "2",
        "evidence": "e1;e2",
    },
    {"id": "t3", "source": "p2", "target": "p3", "type": "INFO", "directed": "false"},
    {"id": "t4", "source": "p3", "target": "p4", "type": "INFO", "start": "2016-03-14"},
]
FIRST_EVIDENCE = [
    {"id": "e1", "kind": "interview", "date": "2016-03", "quote": "q1", "document": "d1"},
    {"id": "e2", "kind": "document", "date": "2016", "document": "d1"},
    {"id": "e3", "kind": "observation"},
]
SECOND_TIES = [
    FIRST_TIES[0],  # unchanged
    {**FIRST_TIES[1], "weight": "3", "evidence": "e3"},  # changed; evidence only grows
    {**FIRST_TIES[2], "source": "p4"},  # explicit id moved to new ends, props unchanged
    {**FIRST_TIES[3], "target": "p1", "end": "2017"},  # moved and changed
    {"id": "t5", "source": "p4", "target": "p2", "type": "ADVICE", "evidence": "e4"},  # new
]
SECOND_EVIDENCE = [
    FIRST_EVIDENCE[0],  # unchanged
    {**FIRST_EVIDENCE[1], "document": "d2"},  # its document changed
    {**FIRST_EVIDENCE[2], "quote": "new quote"},  # changed
    {"id": "e4", "kind": "interview"},  # new
]


@pytest.mark.parametrize("split", [True, False], ids=["split", "merge-only"])
def test_split_writes_match_the_merge_queries(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    """New rows take import/<table>_new, existing ones import/<table>_state first; the
    outcomes and the stored graph are those of the MERGE queries alone."""
    from kb.imports import writer as ingest

    if not split:
        monkeypatch.setattr(ingest, "SPLIT_TABLES", frozenset())
    first = kb.import_data(Dataset.from_records(_ties_case(FIRST_TIES, FIRST_EVIDENCE)))
    assert first.outcomes["ties"] == {"created": 4}
    assert first.outcomes["evidence"] == {"created": 3}
    kb.link_evidence("e3", kind="tie", target="t3")  # by hand: must survive the move
    second = kb.import_data(Dataset.from_records(_ties_case(SECOND_TIES, SECOND_EVIDENCE)))
    assert second.outcomes["ties"] == {"unchanged": 1, "updated": 3, "created": 1}
    assert second.outcomes["evidence"] == {"unchanged": 1, "updated": 2, "created": 1}
    ties = {
        r["id"]: r.data()
        for r in kb.driver.execute_query(
            "MATCH (a)-[t:TIE]->(b) RETURN t.id AS id, a.id AS a, b.id AS b, properties(t) AS p"
        ).records
    }
    assert len(ties) == 5
    assert (ties["t3"]["a"], ties["t3"]["b"]) == ("p4", "p3")
    assert ties["t3"]["p"]["type"] == "INFO" and ties["t3"]["p"]["directed"] is False
    assert ties["t3"]["p"]["evidence"] == ["e3"]
    assert (ties["t4"]["a"], ties["t4"]["b"]) == ("p3", "p1")
    assert str(ties["t4"]["p"]["end_last"]) == "2017-12-31"
    assert ties["t2"]["p"]["weight"] == 3.0 and ties["t2"]["p"]["evidence"] == ["e1", "e2", "e3"]
    docs = kb.driver.execute_query(
        "MATCH (e:Evidence)-[:FROM_DOCUMENT]->(d) RETURN e.id AS e, d.id AS d ORDER BY e"
    ).records
    assert [(r["e"], r["d"]) for r in docs] == [("e1", "d1"), ("e2", "d2")]
    third = kb.import_data(Dataset.from_records(_ties_case(SECOND_TIES, SECOND_EVIDENCE)))
    assert third.outcomes["ties"] == {"unchanged": 5}
    assert third.outcomes["evidence"] == {"unchanged": 4}


def test_split_and_merge_queries_store_the_same_graph(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kb.imports import writer as ingest

    folder = write_csv_folder(tmp_path / "case", TABLES)
    kb.import_data(folder)
    split = snapshot(kb)
    kb.reset()
    monkeypatch.setattr(ingest, "SPLIT_TABLES", frozenset())
    kb.import_data(folder)
    assert snapshot(kb) == split


def test_a_concurrently_created_id_falls_back_to_the_merge_query(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """import/ties_new fails on the uniqueness constraint; the batch is merged instead."""
    from kb.imports import writer as ingest

    case = _ties_case(FIRST_TIES, FIRST_EVIDENCE)
    kb.import_data(Dataset.from_records({k: v for k, v in case.items() if k != "ties"}))
    original = ingest.Importer._write_new_batch

    def racing(self: Any, table: str, params: Any) -> Any:
        if table == "ties":  # another writer creates t2 between the count and the write
            kb.driver.execute_query(
                "MATCH (a:Actor {id: 'p1'}), (b:Actor {id: 'p3'}) "
                "CREATE (a)-[:TIE {id: 't2', type: 'INFO'}]->(b)"
            )
        return original(self, table, params)

    monkeypatch.setattr(ingest.Importer, "_write_new_batch", racing)
    report = kb.import_data(Dataset.from_records(case))
    assert report.outcomes["ties"] == {"created": 3, "updated": 1}
    count = kb.driver.execute_query("MATCH ()-[t:TIE]->() RETURN count(t)").records[0][0]
    assert count == 4


def test_prefetched_keeps_order_raises_the_producers_error_and_stops_early() -> None:
    import threading
    from itertools import count

    from kb.imports.writer import prefetched

    assert list(prefetched(iter(range(50)), depth=2)) == list(range(50))

    def failing() -> Any:
        yield 1
        raise ValidationError("the file changed")

    stream = prefetched(failing())
    assert next(stream) == 1
    with pytest.raises(ValidationError, match="changed"):
        next(stream)
    endless = prefetched(count())  # closing it must stop the producer thread
    assert next(endless) == 0
    endless.close()
    assert not [t for t in threading.enumerate() if t.name == "kb-import-prefetch"]


DATE_TEXTS = [None, "2016", "2016-02", "2015-02", "2016-03-14", "2015-12-31", "2100-12"]


def _dated_ties(prefix: str, shift: int = 0) -> list[dict[str, Any]]:
    """A tie for every pair of start and end texts (an end never before its start)."""
    from kb.dates import PartialDate

    ties = []
    for i, start in enumerate(DATE_TEXTS):
        for j, end in enumerate(DATE_TEXTS):
            if start and end and PartialDate.parse(end).last < PartialDate.parse(start).first:
                continue
            ties.append(
                {
                    "id": f"{prefix}{i}-{j}",
                    "source": "a",
                    "target": "b",
                    "type": "INFO",
                    "start": start,
                    "end": end,
                    "weight": str(1 + shift),
                }
            )
    return ties


def _stored_dates_agree_with_python(kb: KnowledgeBase, ties: list[dict[str, Any]]) -> None:
    from kb.dates import PartialDate
    from kb.imports.writer import date_properties

    stored = {
        r["id"]: r["t"]
        for r in kb.driver.execute_query(
            "MATCH ()-[t:TIE]->() RETURN t.id AS id, properties(t) AS t"
        ).records
    }
    for tie in ties:
        for column in ("start", "end"):
            text = tie[column]
            expected = date_properties(column, PartialDate.parse(text) if text else None)
            got = {k: stored[tie["id"]].get(k) for k in expected}
            got = {k: v.to_native() if hasattr(v, "to_native") else v for k, v in got.items()}
            assert got == expected, (tie["id"], column)


def test_tie_dates_agree_with_python_on_every_write_path(kb: KnowledgeBase) -> None:
    """The date derivation is written twice in Cypher (import/ties_new and import/ties):
    both must store what kb.imports.writer.date_properties derives in Python."""
    actors = [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]
    created = _dated_ties("c")
    kb.import_data(Dataset.from_records({"actors": actors, "ties": created}))  # empty: _new
    _stored_dates_agree_with_python(kb, created)
    # the same ids with the dates moved: existing rows that changed go through import/ties
    moved = [{**tie, "start": tie["end"], "end": None} for tie in created]
    report = kb.import_data(Dataset.from_records({"ties": moved}))
    assert report.outcomes["ties"].get("updated") == sum(
        1 for old, new in zip(created, moved, strict=True) if old != new
    )
    _stored_dates_agree_with_python(kb, moved)
    # new ids into a table that has rows: sorted by import/ties_state, created by _new
    added = _dated_ties("n", shift=1)
    kb.import_data(Dataset.from_records({"ties": added}))
    _stored_dates_agree_with_python(kb, [*moved, *added])
    # and the MERGE query alone (a batch a concurrent writer made the CREATE refuse)
    from kb.imports import records
    from kb.imports.writer import Importer, to_parameters

    merged = [{**tie, "id": f"m{tie['id']}"} for tie in added]
    rows = records(Dataset.from_records({"ties": merged}), "ties")
    Importer(kb)._write_batch("ties", [to_parameters("ties", r) for r in rows])
    _stored_dates_agree_with_python(kb, merged)
