"""kb.periods (time selection), kb.queries (query headers, parameters) and kb.cli.render
(tables, JSON, CSV), without a server."""

from __future__ import annotations

import csv
import inspect
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import kb
from kb.cli import render
from kb.errors import QueryNotFoundError, QueryParameterError, ValidationError
from kb.periods import (
    Period,
    add_window,
    between,
    in_time,
    parse_at,
    parse_window,
    split,
    time_params,
)
from kb.queries import (
    ROWS,
    Param,
    RowCountError,
    convert,
    fragment,
    get,
    load_all,
    parse,
    parse_assignments,
)
from kb.results import Rows
from tests.memory_reader import QUERIES


# -- kb.periods ----------------------------------------------------------------------------
def test_a_partial_date_means_its_whole_period() -> None:
    assert parse_at("2016") == Period("2016", date(2016, 1, 1), date(2016, 12, 31))
    assert parse_at("2016-02") == Period("2016-02", date(2016, 2, 1), date(2016, 2, 29))
    assert parse_at(None) is None
    with pytest.raises(ValidationError, match="at=' '"):
        parse_at(" ")
    stage = Period("s1", date(2015, 1, 1), None)
    assert parse_at(stage) is stage
    with pytest.raises(ValidationError, match="at='2016-13'"):
        parse_at("2016-13")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, True),  # since before observation, ongoing
        (date(2016, 12, 31), None, True),  # starts on the last day
        (date(2017, 1, 1), None, False),  # starts the day after
        (None, date(2016, 1, 1), True),  # ends on the first day
        (None, date(2015, 12, 31), False),  # ends the day before
        (date(2014, 1, 1), date(2018, 1, 1), True),  # spans the period
    ],
)
def test_a_spell_overlaps_a_period_by_its_first_and_last_days(
    start: date | None, end: date | None, expected: bool
) -> None:
    period = Period("2016", date(2016, 1, 1), date(2016, 12, 31))
    assert period.overlaps(start, end) is expected
    assert in_time(start, end, period) is expected
    assert in_time(start, end, None) is True
    assert Period("open", None, None).overlaps(start, end) is True


def test_time_params_and_contains() -> None:
    assert time_params(None) == {"at_first": None, "at_last": None}
    period = parse_at("2016-06")
    assert period is not None
    assert time_params(period) == {"at_first": date(2016, 6, 1), "at_last": date(2016, 6, 30)}
    assert period.contains(date(2016, 6, 30)) and not period.contains(date(2016, 7, 1))
    assert not period.contains(None)


def test_between_and_windows() -> None:
    assert between("2015", "2016-03") == Period(
        "2015..2016-03", date(2015, 1, 1), date(2016, 3, 31)
    )
    with pytest.raises(ValidationError, match="before the start"):
        between("2016", "2015")
    assert parse_window("12m") == "P12M" and parse_window(" 90D ") == "P90D"
    with pytest.raises(ValidationError, match="window="):
        parse_window("12 months")
    assert add_window(date(2016, 1, 31), "1m") == date(2016, 2, 29)  # month ends clamp
    assert add_window(date(2016, 2, 29), "1y") == date(2017, 2, 28)
    assert add_window(date(2016, 3, 1), "2w", sign=-1) == date(2016, 2, 16)
    assert add_window(date(2016, 3, 1), "1d") == date(2016, 3, 2)


def test_split_by_year_quarter_and_stage() -> None:
    years = split("year", stages=[], first=date(2015, 6, 1), last=date(2017, 2, 1))
    assert [p.label for p in years] == ["2015", "2016", "2017"]
    quarters = split("quarter", stages=[], first=date(2015, 11, 1), last=date(2016, 4, 1))
    assert [(q.label, q.first, q.last) for q in quarters] == [
        ("2015-Q4", date(2015, 10, 1), date(2015, 12, 31)),
        ("2016-Q1", date(2016, 1, 1), date(2016, 3, 31)),
        ("2016-Q2", date(2016, 4, 1), date(2016, 6, 30)),
    ]
    stages = [{"id": "a", "first": date(2015, 1, 1), "last": None}]
    assert split("stage", stages=stages, first=None, last=None) == [
        Period("a", date(2015, 1, 1), None)
    ]
    with pytest.raises(ValidationError, match="no stages"):
        split("stage", stages=[], first=None, last=None)
    with pytest.raises(ValidationError, match="by='month'"):
        split("month", stages=[], first=date(2015, 1, 1), last=date(2016, 1, 1))
    with pytest.raises(ValidationError, match="No tie has a date"):
        split("year", stages=[], first=None, last=None)


