"""Validation of an import against the table specs in `kb.model`, and its typed records.

`validate` reads every table once, in `TABLES` order, and reports every problem it finds.
Memory grows with the number of ids (the id registry, tie ids for duplicate checks,
references left for the database), never with rows x columns: rows are checked one at a time
and dropped.

Because each table only references tables before it in `TABLES` (territories.parent, a
reference to its own table, is the exception), a reference can usually be resolved the
moment it is read; references into a table not yet finished wait in a short pending list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, NamedTuple

from kb.dates import PartialDate, end_before_start
from kb.errors import Issue, Location, ValidationError
from kb.imports.sources import Dataset, RawRow, TableSource
from kb.model import (
    FALSE_WORDS,
    ID_LIST_SEPARATOR,
    MAX_ID_LENGTH,
    MAX_INDEXED_TEXT_BYTES,
    ORGANIZATION,
    PERSON,
    PROPERTY_NAME_PATTERN,
    TABLE_SPECS,
    TABLES,
    TABLES_BY_NAME,
    TIE_TYPE_PATTERN,
    TRUE_WORDS,
    Column,
    Table,
    id_space,
)

MAX_ISSUES_PER_TABLE = 1000

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CODE_SEPARATORS = re.compile(r"[\s\-]+")
_BOOL_HINT = "use true/false, yes/no, 1/0, oui/non or vrai/faux"
_ID_HINT = f"ids are 1 to {MAX_ID_LENGTH} characters, without tabs or line breaks"
# Where each kind's ids are listed, for hints.
_DEFINED_IN = {t.kind: t.name for t in TABLE_SPECS if t.kind}
_KIND_WORDS = {PERSON: "a person", ORGANIZATION: "an organization"}


@dataclass
class Validation:
    """Everything `validate` found.

    Attributes:
        issues: every problem, in table then row order; the import is valid when empty.
        warnings: things ignored (unknown files, sheets, keys; empty files).
        rows: data rows per table present.
        unresolved: references to ids absent from the import, ``(kind, id)`` -> the first
            place they appear. They must exist in the database; kinds are "Actor" (person
            or organization), "Person", "Organization", "Meeting", "Document",
            "ReformEvent", "Evidence", "Problem", "Territory".
    """

    issues: list[Issue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    unresolved: dict[tuple[str, str], Location] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when there is no issue."""
        return not self.issues

    def raise_for_issues(self) -> None:
        """Raise `ValidationError` carrying the issues, if there are any."""
        if self.issues:
            raise ValidationError.from_issues(self.issues)


# --- cells --------------------------------------------------------------------------------


class CellError(Exception):
    """A cell value that its column's type rejects."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def cell_text(value: Any) -> str:
    """A non-empty cell as text: 12 and 12.0 read "12", dates read ISO, booleans true/false."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Spreadsheets and JSON store an id typed as 12 as the number 12.0.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0, 0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | dict):
        raise CellError("expected a single value, not a list or an object")
    return str(value)


def parse_id(value: Any, column: str) -> str:
    """An id: trimmed text of at most MAX_ID_LENGTH characters without control characters."""
    text = (value if isinstance(value, str) else cell_text(value)).strip()
    if len(text) > MAX_ID_LENGTH:
        raise CellError(f"{column} is {len(text)} characters long", _ID_HINT)
    if _CONTROL.search(text):
        raise CellError(f"{column} {text!r} contains a control character", _ID_HINT)
    return text


def parse_id_list(value: Any, column: str) -> list[str]:
    """`;`-separated ids (or a JSON array); empty items dropped, repeats collapsed."""
    items = value if isinstance(value, list) else cell_text(value).split(ID_LIST_SEPARATOR)
    ids: dict[str, None] = {}
    for item in items:
        if item is None or (isinstance(item, str) and not item.strip()):
            continue
        ids[parse_id(item, column)] = None
    return list(ids)


