"""The typed boundary at the runner (kb.rows, kb.queries' ``rows:``), on a real Neo4j.

Rows leave the driver as plain Python values, once, in `KnowledgeBase`; each query runs in
the form its header declares and a breach of the declaration is a defect, raised at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from kb import queries
from kb.cli import app
from kb.errors import ExitCode
from kb.graph import KnowledgeBase
from kb.provenance import json_result
from kb.queries import RowCountError

pytestmark = pytest.mark.neo4j

PLAIN = (type(None), bool, int, float, str, dt.date, dt.datetime, dt.time)


def driver_types(value: Any, where: str = "result") -> Iterator[str]:
    """Where in ``value`` a value of a type other than plain Python's sits."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from driver_types(item, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            yield from driver_types(item, f"{where}[{i}]")
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from driver_types(getattr(value, name), f"{where}.{name}")
    elif type(value).__module__.startswith("neo4j") or not isinstance(value, PLAIN):
        yield f"{where}: {type(value).__module__}.{type(value).__name__}"


@pytest.fixture
def extra_query(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Adds a query (header and body) under ``test/NAME`` for the test's duration."""

    def add(name: str, text: str) -> str:
        full = f"test/{name}"
        monkeypatch.setitem(queries.load_all(), full, queries.parse(full, text))
        return full

    return add


EVERY_TYPE = """// Every kind of value Neo4j returns.
//
// returns: day, moment, local, clock, span, flat, globe, node, link, path, nested
// rows: one
// mode: read
CREATE (a:KbTestValue {name: 'a', on: date('2016-03-01')})
       -[r:KB_TEST {w: 2}]->(b:KbTestValue {name: 'b'})
WITH a, r, b
MATCH p = (b)<-[:KB_TEST]-(a)
RETURN date('2016-03-01') AS day,
       datetime('2016-03-01T10:00:00.123456789+01:00') AS moment,
       localdatetime('2016-03-01T10:00:00') AS local,
       localtime('10:30:00') AS clock,
       duration('P1M2DT3S') AS span,
       point({x: 1.5, y: 2}) AS flat,
       point({longitude: -71.2, latitude: 46.8}) AS globe,
       a AS node, r AS link, p AS path,
       {days: [date('2015-01-01'), null], count: 3} AS nested
"""


def test_rows_leave_the_runner_as_plain_python(kb: KnowledgeBase, extra_query: Any) -> None:
    # A read transaction refuses CREATE: the query's values need a write (rolled back by the
    # emptied database of the next test).
    name = extra_query("every_type", EVERY_TYPE.replace("mode: read", "mode: write"))
    row = kb.write_one(name)
    assert row["day"] == dt.date(2016, 3, 1) and type(row["day"]) is dt.date
    assert row["moment"] == dt.datetime(
        2016, 3, 1, 10, 0, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert row["local"] == dt.datetime(2016, 3, 1, 10, 0) and row["local"].tzinfo is None
    assert row["clock"] == dt.time(10, 30)
    assert row["span"] == "P1M2DT3S"
    assert row["flat"] == {"srid": 7203, "x": 1.5, "y": 2.0}
    assert row["globe"] == {"srid": 4326, "x": -71.2, "y": 46.8}
    a = {"name": "a", "on": dt.date(2016, 3, 1)}
    assert row["node"] == a
    assert row["link"] == [a, "KB_TEST", {"name": "b"}]
    # The path walks the relationship against its direction: b, then a.
    assert row["path"] == [{"name": "b"}, "KB_TEST", a]
    assert row["nested"] == {"days": [dt.date(2015, 1, 1), None], "count": 3}
    assert not list(driver_types(row))


def test_the_analyses_and_the_cli_see_no_driver_type(example: KnowledgeBase) -> None:
    """Dates stored on ties, stages, reforms and positions reach the analyses as Python's."""
    stages = example.read("network/stages")
    observation = example.observation_end()
    results: dict[str, Any] = {
        "stages": stages,
        "timeline": example.timeline("p-pleclerc"),
        "why": example.why("p-kdiallo", "p-lsimard"),
        "reforms": example.reforms(),
        "broken": example.broken_ties(reform="bill-10", window="15m"),
        "coverage": example.evidence_coverage(),
        "consensus": example.consensus(by="stage"),
        "snapshot": example.network_snapshot(),
        "periods": example.periods("year"),
        "observation": observation,
        "survival": example.tie_survival(reform="bill-10"),
    }
    assert not list(driver_types(results))
    assert type(stages[0]["first"]) is dt.date and type(stages[0]["last"]) is dt.date
    assert type(observation["observed_until"]) is dt.date


def test_a_query_breaking_its_declared_rows_is_a_defect(
    example: KnowledgeBase, extra_query: Any
) -> None:
    header = "// A test query.\n//\n// returns: id\n// rows: {rows}\n// mode: read\n"
    none = extra_query("none", header.format(rows="one") + "MATCH (n:Nothing) RETURN n.id AS id")
    with pytest.raises(RowCountError, match="declares rows: one but answered with 0 rows"):
        example.read_one(none)
    two = "MATCH (a:Actor) RETURN a.id AS id ORDER BY id LIMIT 2"
    optional = extra_query("two", header.format(rows="optional") + two)
    with pytest.raises(RowCountError, match="rows: optional but answered with 2 rows"):
        example.read_optional(optional)
    # Run in a form its header does not declare: refused before anything is sent.
    with pytest.raises(RowCountError, match=r"run it with read_one\(\)"):
        example.read("meta/counts")
    with pytest.raises(RowCountError, match=r"run it with read_optional\(\)"):
        example.read_one("actors/get", id="p-kdiallo")
    assert example.read_optional("actors/get", id="nobody") is None
    assert example.read_optional("actors/get", id="p-kdiallo")["id"] == "p-kdiallo"  # type: ignore[index]


@pytest.mark.allow_defect
def test_the_cli_reports_a_broken_declaration_as_a_defect(
    case_env: dict[str, str], extra_query: Any
) -> None:
    name = extra_query(
        "none_cli",
        "// A test query.\n//\n// returns: id\n// rows: one\n// mode: read\n"
        "MATCH (n:Nothing) RETURN n.id AS id",
    )
    result = CliRunner().invoke(app, ["query", "run", name], env=case_env)
    assert result.exit_code == ExitCode.DEFECT
    assert "RowCountError" in result.output and "defect in kb" in result.output


def test_query_run_answers_with_a_list_whatever_the_declared_rows(
    case_env: dict[str, str],
) -> None:
    """`kb query run` keeps working for one, optional and many queries."""
    import json

    for args, count in (
        (["meta/counts"], 1),
        (["actors/get", "-p", "id=nobody"], 0),
        (["actors/get", "-p", "id=p-kdiallo"], 1),
        (["network/stages"], None),
    ):
        result = CliRunner().invoke(app, ["query", "run", *args, "--format", "json"], env=case_env)
        assert result.exit_code == 0, result.output
        rows = json_result(json.loads(result.stdout))
        assert isinstance(rows, list) and (count is None or len(rows) == count), args
    stages = json_result(
        json.loads(
            CliRunner()
            .invoke(app, ["query", "run", "network/stages", "--format", "json"], env=case_env)
            .stdout
        )
    )
    # stages.csv starts the first stage in 2015-06: its first day, a date rendered as ISO text
    assert (stages[0]["start"], stages[0]["first"]) == ("2015-06", "2015-06-01")
