"""Typed results, and the one rule that turns a result into records (docs/output.md).

An analysis returns a frozen dataclass (`Result`, or `Rows` for a list of records). Its
``data()`` is what ``--format json`` prints; its ``records()`` are the flat records ``--format
csv`` prints, one per row, and what the CLI's tables, the HTML report, ``to_frame()`` (a
pandas DataFrame) and ``_repr_html_`` (a table in Jupyter) show. Where the records are in a
result is declared once per result type (`Records`); `flatten` is the one rule that turns a
nested record into flat fields.

A result reads like its JSON too: ``result["actors"]`` is ``result.actors``, and a `Rows`
is a sequence of its records, so code written against the plain data keeps working.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, ClassVar, overload

if TYPE_CHECKING:
    import pandas

# Field metadata: a field left out of the data (and the JSON) while it is None, e.g. the
# null-model ``test`` of an analysis run without permutations.
OMIT_NONE: dict[str, bool] = {"omit_none": True}
HTML_ROWS = 200  # rows `_repr_html_` shows; to_frame() has them all


@dataclass(frozen=True)
class Records:
    """Where a result's records are in its data (docs/output.md).

    Attributes:
        key: the list of records inside the result object (``actors``); None: the result
            itself (a list of records, or one object as one record).
        carry: fields of each enclosing result copied onto its records, when the result is a
            list of results (``kb brokerage --by stage``: ``period``).
        explode: a list field of each record whose items get one row each (``kb why``: each
            tie's ``evidence``); a record whose list is empty keeps one row.
        prefix: the column prefix of the exploded items' fields (default: ``explode``).
    """

    key: str | None = None
    carry: tuple[str, ...] = ()
    explode: str | None = None
    prefix: str | None = None


def plain(value: Any) -> Any:
    """``value`` as plain data: results as their ``data()``, tuples as lists, mappings as
    dicts (dates stay dates: the JSON writer prints them as ISO text)."""
    if isinstance(value, Result | Rows):
        return value.data()
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def compact_json(value: Any) -> str:
    """One cell of compact JSON (a list of objects without ids); dates as ISO text."""

    def default(item: Any) -> Any:
        if isinstance(item, dt.date | dt.datetime):
            return item.isoformat()
        return str(item)

    return json.dumps(plain(value), default=default, ensure_ascii=False)


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """One record as flat fields: nested objects as ``parent_child`` columns, a list of
    objects as the list of their ids (as compact JSON when they have none), other lists
    and values as they are."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list | tuple) and any(isinstance(v, Mapping) for v in value):
            if all(isinstance(v, Mapping) and "id" in v for v in value):
                flat[name] = [v["id"] for v in value]
            else:
                flat[name] = compact_json(value)
        else:
            flat[name] = value
    return flat


def records_of(data: Any, spec: Records) -> list[dict[str, Any]]:
    """The (nested) records of plain result data, as `Records` says where they are."""
    results = data if isinstance(data, list) else [data]
    if spec.key is None:
        return [dict(r) for r in results]
    return [
        {**{c: result.get(c) for c in spec.carry}, **item}
        for result in results
        for item in result[spec.key]
    ]


def flat_records(data: Any, spec: Records = Records()) -> list[dict[str, Any]]:
    """The flat records of plain result data: one per CSV row (`flatten` each record; an
    exploded list gives one record per item, its fields prefixed)."""
    rows: list[dict[str, Any]] = []
    for record in records_of(plain(data), spec):
        if spec.explode is None:
            rows.append(flatten(record))
            continue
        prefix = f"{spec.prefix or spec.explode}_"
        base = flatten({k: v for k, v in record.items() if k != spec.explode})
        items = record.get(spec.explode) or [None]
        # the item's id first, next to the record's: the columns a reader joins on
        items = [{"id": item["id"], **item} if item and "id" in item else item for item in items]
        rows += [{**base, **flatten(item or {}, prefix)} for item in items]
    return rows


def columns_of(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The columns of flat records, in first-seen order."""
    return list(dict.fromkeys(name for row in rows for name in row))


class _Shown:
    """What every result offers: records, a DataFrame, and a table in Jupyter."""

    RECORDS: ClassVar[Records] = Records()

    def data(self) -> Any:
        raise NotImplementedError

    def records(self) -> list[dict[str, Any]]:
        """The flat records of the result: what ``--format csv`` prints, one per row."""
        return flat_records(self.data(), self.RECORDS)

    def to_frame(self) -> pandas.DataFrame:
        """The records as a pandas DataFrame (``pip install 'kb[notebook]'``)."""
        try:
            import pandas
        except ImportError as error:  # pandas is an optional extra
            raise ImportError(
                "to_frame() needs pandas: pip install 'kb[notebook]' (or pandas)."
            ) from error
        rows = self.records()
        return pandas.DataFrame(rows, columns=columns_of(rows))

    def _repr_html_(self) -> str:
        """The records as an HTML table (Jupyter shows it); every text escaped."""
        rows = self.records()
        name = escape(type(self).__name__)
        if not rows:
            return f"<p><b>{name}</b>: no records.</p>"
        columns = columns_of(rows)
        head = "".join(f"<th>{escape(c)}</th>" for c in columns)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{escape(_html_cell(row.get(c)))}</td>" for c in columns)
            + "</tr>"
            for row in rows[:HTML_ROWS]
        )
        more = (
            f"<p>{len(rows) - HTML_ROWS} more records: .to_frame() or .records() has them.</p>"
            if len(rows) > HTML_ROWS
            else ""
        )
        return (
            f"<p><b>{name}</b>: {len(rows)} records</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
        )


def _html_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        return "; ".join(_html_cell(v) for v in value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


class Result(_Shown, Mapping[str, Any]):
    """Base of the analyses' typed results: frozen dataclasses whose fields are the fields of
    their JSON. A field marked `OMIT_NONE` is left out while it is None. Subclasses are
    declared ``@dataclass(frozen=True, eq=False, kw_only=True)`` (``eq=False``: a result
    equals its data, as a mapping) and name no field ``keys``, ``items``, ``values`` or
    ``get`` (the mapping's methods)."""

    def data(self) -> dict[str, Any]:
        """The result as plain data: what ``--format json`` prints."""
        return {key: plain(getattr(self, name)) for key, name in self._present().items()}

    def _present(self) -> dict[str, str]:
        """The data's keys and the fields holding them (a field's key is its name unless
        its metadata names another: ``from``, a Python keyword)."""
        return {
            f.metadata.get("key", f.name): f.name
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if not (f.metadata.get("omit_none") and getattr(self, f.name) is None)
        }

    def __getitem__(self, key: str) -> Any:
        return getattr(self, self._present()[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._present())

    def __len__(self) -> int:
        return len(self._present())


@dataclass(frozen=True, eq=False)
class Rows(_Shown, Sequence[Any]):
    """A result that is a list of records (kb legitimacy, evolution, consensus...)."""

    rows: tuple[Any, ...] = ()

    def data(self) -> list[Any]:
        """The records as plain data: what ``--format json`` prints."""
        return [plain(row) for row in self.rows]

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self.rows) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
