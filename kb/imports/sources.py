"""Readers: a CSV folder, an Excel workbook or a JSON document becomes raw rows per table.

Readers only decode and tidy cells (trim, empty -> None, lower-case headers); what the values
mean is `kb.imports.validate`'s business. CSV and Excel are streamed, row by row, so memory
does not grow with file size; each `Dataset.raw_rows` call re-opens the file, because an
import reads everything twice (validate, then write).
"""

from __future__ import annotations

import codecs
import csv
import json
import warnings
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any, NamedTuple

from kb.errors import ImportFileError, Issue
from kb.model import TABLES

DELIMITERS = (",", ";", "\t")
# What a JSON import may hold. The format needs four levels ({table: [{column: [ids]}]});
# the size bound keeps the whole document (read at once) well inside memory; integers are
# cells, never longer than an id, and Python refuses to convert very long ones anyway.
MAX_JSON_BYTES = 1 << 30
MAX_JSON_DEPTH = 32
MAX_INTEGER_DIGITS = 40
_CHUNK = 1 << 20
# Files a folder may hold besides the tables without earning a warning.
_QUIET_PREFIXES = ("readme", "license", "licence", ".")


class RawRow(NamedTuple):
    """One data row as read, before validation.

    Attributes:
        row: spreadsheet row number (header = 1), or the 1-based position in a JSON array.
        values: lower-case column name -> cell (str, int, float, bool, date, datetime, list
            in JSON); None or absent when empty. Cells under a blank header, or past the
            header's last column, are kept under ``""``.
    """

    row: int
    values: dict[str, Any]


class TableSource(ABC):
    """One table of a dataset: a CSV file, a sheet or a JSON array.

    Attributes:
        table: table name (one of `kb.model.TABLES`).
        file: display name used in messages: ``ties.csv``, ``case.xlsx[ties]``,
            ``case.json#ties``.
        columns: lower-case header names in file order; blank header cells are ``""``.
            For JSON, every key used by any row, in order of first use.
        header_row: the row holding the header (None for JSON, which has none).
    """

    table: str
    file: str
    columns: tuple[str, ...]
    header_row: int | None

    @abstractmethod
    def rows(self) -> Iterator[RawRow]:
        """Non-blank data rows, in file order, re-reading the file on each call."""


def _data_rows(
    header_row: int | None,
    records: Iterable[tuple[int, Sequence[Any]]],
    columns: Sequence[str],
    to_values: Callable[[Sequence[str], Sequence[Any]], dict[str, Any] | None],
) -> Iterator[RawRow]:
    """The non-blank rows after the header of a CSV file or a sheet."""
    if header_row is None:
        return
    for number, cells in records:
        if number > header_row and (values := to_values(columns, cells)) is not None:
            yield RawRow(number, values)


def tidy(value: Any) -> Any:
    """Trim text cells; empty text becomes None. Other cell types pass through."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def unescape_formula(text: str) -> str:
    """Undo kb's spreadsheet escape: ``'`` before ``= + - @ ' tab CR`` is dropped once.

    ``kb export csv`` writes a cell such as ``=SUM(A1)`` as ``'=SUM(A1)`` so that no
    spreadsheet evaluates it (docs/data-format.md); CSV and Excel imports read it back as
    ``=SUM(A1)``. Any other apostrophe is data and stays.
    """
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "'", "\t", "\r"):
        return text[1:]
    return text


def tidy_spreadsheet(value: Any) -> Any:
    """`tidy`, then `unescape_formula` for text (CSV files and Excel sheets)."""
    value = tidy(value)
    return unescape_formula(value) if isinstance(value, str) else value


def _header_name(value: Any) -> str:
    text = tidy(value)
    return "" if text is None else str(text).lower()


def _row_values(columns: Sequence[str], cells: Sequence[Any]) -> dict[str, Any] | None:
    """Pair tidied cells of a sheet with the header; None for a row with nothing in it."""
    return _pair(columns, [tidy_spreadsheet(cell) for cell in cells])


def _text_row_values(columns: Sequence[str], cells: Sequence[str]) -> dict[str, Any] | None:
    """`_row_values` for CSV, whose cells are all text (inlined: it runs once per row)."""
    tidied = [cell.strip() or None for cell in cells]
    if any(cell and cell[0] == "'" for cell in tidied):
        tidied = [unescape_formula(cell) if cell else cell for cell in tidied]
    return _pair(columns, tidied)


def _pair(columns: Sequence[str], tidied: list[Any]) -> dict[str, Any] | None:
    if all(value is None for value in tidied):
        return None
    if len(tidied) <= len(columns) and "" not in columns:
        return dict(zip(columns, tidied, strict=False))  # the common case, kept fast
    values: dict[str, Any] = {}
    for name, value in zip_longest(columns, tidied):
        # Cells past the header's end have no name; the validator reports them.
        key = name or ""
        if values.get(key) is None:
            values[key] = value
    return values


def _find_header(
    records: Iterator[tuple[int, Sequence[Any]]],
) -> tuple[tuple[str, ...], int | None]:
    """The first non-blank row as lower-case column names, and its row number."""
    with closing(records) if isinstance(records, Generator) else nullcontext():
        for number, cells in records:
            names = [_header_name(cell) for cell in cells]
            while names and not names[-1]:
                names.pop()  # trailing separators or formatted-but-empty cells
            if names:
                return tuple(names), number
    return (), None


# --- CSV -------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-16 if it has a BOM, UTF-8 (BOM or not) if every byte decodes, else cp1252/Latin-1.

    The whole file is checked, in chunks, because a single accented name deep in a large
    file decides the encoding.
    """
    with path.open("rb") as stream:
        start = stream.read(4)
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        for encoding in ("utf-8-sig", "cp1252"):
            stream.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := stream.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    # Latin-1 decodes any byte; cp1252 leaves five bytes undefined.
    return "latin-1"