# -- kb.queries ----------------------------------------------------------------------------
HEADER = """// Ties of one type.
//
// More words.
//
// params:
//   $types   list = null   tie types
//   $limit   int = 10      rows
//   $actor   string        the actor id
// returns: id
// rows: many
// mode: read
MATCH (a:Actor {id: $actor})-[t:TIE]->() WHERE $types IS NULL OR t.type IN $types
RETURN t.id AS id LIMIT $limit
"""


def test_a_header_declares_summary_parameters_returns_and_mode() -> None:
    query = parse("x/ties", HEADER)
    assert query.summary == "Ties of one type."
    assert list(query.params) == ["types", "limit", "actor"]
    assert query.params["actor"].required and not query.params["limit"].required
    assert query.params["limit"].default_value() == 10
    assert query.returns == "id" and query.mode == "read" and not query.writes
    assert query.rows == "many"
    assert query.body.startswith("MATCH") and "//" not in query.body
    assert query.bind({"actor": "p1"}) == {"types": None, "limit": 10, "actor": "p1"}


def test_parameters_are_checked_against_the_header() -> None:
    query = parse("x/ties", HEADER)
    with pytest.raises(QueryParameterError, match=r"missing \$actor"):
        query.bind({})
    with pytest.raises(QueryParameterError, match=r"unknown \$nope"):
        query.bind({"actor": "p1", "nope": 1})
    with pytest.raises(QueryParameterError):
        parse("x/bad", HEADER.replace("$limit   int = 10      rows\n", ""))  # $limit undeclared
    assert parse_assignments(query, ["actor=p1", "types=A, B"])["types"] == ["A", "B"]
    with pytest.raises(QueryParameterError, match="-p actor=VALUE"):
        parse_assignments(query, ["limit=3"])
    with pytest.raises(QueryParameterError, match="NAME=VALUE"):
        parse_assignments(query, ["limit"])


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("int", "3", 3),
        ("float", "0.5", 0.5),
        ("bool", "TRUE", True),
        ("date", "2016-03", date(2016, 3, 1)),
        ("list", '["a", "b"]', ["a", "b"]),
        ("list", "a,,b", ["a", "b"]),
        ("map", '{"k": 1}', {"k": 1}),
        ("string", "text", "text"),
    ],
)
def test_convert_types_command_line_values(kind: str, raw: str, value: object) -> None:
    assert convert(Param("p", kind, ""), raw) == value


def test_null_only_where_the_default_is_null() -> None:
    assert convert(Param("p", "int", "", default="null"), "NULL") is None
    with pytest.raises(QueryParameterError, match="is required and cannot be null"):
        convert(Param("p", "int", ""), "null")
    with pytest.raises(QueryParameterError, match="defaults to 6"):
        convert(Param("p", "int", "", default="6"), "null")


@pytest.mark.parametrize(("kind", "raw"), [("int", "x"), ("bool", "yes"), ("map", "[1]")])
def test_convert_refuses_what_does_not_fit(kind: str, raw: str) -> None:
    with pytest.raises(QueryParameterError, match=rf"\$p \({kind}\)"):
        convert(Param("p", kind, ""), raw)


def test_a_header_declares_how_many_rows_the_query_answers_with() -> None:
    with pytest.raises(QueryParameterError, match="must declare `rows:`"):
        parse("x/ties", HEADER.replace("// rows: many\n", ""))
    with pytest.raises(QueryParameterError, match="not several"):
        parse("x/ties", HEADER.replace("rows: many", "rows: several"))
    one = parse("x/one", HEADER.replace("rows: many", "rows: one"))
    assert one.check_rows([{"id": 1}]) == [{"id": 1}]
    for rows in ([], [{"id": 1}, {"id": 2}]):
        with pytest.raises(RowCountError, match=f"rows: one but answered with {len(rows)} rows"):
            one.check_rows(rows)
    optional = parse("x/opt", HEADER.replace("rows: many", "rows: optional"))
    assert optional.check_rows([]) == []
    with pytest.raises(RowCountError, match="rows: optional"):
        optional.check_rows([{"id": 1}, {"id": 2}])
    many = parse("x/ties", HEADER)
    assert many.check_rows([{"id": 1}] * 3) == [{"id": 1}] * 3
    # Each query runs in its declared form only: read_one() of a many query is a defect.
    many.expect("many")
    with pytest.raises(RowCountError, match=r"declares rows: many; run it with read\(\)"):
        many.expect("one")
    with pytest.raises(RowCountError, match=r"run it with read_one\(\)"):
        one.expect("many")


def test_every_query_file_declares_its_rows() -> None:
    """Each kb/cypher file says in its header how many rows it answers with."""
    root = Path(kb.__file__).parent / "cypher"
    # fragments are predicates spliced into queries, never run on their own
    files = sorted(p for p in root.rglob("*.cypher") if p.parent.name != "_fragments")
    assert len(files) == len(load_all())
    for path in files:
        header = [line for line in path.read_text("utf-8").splitlines() if line.startswith("//")]
        declared = [line.split(":", 1)[1].strip() for line in header if line.startswith("// rows:")]
        assert len(declared) == 1 and declared[0] in ROWS, path