def parse_bool(value: Any, column: str) -> bool:
    """true/false, yes/no, 1/0, oui/non, vrai/faux, any case."""
    if isinstance(value, bool):
        return value
    word = cell_text(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"{column} {word!r} is not a yes/no value", _BOOL_HINT)


def parse_positive_float(value: Any, column: str) -> float:
    """A number > 0; a French decimal comma (0,5) is accepted."""
    if isinstance(value, bool):
        raise CellError(f"{column} must be a number, not {value}")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = value if isinstance(value, str) else cell_text(value)
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise CellError(
                f"{column} {text!r} is not a number", "write it like 0.5 or 0,5"
            ) from None
    if not math.isfinite(number) or number <= 0:
        raise CellError(f"{column} must be a number greater than 0, not {value}")
    return number


def parse_code(value: Any, column: str) -> str:
    """An upper-case code such as a tie type: spaces and hyphens become underscores."""
    raw = cell_text(value).strip()
    code = _CODE_SEPARATORS.sub("_", raw).upper()
    if not TIE_TYPE_PATTERN.fullmatch(code):
        raise CellError(
            f"{column} {raw!r} is not a valid type",
            "use up to 40 letters A-Z, digits and _, starting with a letter, e.g. COLLABORATION",
        )
    return code


def parse_enum(value: Any, column: Column) -> str:
    """One of the column's choices, any case."""
    word = cell_text(value).strip().lower()
    if word not in column.choices:
        raise CellError(f"{column.name} {word!r} is not one of {', '.join(column.choices)}")
    return word


def parse_date(value: Any) -> PartialDate:
    """A partial date from text or a spreadsheet date cell."""
    try:
        if isinstance(value, date):  # datetime is a date too
            return PartialDate.parse(value)
        return PartialDate.parse(cell_text(value))
    except ValueError as e:
        raise CellError(str(e)) from None


def parse_indexed_text(value: Any, column: str) -> str:
    """Text that Neo4j indexes: at most MAX_INDEXED_TEXT_BYTES in UTF-8."""
    text = cell_text(value)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_INDEXED_TEXT_BYTES:
        raise CellError(
            f"{column} is {size} bytes long; Neo4j indexes {column} and takes at most "
            f"{MAX_INDEXED_TEXT_BYTES} bytes (UTF-8) there",
            "shorten it, and put long text in an extra column such as description",
        )
    return text


def column_parser(column: Column) -> Callable[[Any], Any]:
    """The function that converts a non-empty cell of `column` (raising `CellError`)."""
    name = column.name
    if column.indexed and column.type == "text":
        return lambda value: parse_indexed_text(value, name)
    parsers: dict[str, Callable[[Any], Any]] = {
        "text": cell_text,
        "id": lambda value: parse_id(value, name),
        "date": parse_date,
        "idlist": lambda value: parse_id_list(value, name),
        "bool": lambda value: parse_bool(value, name),
        "float": lambda value: parse_positive_float(value, name),
        "enum": lambda value: parse_enum(value, column),
        "code": lambda value: parse_code(value, name),
    }
    return parsers[column.type]


def parse_cell(column: Column, value: Any) -> Any:
    """Convert a non-empty cell to its column's type.

    Raises:
        CellError: the value does not fit the column.
    """
    return column_parser(column)(value)


# --- rows ---------------------------------------------------------------------------------


Report = Callable[[Issue], None]
RecordSink = Callable[[str, dict[str, Any]], None]  # (table, typed record)