def sniff_delimiter(line: str) -> str:
    """The most frequent of `,` `;` tab outside quotes in the header line (`,` if none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


class CsvTable(TableSource):
    """A table stored as one CSV file."""

    def __init__(self, table: str, path: Path) -> None:
        self.table = table
        self.path = path
        self.file = path.name
        try:
            self.encoding = detect_encoding(path)
        except OSError as e:
            raise ImportFileError(f"Cannot read {path}: {e.strerror or e}") from e
        with self._open() as stream:
            first_line = stream.readline()
        self.delimiter = sniff_delimiter(first_line)
        self.columns, self.header_row = _find_header(self._records())

    def _open(self) -> Any:
        try:
            return self.path.open(encoding=self.encoding, newline="")
        except OSError as e:
            raise ImportFileError(f"Cannot read {self.path}: {e.strerror or e}") from e

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """Every CSV record with its spreadsheet row number (blank lines count as rows)."""
        number = 0
        with self._open() as stream:
            # strict: an unclosed quote would otherwise swallow the rest of the file silently.
            reader = csv.reader(stream, delimiter=self.delimiter, strict=True)
            try:
                for number, cells in enumerate(reader, start=1):
                    yield number, cells
            except csv.Error as e:
                if "field larger than field limit" in str(e):
                    raise ImportFileError(
                        f"{self.file}: row {number + 1}: a cell holds more than "
                        f"{csv.field_size_limit()} characters, more than kb reads in one cell. "
                        "Check for a missing closing double quote, or shorten the text."
                    ) from e
                raise ImportFileError(
                    f"{self.file}: row {number + 1}: cannot parse CSV: {e}. Check the double "
                    'quotes in that row: a quoted cell must end with a " followed by the '
                    'separator, and a " inside it is written ""'
                ) from e

    def rows(self) -> Iterator[RawRow]:
        return _data_rows(self.header_row, self._records(), self.columns, _text_row_values)


# --- Excel -------------------------------------------------------------------------------


def _load_workbook(path: Path) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it drops; the values are unaffected.
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as e:
        raise ImportFileError(f"Cannot read {path} as an Excel workbook: {e}") from e


class SheetTable(TableSource):
    """A table stored as one sheet of an .xlsx workbook."""

    def __init__(self, table: str, path: Path, sheet: str, workbook: Any) -> None:
        """Read the header from `workbook`, already open: loading a workbook is slow."""
        self.table = table
        self.path = path
        self.sheet = sheet
        self.file = f"{path.name}[{sheet}]"
        self.columns, self.header_row = _find_header(self._sheet_records(workbook))

    def _sheet_records(self, workbook: Any) -> Iterator[tuple[int, Sequence[Any]]]:
        sheet = workbook[self.sheet]
        # Some writers store a wrong used range; forget it and read to the real end.
        sheet.reset_dimensions()
        return enumerate(sheet.iter_rows(values_only=True), start=1)

    def _records(self) -> Iterator[tuple[int, Sequence[Any]]]:
        workbook = _load_workbook(self.path)
        try:
            yield from self._sheet_records(workbook)
        finally:
            workbook.close()

    def rows(self) -> Iterator[RawRow]:
        return _data_rows(self.header_row, self._records(), self.columns, _row_values)


# --- JSON and in-memory records --------------------------------------------------------------


class RecordsTable(TableSource):
    """A table given as a list of objects (a JSON array, or rows built in Python)."""

    def __init__(self, table: str, file: str, rows: Sequence[Mapping[str, Any]]) -> None:
        self.table = table
        self.file = file
        self.header_row = None
        self._rows: list[RawRow] = []
        seen: dict[str, None] = {}
        for number, record in enumerate(rows, start=1):
            values: dict[str, Any] = {}
            for key, value in record.items():
                name = _header_name(key)
                # Keys differing only in case are one column; the first value given wins.
                if values.get(name) is None:
                    values[name] = tidy(value)
            seen.update(dict.fromkeys(values))
            if any(value is not None for value in values.values()):
                self._rows.append(RawRow(number, values))
        self.columns = tuple(seen)

    def rows(self) -> Iterator[RawRow]:
        # Copies, so a caller editing a row cannot change the next pass.
        for raw in self._rows:
            yield RawRow(raw.row, dict(raw.values))


# --- datasets ------------------------------------------------------------------------------


@dataclass
class Dataset:
    """The tables of one import, whatever the file format.

    Attributes:
        name: the folder or file name (``input`` for records built in Python).
        sources: table name -> its source, for the tables present.
        warnings: things ignored while opening (unknown files, sheets, keys; empty files).
        issues: structural problems found while opening (JSON tables that are not arrays of
            objects); `kb.imports.validate` reports them with the rest.
    """

    name: str
    sources: dict[str, TableSource]
    warnings: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def tables(self) -> list[str]:
        """Tables present, in import order (`kb.model.TABLES`)."""
        return [t for t in TABLES if t in self.sources]

    def source(self, table: str) -> TableSource | None:
        """The source of `table`, or None if the dataset does not have it."""
        _check_table(table)
        return self.sources.get(table)

    def raw_rows(self, table: str) -> Iterator[RawRow]:
        """Data rows of `table` as read (none if the table is absent); re-reads the file."""
        source = self.source(table)
        return iter(()) if source is None else source.rows()

    @classmethod
    def from_records(
        cls, tables: Mapping[str, Sequence[Mapping[str, Any]]], name: str = "input"
    ) -> Dataset:
        """A dataset of rows built in Python, validated exactly like an imported file.

        Args:
            tables: table name -> rows, each a mapping of column name to value.
            name: shown in messages as ``NAME#table``.

        Returns:
            The dataset.
        """
        return _from_mapping(tables, name)


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise ValueError(f"Unknown table {table!r}; tables are {', '.join(TABLES)}")


def _from_mapping(document: Mapping[str, Any], name: str) -> Dataset:
    dataset = Dataset(name, {})
    for key, rows in document.items():
        table = str(key).strip().lower()
        file = f"{name}#{key}"
        if table not in TABLES:
            dataset.warnings.append(f"Ignored {file}: not a kb table ({', '.join(TABLES)}).")
            continue
        if table in dataset.sources:
            raise ImportFileError(f"{name} has table {table} twice.")
        if not isinstance(rows, list | tuple):
            dataset.issues.append(
                Issue(file, None, None, f"{key} must be an array of objects", _JSON_HINT)
            )
            continue
        good: list[Mapping[str, Any]] = []
        for number, row in enumerate(rows, start=1):
            if isinstance(row, Mapping):
                good.append(row)
            else:
                dataset.issues.append(Issue(file, number, None, "row is not an object", _JSON_HINT))
                good.append({})  # keeps later rows' positions
        dataset.sources[table] = RecordsTable(table, file, good)
    return dataset


_JSON_HINT = 'write each row as {"column": value, ...} inside the table\'s array'


def open_dataset(path: str | Path) -> Dataset:
    """Open an import: a folder of CSV files, an .xlsx workbook, a .json document or one CSV.

    Args:
        path: the folder or file.

    Returns:
        The dataset; nothing is validated yet.

    Raises:
        ImportFileError: the path does not exist, has an unsupported type, or cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"No such file or folder: {path}")
    if path.is_dir():
        return _open_folder(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_workbook(path)
    if suffix == ".json":
        return _open_json(path)
    if suffix == ".csv":
        table = path.stem.strip().lower()
        if table not in TABLES:
            # A prefixed name such as proposed-ties.csv (the review file of a QDA import).
            table = table.rsplit("-", 1)[-1]
        if table not in TABLES:
            raise ImportFileError(
                f"{path.name} is not a kb table; name the file after one of: {', '.join(TABLES)} "
                "(a prefix ending in - is allowed: proposed-ties.csv)."
            )
        return _with_sources(Dataset(path.stem, {}), [CsvTable(table, path)])
    if suffix == ".xls":
        raise ImportFileError(f"{path.name} is an old .xls workbook; save it as .xlsx first.")
    raise ImportFileError(
        f"Unsupported import {path.name}: give a folder of CSV files, an .xlsx workbook "
        "or a .json file."
    )


def _with_sources(dataset: Dataset, sources: Iterable[TableSource]) -> Dataset:
    """Add sources, leaving out (with a warning) those without a header."""
    for source in sources:
        if source.table in dataset.sources:
            raise ImportFileError(
                f"{dataset.name} has two files for table {source.table}: "
                f"{dataset.sources[source.table].file} and {source.file}."
            )
        if source.header_row is None and isinstance(source, CsvTable | SheetTable):
            dataset.warnings.append(f"Ignored {source.file}: it is empty.")
            continue
        if isinstance(source, CsvTable) and source.encoding not in ("utf-8-sig", "utf-16"):
            dataset.warnings.append(
                f"{source.file} is not UTF-8; read it as {source.encoding}. "
                "Check that accented letters look right."
            )
        dataset.sources[source.table] = source
    return dataset


def _open_folder(folder: Path) -> Dataset:
    # `kb import .` names the folder it reads, not ""
    dataset = Dataset(folder.resolve().name or str(folder), {})
    sources: list[TableSource] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError as e:
        raise ImportFileError(f"Cannot read the folder {folder}: {e.strerror or e}") from e
    for entry in entries:
        table = entry.stem.strip().lower()
        if entry.is_file() and entry.suffix.lower() == ".csv" and table in TABLES:
            sources.append(CsvTable(table, entry))
        elif entry.suffix.lower() == ".csv" and not entry.name.lower().startswith(_QUIET_PREFIXES):
            # Only an unknown CSV is likely a mistake (a misnamed table); scripts, notes and
            # other files beside the data are not.
            dataset.warnings.append(
                f"Ignored {entry.name}: not a kb table (expected NAME.csv with NAME one of "
                f"{', '.join(TABLES)})."
            )
    return _with_sources(dataset, sources)


def _open_workbook(path: Path) -> Dataset:
    dataset = Dataset(path.name, {})
    sources: list[TableSource] = []
    workbook = _load_workbook(path)
    try:
        for sheet in workbook.sheetnames:
            table = sheet.strip().lower()
            if table in TABLES:
                sources.append(SheetTable(table, path, sheet, workbook))
            else:
                dataset.warnings.append(f"Ignored sheet {path.name}[{sheet}]: not a kb table.")
    finally:
        workbook.close()
    return _with_sources(dataset, sources)


class _TooLong(Exception):
    """An integer literal longer than MAX_INTEGER_DIGITS in a JSON document."""


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise _TooLong(digits)
    return int(text)


def _open_json(path: Path) -> Dataset:
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise ImportFileError(
                f"{path.name} is {size / (1 << 20):.0f} MiB; a JSON import may hold at most "
                f"{MAX_JSON_BYTES >> 20} MiB. Split it, or use CSV files (read as a stream)."
            )
        with path.open(encoding="utf-8-sig") as stream:
            document = json.load(stream, parse_int=_bounded_int)
    except OSError as e:
        raise ImportFileError(f"Cannot read {path}: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise ImportFileError(f"{path.name} is not UTF-8 text, which JSON requires.") from e
    except json.JSONDecodeError as e:
        raise ImportFileError(
            f"{path.name}: line {e.lineno} column {e.colno}: invalid JSON: {e.msg}"
        ) from e
    except _TooLong as e:
        raise ImportFileError(
            f"{path.name} holds an integer of {e.args[0]} digits; kb reads integers of at "
            f"most {MAX_INTEGER_DIGITS} digits. Write such a value as a string."
        ) from None
    except RecursionError:
        raise ImportFileError(_too_deep(path)) from None
    if _depth(document) > MAX_JSON_DEPTH:
        raise ImportFileError(_too_deep(path))
    if not isinstance(document, dict):
        raise ImportFileError(
            f"{path.name} must hold one object whose keys are table names, "
            'e.g. {"organizations": [...], "ties": [...]}.'
        )
    return _from_mapping(document, path.name)


def _too_deep(path: Path) -> str:
    return (
        f"{path.name} nests arrays and objects more than {MAX_JSON_DEPTH} levels deep; the "
        'import format needs four: {"table": [{"column": value or [ids]}]}.'
    )


def _depth(document: Any) -> int:
    """How deeply arrays and objects nest in a JSON value (without recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, level)
            if level <= MAX_JSON_DEPTH:
                stack.extend((item, level + 1) for item in value if isinstance(item, list | dict))
    return deepest