def test_no_library_code_indexes_the_rows_of_a_query() -> None:
    """``read(...)[0]`` hides a query that answered with no row (an IndexError later) or
    with two (one ignored): a query with one row is declared so and read with read_one."""
    import ast

    found = []
    for path in sorted(Path(kb.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute)
                and node.value.func.attr in ("read", "write")
            ):
                found.append(f"{path.name}:{node.lineno}")
    assert not found


def test_every_canned_query_parses_and_unknown_names_are_errors() -> None:
    queries = load_all()
    assert "network/ties" in queries and all(q.mode in ("read", "write") for q in queries.values())
    with pytest.raises(QueryNotFoundError, match="kb query list"):
        get("network/nope")


def test_the_memory_reader_takes_each_querys_declared_parameters() -> None:
    """The fake's functions accept exactly the parameters each header declares (a
    function taking ``**selection`` takes the tie selection's, those of
    kb/cypher/_fragments/selected.cypher, as `Selection.from_params` reads them)."""
    selection = set(fragment("selected").params)
    for name, function in QUERIES.items():
        declared = set(get(name).params)
        parameters = inspect.signature(function).parameters
        accepted = {n for n, p in parameters.items() if p.kind is not p.VAR_KEYWORD} - {"db"}
        if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
            accepted |= selection
        if name == "paths/shortest":
            accepted |= {"from", "to"}  # Python keywords, taken with **params
        assert accepted == declared, name
        assert not get(name).writes


# -- kb.cli.render -------------------------------------------------------------------------
def test_cells_for_tables_and_csv() -> None:
    assert render.cell(None) == ""
    assert render.cell(0.123456) == "0.1235"
    assert render.cell(1234567.0) == "1.23457e+06"
    assert render.cell(["a", 1, None]) == "a; 1; "
    assert render.cell({"d": date(2016, 1, 2)}) == '{"d": "2016-01-02"}'
    assert render.cell(date(2016, 1, 2)) == "2016-01-02"
    assert render.cell(True) == "True"
    assert render.csv_cell("=1+1") != "=1+1"  # a formula is escaped
    assert render.csv_cell(-3) == "-3"


def test_json_keeps_dates_sets_and_accents() -> None:
    text = render.to_json({"d": date(2016, 1, 2), "s": {"b", "a"}, "t": (1, 2), "é": "ü"})
    assert json.loads(text) == {"d": "2016-01-02", "s": ["a", "b"], "t": [1, 2], "é": "ü"}
    assert "ü" in text


def test_emit_rows_as_json_csv_and_table(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows: list[dict[str, Any]] = [
        {"id": "a", "score": 0.5, "tags": ["x", "y"]},
        {"id": "b", "score": None, "tags": []},
    ]
    render.emit_rows(rows, render.Format.json)
    assert json.loads(capsys.readouterr().out) == rows
    render.emit_rows(rows, render.Format.csv)
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [
        ["id", "score", "tags"],
        ["a", "0.5", "x; y"],
        ["b", "", ""],
    ]
    monkeypatch.setenv("COLUMNS", "80")
    render.emit_rows(rows, render.Format.table, title="Scores", headers={"score": "s"})
    table = capsys.readouterr().out
    assert "Scores" in table and " s " in table and "x; y" in table
    assert max(len(line) for line in table.splitlines()) <= 80
    render.emit_rows([], render.Format.table, title="Nothing")
    assert "Nothing: no rows." in capsys.readouterr().err
    render.emit_mapping({"k": 1, "j": "\x1b[31mred"}, render.Format.csv)
    assert capsys.readouterr().out.splitlines() == ["k,j", "1,red"]  # one row, escapes gone
    # a typed result prints its data as JSON, not the rows its table shows
    render.emit_result(Rows(({"all": 1},)), render.Format.json, rows, title="t", columns=["id"])
    assert json.loads(capsys.readouterr().out) == [{"all": 1}]


def test_a_wide_table_drops_columns_to_fit_80(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    row = {f"column_{i}": "x" * 12 for i in range(12)}
    render.emit_rows([row], render.Format.table, drop_first=["column_3"])
    shown = capsys.readouterr()
    assert max(len(line) for line in shown.out.splitlines()) <= 80
    # The first column stays; drop_first goes first, then columns from the right.
    assert "column 0" in shown.out and "column 3" not in shown.out
    assert "column 2" in shown.out and "column 11" not in shown.out
    assert "Not shown at 80 columns: column_3" in shown.err