class TableReader:
    """Checks a table's header once, then turns its raw rows into records."""

    def __init__(self, spec: Table, source: TableSource, report: Report) -> None:
        self.spec = spec
        self.source = source
        self.report = report
        self.known = {column.name for column in spec.columns}
        self.missing: set[str] = set()
        self.extras: set[str] = set()
        self._check_header()
        # Precomputed per column, because record() runs once per row of million-row files.
        self._plan = [
            (
                c.name,
                column_parser(c),
                c.required and c.name not in self.missing,
                c.type == "idlist",
                c.default,
            )
            for c in spec.columns
        ]
        self.references = [(c.name, c.ref) for c in spec.columns if c.ref]

    def _issue(self, row: int | None, column: str | None, message: str, hint: str = "") -> None:
        self.report(Issue(self.source.file, row, column, message, hint))

    def _check_header(self) -> None:
        spec, row = self.spec, self.source.header_row
        names = [name for name in self.source.columns if name]
        for name in sorted({n for n in names if names.count(n) > 1}):
            self._issue(row, name, f"column {name} appears more than once in the header")
        for name in spec.required:
            if name not in names:
                self.missing.add(name)
                self._issue(
                    row,
                    name,
                    f"required column {name} is missing",
                    f"{spec.name} has the columns {spec.signature()}",
                )
        for name in dict.fromkeys(names):
            if name in self.known:
                continue
            if not PROPERTY_NAME_PATTERN.fullmatch(name):
                self._issue(
                    row,
                    name,
                    f"extra column {name!r} cannot become a property",
                    "name extra columns with up to 64 letters, digits and _, "
                    "not starting with a digit",
                )
            elif spec.reserved_property(name):
                self._issue(row, name, f"extra column {name} uses a name kb reserves")
            else:
                self.extras.add(name)

    def record(self, raw: RawRow) -> dict[str, Any] | None:
        """The typed record of a row, or None after reporting why it is invalid."""
        values = raw.values
        record: dict[str, Any] = {}
        ok = True
        for name, parse, required, is_list, default in self._plan:
            value = values.get(name)
            if value is None:
                if required:
                    self._issue(raw.row, name, f"{name} is required")
                    ok = False
                # A fresh list each time: records are handed out and may be edited.
                record[name] = [] if is_list else default
                continue
            try:
                record[name] = parse(value)
            except CellError as e:
                self._issue(raw.row, name, e.message, e.hint)
                record[name] = None
                ok = False
        extra: dict[str, str] = {}
        for name in sorted(values.keys() - self.known):
            value = values[name]
            if value is None:
                continue
            if name in self.extras:
                ok = self._extra(raw, name, value, extra) and ok
            elif name == "":
                self._issue(
                    raw.row,
                    None,
                    "a value sits in a column without a header",
                    "name the column in the header row, or delete the value",
                )
                ok = False
            # Any other name is an unusable extra column, reported once for the header.
        record["extra"] = extra
        ok = self._check_rules(raw.row, record) and ok
        if not ok:
            return None
        if self.spec.derive_id is not None and record.get("id") is None:
            record["id"] = self.spec.derive_id(record)
        return record

    def _extra(self, raw: RawRow, name: str, value: Any, extra: dict[str, str]) -> bool:
        try:
            extra[name] = cell_text(value).strip()
        except CellError as e:
            self._issue(raw.row, name, e.message, e.hint)
            return False
        return True

    def _check_rules(self, row: int, record: dict[str, Any]) -> bool:
        spec, ok = self.spec, True
        for a, b in spec.distinct:
            if record[a] is not None and record[a] == record[b]:
                self._issue(row, b, f"{b} is the same as {a} ({record[a]!r})")
                ok = False
        if spec.period:
            start, end = (record[name] for name in spec.period)
            if start is not None and end is not None and end_before_start(start, end):
                self._issue(row, spec.period[1], f"{spec.period[1]} {end} is before start {start}")
                ok = False
        for rule in spec.only_with:
            when = record[rule.when_column]
            if when is None:
                continue
            if when == rule.value and record[rule.column] is None:
                self._issue(row, rule.column, f"{rule.when_column} {when} needs a {rule.column}")
                ok = False
            elif when != rule.value and record[rule.column] is not None:
                self._issue(
                    row,
                    rule.column,
                    f"{rule.column} is only allowed when {rule.when_column} is {rule.value}",
                )
                ok = False
        return ok


# --- the whole dataset ------------------------------------------------------------------------


class _Entry(NamedTuple):
    kind: str
    file: str
    row: int


