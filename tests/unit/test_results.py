"""kb.results: typed results, their data (the JSON), their records (the CSV rows), and how a
notebook shows them; over the example case's analyses (tests/memory_reader.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from kb.analyses.brokerage import BrokerageResult, brokerage, brokerage_by
from kb.analyses.evolution import Evolution, evolution
from kb.analyses.paths import paths
from kb.results import OMIT_NONE, Records, Result, Rows, flat_records, flatten
from tests.memory_reader import MemoryReader
from tests.support import EXAMPLE


@dataclass(frozen=True, eq=False, kw_only=True)
class Sample(Result):
    RECORDS = Records(key="entries", explode="parts", prefix="part")

    source: str = field(metadata={"key": "from"})
    when: dt.date
    entries: list[dict[str, Any]]
    test: dict[str, Any] | None = field(default=None, metadata=OMIT_NONE)


SAMPLE = Sample(
    source="a",
    when=dt.date(2016, 3, 1),
    entries=[
        {"id": "i1", "parts": [{"id": "p1", "n": 1}, {"id": "p2", "n": 2}], "tags": ["x", "y"]},
        {"id": "i2", "parts": [], "nested": {"a": {"b": 3}}},
    ],
)


def test_data_is_the_json_fields_in_order_without_an_absent_test() -> None:
    assert SAMPLE.data() == {"from": "a", "when": dt.date(2016, 3, 1), "entries": SAMPLE.entries}
    assert list(SAMPLE) == ["from", "when", "entries"]
    assert SAMPLE["from"] == "a" and "test" not in SAMPLE
    with pytest.raises(KeyError):
        SAMPLE["test"]
    tested = Sample(source="a", when=dt.date(2016, 1, 1), entries=[], test={"p": 0.5})
    assert tested.data()["test"] == {"p": 0.5}
    assert SAMPLE == SAMPLE.data()  # a result equals its JSON data


def test_records_explode_and_flatten_by_the_one_rule() -> None:
    rows = SAMPLE.records()
    assert [(r["id"], r.get("part_id")) for r in rows] == [("i1", "p1"), ("i1", "p2"), ("i2", None)]
    assert rows[0]["tags"] == ["x", "y"] and rows[0]["part_n"] == 1
    assert rows[2]["nested_a_b"] == 3
    assert flatten({"l": [{"no": "id"}]}) == {"l": '[{"no": "id"}]'}
    assert flatten({"l": [{"id": "e1"}, {"id": "e2"}]}) == {"l": ["e1", "e2"]}


def test_rows_are_a_sequence_of_their_records() -> None:
    rows = Rows(({"a": 1}, {"a": 2}))
    assert rows == [{"a": 1}, {"a": 2}] and len(rows) == 2 and rows[1] == {"a": 2}
    assert rows.data() == [{"a": 1}, {"a": 2}] and rows.records() == [{"a": 1}, {"a": 2}]
    assert flat_records([{"a": {"b": 1}}]) == [{"a_b": 1}]


def test_html_table_escapes_the_data() -> None:
    hostile = Rows(({"name": "<script>alert(1)</script>", "share": 0.123456},))
    html = hostile._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "0.1235" in html
    assert "no records" in Rows()._repr_html_()


def test_to_frame_has_the_records_columns_and_rows() -> None:
    pytest.importorskip("pandas")
    frame = SAMPLE.to_frame()
    assert list(frame.columns) == list(SAMPLE.records()[0]) + ["nested_a_b"]
    assert len(frame) == 3


@pytest.fixture(scope="module")
def reader() -> MemoryReader:
    return MemoryReader(EXAMPLE)


def test_analyses_return_typed_results(reader: MemoryReader) -> None:
    result = brokerage(reader, group_by="sector")
    assert isinstance(result, BrokerageResult) and "period" not in result.data()
    assert result.records()[0]["roles_total_raw"] == result.actors[0]["roles"]["total"]["raw"]
    roles = [r["role"] for r in result.network_records()]
    assert roles == list(result.network)
    by = brokerage_by(reader, by="stage", group_by="sector")
    assert [r["period"] for r in by.data()] == [r.period for r in by.rows]
    assert {r["period"] for r in by.records()} == {r.period for r in by.rows}
    periods = evolution(reader, by="stage", group_by="sector")
    assert isinstance(periods, Evolution) and periods.records()[0]["period"] == periods[0]["period"]
    found = paths(reader, "p-kdiallo", "ciusss-cn")
    assert found.data()["from"] == "p-kdiallo" and found.data()["to"] == "ciusss-cn"
    steps = found.records()
    assert len(steps) == sum(len(p["ties"]) for p in found.paths)
    assert all("tie_id" in s for s in steps)
