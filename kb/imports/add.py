"""`kb add`: add one record of an import table, or update only the fields given.

An update reads the stored record, validates the record it would become (every rule of the
import: required columns, references, periods), then writes only the fields the caller gave
or cleared, each one with ``SET``: fields nobody named keep their value, even when another
writer changes them meanwhile. Evidence ids are only ever added, inside the database.
``replace=True`` overwrites the whole record instead: every field not given is removed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from kb.errors import NotFoundError, ParameterError, ValidationError
from kb.imports.sources import Dataset
from kb.imports.stored import record_cells
from kb.imports.validate import records
from kb.imports.writer import WRITE_QUERIES, Importer, to_parameters
from kb.model import (
    ACTOR_KINDS,
    DATE_PROPERTY_SUFFIXES,
    ENDPOINTS,
    LINK_TYPES,
    NODE_LINKS,
    PROPERTY_NAME_PATTERN,
    TABLES,
    TABLES_BY_NAME,
    Table,
    id_space,
)
from kb.schema import SEARCH_PROPERTY
from kb.store import Store

# Properties an update never removes: the identity and the evidence list (evidence ids are
# only added; see docs/data-format.md).
_KEPT = frozenset({"id", "evidence"})


@dataclass
class Change:
    """One field of a record before and after ``kb add`` (empty text: no value)."""

    field: str
    old: str
    new: str


@dataclass
class AddResult:
    """What ``kb add`` did to one record."""

    table: str
    id: str
    outcome: str  # created, updated or unchanged
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # coder look-alikes (kb.coders)

    def as_dict(self) -> dict[str, Any]:
        """The result as plain data."""
        return asdict(self)


def add_record(
    store: Store,
    table: str,
    values: Mapping[str, Any],
    *,
    extra: Mapping[str, Any] | None = None,
    clear: Sequence[str] = (),
    replace: bool = False,
) -> AddResult:
    """Add one record, or update the one with the same id changing only what is given.

    Args:
        store: the knowledge base.
        table: an import table (``kb.model.TABLES``).
        values: column -> value as in an import file; None means "not given".
        extra: extra properties (name -> value), as extra import columns; a name may not be
            a column of the table or a name kb reserves.
        clear: columns or extra properties to remove from the record.
        replace: overwrite the whole record: columns and extra properties not given are
            removed (evidence ids are kept: they are only ever added).

    Returns:
        The record's id, the outcome and every field that changed (old -> new).

    Raises:
        ValidationError: an unknown table or field, a reserved name, or a record that
            breaks the import's rules; nothing was written.
    """
    spec = TABLES_BY_NAME.get(table)
    if spec is None:
        raise ValidationError(f"Unknown table {table!r}; tables are {', '.join(TABLES)}.")
    given = {k: v for k, v in values.items() if v is not None}
    extras = _check_extras(spec, {k: v for k, v in (extra or {}).items() if v is not None})
    for name in list(given):
        if spec.column(name) is None:  # library callers may pass extras among the values
            extras.update(_check_extras(spec, {name: given.pop(name)}))
    cleared = _check_clear(spec, clear, given, extras, replace)
    store.ensure_schema()
    _resolve_actors(store, spec, given)
    ident = _identify(spec, given)
    before = _read(store, spec, ident) if ident else None
    if before is None or replace:
        merged: dict[str, Any] = dict(given)
    else:
        columns, old_extras, _ = before
        merged = {k: v for k, v in columns.items() if v != "" and k != "evidence"}
        merged.update(old_extras)
        merged.update(given)
        for name in cleared:
            merged.pop(name, None)
    merged.update(extras)
    dataset = Dataset.from_records({spec.name: [merged]}, name="kb add")
    issues, _, _ = Importer(store).check(dataset)
    if issues:
        raise ValidationError.from_issues(issues, "kb add; nothing was written")
    record = next(records(dataset, spec.name))
    params = to_parameters(spec.name, record)
    if before is not None:
        touched = set(given) | set(extras) | set(cleared)
        if replace:
            _remove_stale(spec, params, before[0] | before[1], before[2])
        else:
            _only(spec, params, touched)
            for name in cleared:  # an extra property is not in the record at all
                for prop in _property_names(spec, name):
                    params["props"].setdefault(prop, None)
    rows = store.write(WRITE_QUERIES[spec.name], rows=[params])
    outcome = rows[0]["outcome"] if rows else "unchanged"
    after = _read(store, spec, record["id"])
    return AddResult(spec.name, record["id"], outcome, _changes(before, after))


def _check_extras(spec: Table, extras: Mapping[str, Any]) -> dict[str, Any]:
    """Extra properties by their (lower-case) import name, refusing names kb owns."""
    checked: dict[str, Any] = {}
    for raw, value in extras.items():
        name = raw.strip().lower()  # import lower-cases header names: so does kb add
        if spec.column(name) is not None:
            # The column is a parameter of its own (a key of the row; kb add --NAME).
            raise ParameterError.sentence(
                "{extra} {_raw}: {_name} is a column of {_table}; give it with {" + name + "}.",
                _raw=raw,
                _name=name,
                _table=spec.name,
            )
        if not PROPERTY_NAME_PATTERN.fullmatch(name):
            raise ParameterError.sentence(
                "{extra} {_raw}: a property name has up to 64 letters, digits and _, "
                "not starting with a digit.",
                _raw=raw,
            )
        if spec.reserved_property(name):
            raise ParameterError.sentence(
                "{extra} {_raw}: {_name} is a name kb reserves for itself.", _raw=raw, _name=name
            )
        checked[name] = value
    return checked


def _check_clear(
    spec: Table,
    clear: Sequence[str],
    given: Mapping[str, Any],
    extras: Mapping[str, Any],
    replace: bool,
) -> list[str]:
    names: list[str] = []
    fixed = {"id", *ENDPOINTS.get(spec.name, ())}
    if clear and replace:
        raise ParameterError.sentence(
            "{clear} and {replace} do not go together: {replace} clears every field not given."
        )
    for raw in clear:
        name = raw.strip().lower().replace("-", "_")
        column = spec.column(name)
        if name in given or name in extras:
            raise ParameterError.sentence(
                "{clear} {_raw}: the same field is also given a value.", _raw=raw
            )
        if name in fixed or name == "evidence":
            what = "evidence ids are only ever added" if name == "evidence" else "it identifies"
            raise ParameterError.sentence(
                "{clear} {_raw}: {_name} cannot be cleared ({_what}).",
                _raw=raw,
                _name=name,
                _what=what,
            )
        if column is not None and column.required:
            raise ParameterError.sentence(
                "{clear} {_raw}: {_name} is required in {_table}.",
                _raw=raw,
                _name=name,
                _table=spec.name,
            )
        if column is None and (
            not PROPERTY_NAME_PATTERN.fullmatch(name) or spec.reserved_property(name)
        ):
            fields = ", ".join(c.name for c in spec.columns if c.name not in fixed)
            raise ParameterError.sentence(
                "{clear} {_raw}: not a field of {_table} ({_fields}, or an extra property).",
                _raw=raw,
                _table=spec.name,
                _fields=fields,
            )
        names.append(name)
    return names


def _identify(spec: Table, given: Mapping[str, Any]) -> str | None:
    """The id of the record meant: given, or derived from the fields given (link tables)."""
    if given.get("id") is not None:
        return str(given["id"]).strip()
    if spec.derive_id is None:
        return None  # the validation reports the missing id
    dataset = Dataset.from_records({spec.name: [dict(given)]}, name="kb add")
    try:
        return str(next(records(dataset, spec.name))["id"])
    except ValidationError:
        return None  # incomplete: the validation of the record reports why


Stored = tuple[dict[str, str], dict[str, str], set[str]]


def _read(store: Store, spec: Table, ident: str) -> Stored | None:
    """The stored record as import cells: (columns, extra columns, other property names)."""
    if spec.name in LINK_TYPES:
        found = store.read_optional(
            "records/relationship", rel_type=LINK_TYPES[spec.name], id=ident
        )
    else:
        assert spec.kind is not None
        found = store.read_optional("records/node", kind=id_space(spec.kind), id=ident)
    return None if found is None else record_cells(spec, found)


def _resolve_actors(store: Store, spec: Table, given: dict[str, Any]) -> None:
    """Replace an actor named by its name (``--source 'Louise Simard'``) by its id.

    An unknown actor is left as given, for the validation to report with the other
    problems; a name that several actors share is an error listing them.
    """
    from kb.actors import resolve_actor

    for column in spec.columns:
        value = given.get(column.name)
        if column.ref in ACTOR_KINDS and isinstance(value, str) and value.strip():
            with contextlib.suppress(NotFoundError):
                given[column.name] = resolve_actor(store, value, parameter=column.name)


def _property_names(spec: Table, name: str) -> set[str]:
    """The properties a field is stored as (a date is four, on every table but ties)."""
    column = spec.column(name)
    if column is not None and column.type == "date" and spec.name != "ties":
        return {name, *(name + suffix for suffix in DATE_PROPERTY_SUFFIXES)}
    return {name}


def _only(spec: Table, params: dict[str, Any], touched: set[str]) -> None:
    """Keep in ``params`` only the fields given or cleared: the write leaves the rest."""
    keep = set().union(*(_property_names(spec, name) for name in touched)) if touched else set()
    keep.add(SEARCH_PROPERTY)  # computed from the whole record: always up to date
    params["props"] = {k: v for k, v in params["props"].items() if k in keep}
    link = NODE_LINKS.get(spec.name)
    if link is not None and link not in touched:
        # The import query then leaves the record's link (territory, parent, ...) alone.
        params.pop(link, None)


def _remove_stale(
    spec: Table, params: dict[str, Any], old: Mapping[str, str], other: set[str]
) -> None:
    """``replace``: every stored property the new record does not have is removed."""
    props = params["props"]
    derived = {
        name + suffix
        for column in spec.columns
        if column.type == "date"
        for suffix in DATE_PROPERTY_SUFFIXES
        for name in (column.name,)
    }
    for name in {*old, *other} - set(props) - _KEPT - derived - set(ENDPOINTS.get(spec.name, ())):
        props[name] = None


def _changes(before: Stored | None, after: Stored | None) -> list[Change]:
    old = {} if before is None else {**before[0], **before[1]}
    new = {} if after is None else {**after[0], **after[1]}
    return [
        Change(name, old.get(name, ""), new.get(name, ""))
        for name in dict.fromkeys([*new, *old])
        if old.get(name, "") != new.get(name, "")
    ]