class _Checker:
    """One validation run: the id registry, duplicate tracking and the issue log."""

    def __init__(
        self, dataset: Dataset, max_issues_per_table: int, sink: RecordSink | None = None
    ) -> None:
        self.dataset = dataset
        self.max_issues = max_issues_per_table
        self.sink = sink
        self.result = Validation(warnings=list(dataset.warnings))
        self.registry: dict[str, dict[str, _Entry]] = {}
        # Id spaces whose defining tables are not all read yet: references into them wait.
        self.open_spaces: set[str] = set()
        self.pending: list[tuple[str, str, Location]] = []
        self._counts: dict[str, int] = {}

    def report(self, issue: Issue) -> None:
        count = self._counts.get(issue.file, 0) + 1
        self._counts[issue.file] = count
        if count <= self.max_issues:
            self.result.issues.append(issue)

    def run(self) -> Validation:
        for issue in self.dataset.issues:
            self.report(issue)
        present = [TABLES_BY_NAME[t] for t in self.dataset.tables()]
        last_definer = {id_space(t.kind): i for i, t in enumerate(present) if t.kind}
        self.open_spaces = set(last_definer)
        for index, spec in enumerate(present):
            source = self.dataset.source(spec.name)
            assert source is not None
            self._check_table(spec, source)
            self.open_spaces -= {s for s, i in last_definer.items() if i == index}
        for kind, ident, where in self.pending:
            assert where.row is not None and where.column is not None
            self._reference(kind, ident, where.file, where.row, where.column)
        self._finish()
        return self.result

    def _check_table(self, spec: Table, source: TableSource) -> None:
        reader = TableReader(spec, source, self.report)
        sink = self.sink
        derived: dict[str, int] = {}
        rows = 0
        for raw in source.rows():
            rows += 1
            if spec.max_rows is not None and rows == spec.max_rows + 1:
                self.report(
                    Issue(
                        source.file,
                        raw.row,
                        None,
                        f"{spec.name} has at most {spec.max_rows} row(s)",
                        "one database holds one case; keep one row",
                    )
                )
            record = reader.record(raw)
            if spec.kind:
                # Ids of otherwise broken rows count too, so they cause no second wave of
                # "unknown id" problems elsewhere.
                ident = record["id"] if record else _raw_id(raw)
                if ident is not None:
                    self._register(spec, source.file, raw.row, ident)
            if record is None:
                self._check_references_of_raw(reader, source.file, raw)
                continue
            self._check_references(reader, source.file, raw.row, record)
            if spec.derive_id is not None:
                self._check_duplicate(spec, source, derived, raw, record)
            if sink is not None:
                sink(spec.name, record)
        self.result.rows[spec.name] = rows

    def _register(self, spec: Table, file: str, row: int, ident: str) -> None:
        assert spec.kind is not None
        space = self.registry.setdefault(id_space(spec.kind), {})
        first = space.get(ident)
        if first is None:
            space[ident] = _Entry(spec.kind, file, row)
            return
        where = f"row {first.row}" if first.file == file else f"{first.file} row {first.row}"
        hint = "persons and organizations share one id space" if first.file != file else ""
        self.report(Issue(file, row, "id", f"duplicate id {ident!r}: also on {where}", hint))

    def _check_duplicate(
        self,
        spec: Table,
        source: TableSource,
        seen: dict[str, int],
        raw: RawRow,
        record: dict[str, Any],
    ) -> None:
        ident = record["id"]
        first = seen.setdefault(ident, raw.row)
        if first == raw.row:
            return
        if spec.column("id") is not None and raw.values.get("id") is not None:
            message, column, hint = f"duplicate id {ident!r}: also on row {first}", "id", ""
        else:
            message = f"same {spec.noun} as row {first} (derived id {ident})"
            column, hint = None, spec.duplicate_hint
        self.report(Issue(source.file, raw.row, column, message, hint))

    def _check_references(
        self, reader: TableReader, file: str, row: int, record: dict[str, Any]
    ) -> None:
        for column, kind in reader.references:
            value = record[column]
            if value is None:
                continue
            for ident in value if isinstance(value, list) else (value,):
                self._reference(kind, ident, file, row, column)

    def _check_references_of_raw(self, reader: TableReader, file: str, raw: RawRow) -> None:
        """References of a rejected row still count, so unknown ids are all reported."""
        for column, kind in reader.references:
            value = raw.values.get(column)
            if value is None:
                continue
            try:
                parsed = parse_cell(reader.spec.columns_by_name[column], value)
            except CellError:
                continue
            for ident in parsed if isinstance(parsed, list) else (parsed,):
                self._reference(kind, ident, file, raw.row, column)

    def _reference(self, kind: str, ident: str, file: str, row: int, column: str) -> None:
        space = id_space(kind)
        if space in self.open_spaces:
            self.pending.append((kind, ident, Location(file, row, column)))
            return
        entry = self.registry.get(space, {}).get(ident)
        if entry is None:
            if (kind, ident) not in self.result.unresolved:
                self.result.unresolved[kind, ident] = Location(file, row, column)
        elif kind != space and entry.kind != kind:
            self.report(
                Issue(
                    file,
                    row,
                    column,
                    f"{column} {ident!r} is {_KIND_WORDS[entry.kind]}, not "
                    f"{_KIND_WORDS[kind]} (see {entry.file} row {entry.row})",
                    f"{column} takes an id from {_DEFINED_IN[kind]}",
                )
            )

    def _finish(self) -> None:
        order = {s.file: TABLES.index(t) for t, s in self.dataset.sources.items()}
        self.result.issues.sort(key=lambda i: (order.get(i.file, -1), i.row or 0))
        for file, count in self._counts.items():
            if count > self.max_issues:
                more = count - self.max_issues
                self.result.issues.append(
                    Issue(file, None, None, f"{more} more problems in this file are not listed")
                )
        if not self.dataset.sources and not self.dataset.issues:
            self.result.warnings.append(f"{self.dataset.name} holds no kb table.")


