"""Reading imports: CSV folders, workbooks and JSON give the same rows, robustly and lazily."""

from __future__ import annotations

import csv
import json
import re
import tracemalloc
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kb.dates import PartialDate
from kb.errors import ImportFileError
from kb.imports import TABLES, Dataset, open_dataset, records, validate
from kb.imports.sources import detect_encoding, sniff_delimiter

DATA = Path(__file__).resolve().parent.parent / "data"
CASE = DATA / "case"


def _typed(text: str) -> Any:
    """A CSV cell as a spreadsheet user would have typed it (numbers and dates as such)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.fromisoformat(text)
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+[.,]\d+", text):
        return float(text.replace(",", "."))
    return text or None


@pytest.fixture(scope="module")
def case_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CSV case as a workbook with typed cells, a notes sheet and trailing blank rows."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.create_sheet("Notes").append(["free text that is not a table"])
    for table in TABLES:
        sheet = workbook.create_sheet(table.capitalize())
        with (CASE / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            sheet.append([name.upper() for name in next(reader)])
            for cells in reader:
                sheet.append([_typed(cell) for cell in cells])
        sheet.append([])
        sheet.append([None, "  "])
    path = tmp_path_factory.mktemp("xlsx") / "case.xlsx"
    workbook.save(path)
    return path


def _all_records(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    return {table: list(records(dataset, table)) for table in dataset.tables()}


def test_folder_lists_tables_in_import_order_and_reads_every_row() -> None:
    dataset = open_dataset(CASE)
    assert dataset.name == "case"
    assert dataset.tables() == list(TABLES)
    assert dataset.warnings == []  # README.md is expected in a folder
    result = validate(dataset)
    assert result.issues == []
    assert result.unresolved == {}
    assert result.rows["ties"] == 5
    assert result.rows["organizations"] == 5


def test_the_three_formats_give_identical_records(case_xlsx: Path) -> None:
    from_csv = _all_records(open_dataset(CASE))
    from_json = _all_records(open_dataset(DATA / "case.json"))
    xlsx = open_dataset(case_xlsx)
    assert validate(xlsx).issues == []
    from_xlsx = _all_records(xlsx)
    assert from_csv == from_json
    assert from_csv == from_xlsx


def test_records_are_typed_and_normalised() -> None:
    dataset = open_dataset(CASE)
    ties = list(records(dataset, "ties"))
    first = ties[0]
    assert first == {
        "source": "p1",
        "target": "p2",
        "type": "INFORMATION",
        "start": PartialDate.parse("2015-09"),
        "end": PartialDate.parse("2016"),
        "directed": True,
        "weight": 0.5,
        "evidence": ["e1", "e2"],
        "id": first["id"],
        "extra": {},
    }
    assert re.fullmatch(r"t-[0-9a-f]{12}", first["id"])
    assert ties[3]["directed"] is False
    assert ties[4]["id"] == "t-explicit"
    assert ties[4]["evidence"] == ["e2", "e1"]  # duplicates collapsed, order kept
    assert ties[2]["evidence"] == ["e1"] and ties[1]["evidence"] == []
    organizations = list(records(dataset, "organizations"))
    assert organizations[0]["extra"] == {"founded": "2014"}
    assert organizations[1]["extra"] == {}
    memberships = list(records(dataset, "memberships"))
    assert all(re.fullmatch(r"m-[0-9a-f]{12}", m["id"]) for m in memberships)
    positions = list(records(dataset, "positions"))
    assert positions[1]["stance"] == "neutral"
    effects = list(records(dataset, "reform_effects"))
    assert effects[0]["successor"] == "ciusss" and effects[1]["successor"] is None


def test_cp1252_semicolons_whitespace_and_blank_rows() -> None:
    dataset = open_dataset(DATA / "messy_cp1252")
    assert any("not UTF-8" in w and "cp1252" in w for w in dataset.warnings)
    raw = list(dataset.raw_rows("organizations"))
    assert [r.row for r in raw] == [2, 4]  # row 3 is blank but still counts, as in Excel
    assert raw[0].values == {
        "id": "org-1",
        "name": "Société d'entraide Saint-Édouard",
        "kind": "community organization",
        "sector": "community",
    }
    assert raw[1].values["name"] == "CLSC Côte-des-Neiges; point de service"
    assert raw[1].values["sector"] == "public"
    result = validate(dataset)
    assert result.issues == []
    assert result.rows == {"organizations": 2, "ties": 1}
    (tie,) = records(dataset, "ties")
    assert tie["type"] == "INFORMATION_SHARING"
    assert tie["weight"] == 0.75


def test_utf8_bom_tabs_and_a_cell_over_two_lines() -> None:
    dataset = open_dataset(DATA / "messy_bom")
    assert dataset.warnings == []
    raw = list(dataset.raw_rows("actors"))
    # The header is "id", not "\ufeffid", and a two-line cell is one spreadsheet row.
    assert [r.row for r in raw] == [2, 3, 4]
    assert raw[0].values["id"] == "p-1"
    assert raw[0].values["name"] == "Élise Côté"
    assert raw[1].values["name"] == "Marc\nLavoie"
    assert raw[2].values == {"id": "p-3", "name": "Anne Roy", "sector": None}


def test_raw_rows_can_be_read_twice() -> None:
    dataset = open_dataset(CASE)
    assert list(dataset.raw_rows("ties")) == list(dataset.raw_rows("ties"))
    assert list(dataset.raw_rows("ties"))[0].row == 2


def test_absent_table_has_no_rows_and_unknown_table_is_refused() -> None:
    dataset = open_dataset(DATA / "messy_bom")
    assert list(dataset.raw_rows("ties")) == []
    assert list(records(dataset, "ties")) == []
    with pytest.raises(ValueError, match="Unknown table 'tie'"):
        list(dataset.raw_rows("tie"))


def test_unknown_csv_files_are_ignored_with_a_warning(tmp_path: Path) -> None:
    """Other files (scripts, notes, documents) sit beside data quietly."""
    (tmp_path / "ties.csv").write_text("source,target,type\na,b,INFO\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x\n1\n", encoding="utf-8")
    (tmp_path / "coding.docx").write_bytes(b"PK")
    (tmp_path / "README.txt").write_text("about this case", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    (tmp_path / "actors.csv").write_text("\n\n", encoding="utf-8")
    dataset = open_dataset(tmp_path)
    assert dataset.tables() == ["ties"]
    assert sorted(dataset.warnings) == [
        "Ignored actors.csv: it is empty.",
        "Ignored empty.csv: not a kb table (expected NAME.csv with NAME one of "
        + ", ".join(TABLES)
        + ").",
        "Ignored notes.csv: not a kb table (expected NAME.csv with NAME one of "
        + ", ".join(TABLES)
        + ").",
    ]
    assert validate(dataset).warnings == dataset.warnings


def test_header_only_file_is_a_table_without_rows(tmp_path: Path) -> None:
    (tmp_path / "ties.csv").write_text("source,target,type\n", encoding="utf-8")
    dataset = open_dataset(tmp_path)
    assert dataset.tables() == ["ties"]
    assert validate(dataset).rows == {"ties": 0}


def test_one_csv_file_is_a_dataset_of_one_table(tmp_path: Path) -> None:
    path = tmp_path / "Ties.csv"
    path.write_text("source,target,type\na,b,INFO\n", encoding="utf-8")
    dataset = open_dataset(path)
    assert dataset.tables() == ["ties"]
    assert dataset.source("ties") is not None
    with pytest.raises(ImportFileError, match="not a kb table"):
        open_dataset(_write(tmp_path / "links.csv", "a\n"))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing", None, "No such file or folder"),
        ("case.xls", b"\xd0\xcf\x11\xe0", "old .xls workbook; save it as .xlsx"),
        ("case.ods", b"PK", "Unsupported import case.ods"),
        ("case.xlsx", b"not a zip", "Cannot read .* as an Excel workbook"),
        ("case.json", b'{"ties": [', "case.json: line 1 column 11: invalid JSON"),
        ("case.json", b'[{"id": "a"}]', "must hold one object whose keys are table names"),
        ("case.json", b'{"ties": "\xe9"}', "not UTF-8"),
    ],
)
def test_unreadable_inputs_raise_import_file_error(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        open_dataset(path)


def test_csv_syntax_error_names_the_row(tmp_path: Path) -> None:
    _write(tmp_path / "ties.csv", 'source,target,type\na,b,INFO\na,"b,INFO\nc,d,INFO\n')
    dataset = open_dataset(tmp_path)
    with pytest.raises(ImportFileError, match="ties.csv: row 3: cannot parse CSV: unexpected end"):
        validate(dataset)


def test_workbook_cells_numbers_and_dates(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = " Meetings "
    sheet.append(["ID", "Date", "Title", None])
    sheet.append([12, datetime(2016, 3, 14), 2016, None])
    sheet.append([13, "2016-06", "Forum", None])
    sheet.append([14, datetime(2016, 3, 14, 18, 30), "Evening", None])
    sheet.append([15, 2016, "", "stray"])
    for _ in range(5):
        sheet.append([None, None])
    path = tmp_path / "typed.xlsx"
    workbook.save(path)
    dataset = open_dataset(path)
    source = dataset.source("meetings")
    assert source is not None and source.file == "typed.xlsx[ Meetings ]"
    result = validate(dataset)
    assert [str(i) for i in result.issues] == [
        "typed.xlsx[ Meetings ]:4:date: 2016-03-14 18:30:00 has a time of day; kb records "
        "dates only (expected YYYY, YYYY-MM or YYYY-MM-DD)",
        "typed.xlsx[ Meetings ]:5: a value sits in a column without a header "
        "(hint: name the column in the header row, or delete the value)",
    ]
    assert result.rows == {"meetings": 4}
    rows = {r.row: r.values for r in dataset.raw_rows("meetings")}
    assert rows[2]["id"] == 12 and rows[2]["title"] == 2016
    good = Dataset.from_records({"meetings": [rows[2], rows[3]]})
    first, second = records(good, "meetings")
    assert (first["id"], first["date"].text, first["title"]) == ("12", "2016-03-14", "2016")
    assert (second["id"], second["date"].precision) == ("13", "month")


def test_json_structure_problems_are_issues_with_locations(tmp_path: Path) -> None:
    document = {
        "actors": [{"id": "p1", "name": "A"}, "p2", {"id": 3.0, "name": "C", "ID": None}],
        "ties": {"source": "p1"},
        "notes": [],
    }
    path = _write(tmp_path / "case.json", json.dumps(document))
    dataset = open_dataset(path)
    assert dataset.warnings == [
        "Ignored case.json#notes: not a kb table (" + ", ".join(TABLES) + ")."
    ]
    result = validate(dataset)
    hint = ' (hint: write each row as {"column": value, ...} inside the table\'s array)'
    assert [str(i) for i in result.issues] == [
        "case.json#ties: ties must be an array of objects" + hint,
        "case.json#actors:2: row is not an object" + hint,
    ]
    assert [r["id"] for r in records(dataset, "actors")] == ["p1", "3"]


def test_from_records_validates_like_a_file() -> None:
    dataset = Dataset.from_records(
        {"ties": [{"Source": " p1 ", "target": "p2", "type": "advice", "evidence": ["e1", " "]}]},
        name="add",
    )
    result = validate(dataset)
    assert result.issues == []
    assert set(result.unresolved) == {("Actor", "p1"), ("Actor", "p2"), ("Evidence", "e1")}
    (tie,) = records(dataset, "ties")
    assert (tie["source"], tie["type"], tie["evidence"]) == ("p1", "ADVICE", ["e1"])


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [
        ("id,name,kind", ","),
        ("id;name;kind", ";"),
        ("id\tname\tkind", "\t"),
        ('"a,b";c;d', ";"),
        ("id", ","),
    ],
)
def test_sniff_delimiter(line: str, delimiter: str) -> None:
    assert sniff_delimiter(line) == delimiter


def test_detect_encoding(tmp_path: Path) -> None:
    def encoding_of(data: bytes) -> str:
        path = tmp_path / "t.csv"
        path.write_bytes(data)
        return detect_encoding(path)

    assert encoding_of("é".encode()) == "utf-8-sig"
    assert encoding_of(b"\xef\xbb\xbfid") == "utf-8-sig"
    assert encoding_of("é".encode("cp1252")) == "cp1252"
    assert encoding_of(b"\x81") == "latin-1"
    assert encoding_of("id,é".encode("utf-16")) == "utf-16"


def test_utf16_tab_separated_export(tmp_path: Path) -> None:
    _write(tmp_path / "problems.csv", "")
    (tmp_path / "problems.csv").write_bytes("id\tstatement\r\npb\tAccès\r\n".encode("utf-16"))
    (row,) = records(open_dataset(tmp_path), "problems")
    assert row["statement"] == "Accès"


QUICK_ROWS = 20_000
SAMPLE_ROWS = 4_000


def test_validating_a_large_ties_file_does_not_hold_its_rows(tmp_path: Path) -> None:
    """Memory follows the number of ids, not rows x columns (sampled at 20 k rows to stay quick;
    the same ratio holds at 200 k)."""
    path = tmp_path / "ties.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["source", "target", "type", "start", "end", "weight", "evidence", "note"])
        for i in range(QUICK_ROWS):
            writer.writerow(
                [
                    f"actor-{i % 997}",
                    f"actor-{1000 + i // 97}",
                    "INFORMATION",
                    f"{1950 + i % 97}-{1 + i % 12:02d}",
                    "",
                    "0,5",
                    "",
                    f"row {i} of a test file",
                ]
            )
    dataset = open_dataset(tmp_path)

    tracemalloc.start()
    try:
        # What holding every row would cost, extrapolated from a sample of them.
        held = list(islice(dataset.raw_rows("ties"), SAMPLE_ROWS))
        rows_in_memory = tracemalloc.get_traced_memory()[0] * QUICK_ROWS // SAMPLE_ROWS
        del held
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        result = validate(dataset)
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()

    assert result.issues == []
    assert result.rows == {"ties": QUICK_ROWS}
    assert peak < rows_in_memory / 3, (peak, rows_in_memory)


def test_a_folder_given_as_dot_is_named_after_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = tmp_path / "my-case"
    case.mkdir()
    (case / "actors.csv").write_text("id,name\np1,A\n", encoding="utf-8")
    monkeypatch.chdir(case)
    assert open_dataset(Path(".")).name == "my-case"