def _raw_id(raw: RawRow) -> str | None:
    value = raw.values.get("id")
    if value is None:
        return None
    try:
        return parse_id(value, "id")
    except CellError:
        return None


def validate(
    dataset: Dataset,
    *,
    max_issues_per_table: int = MAX_ISSUES_PER_TABLE,
    sink: RecordSink | None = None,
) -> Validation:
    """Check a dataset against the import format, reporting every problem.

    Args:
        dataset: from `open_dataset` or `Dataset.from_records`.
        max_issues_per_table: issues listed per file; the rest are counted in one last issue,
            so a file with a systematic mistake does not fill memory.
        sink: called with ``(table, record)`` for every row that passed the row-level
            checks, in file order, tables in `TABLES` order; the records are those
            `records` yields. They are only usable when the validation comes out clean:
            reference and duplicate problems are found after a row was handed over. (An
            import takes the actor ids from them rather than reading the files again.)

    Returns:
        The issues, warnings, row counts and references the database must resolve.
    """
    return _Checker(dataset, max_issues_per_table, sink).run()


def records(dataset: Dataset, table: str) -> Iterator[dict[str, Any]]:
    """Typed, normalised rows of `table`, for writing after a clean `validate`.

    Each record has every column of the table (absent optional ones None, ``directed``
    True), dates as `PartialDate`, id lists as ``list[str]``, enums lower case, tie types
    upper case, ``id`` filled in for link tables, and ``extra``: extra columns as
    ``dict[str, str]`` (empty cells left out).

    Raises:
        ValidationError: the table has a problem (the file changed since `validate`).
    """
    source = dataset.source(table)
    if source is None:
        return
    problems: list[Issue] = []
    reader = TableReader(TABLES_BY_NAME[table], source, problems.append)
    if problems:
        raise ValidationError.from_issues(problems, source.file)
    for raw in source.rows():
        record = reader.record(raw)
        if record is None:
            raise ValidationError.from_issues(problems, source.file)
        yield record
