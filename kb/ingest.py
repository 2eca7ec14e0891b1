"""Writing validated import data to Neo4j: the only place an import touches the database.

Everything is validated first (the files by kb.importers, then the references the files do
not define against the database); only a clean data set is written, table by table in
batched ``UNWIND`` transactions, each row MERGEd on its stable id. A failed validation
writes nothing; an interrupted write leaves whole batches, and re-running the same import
completes it without duplicates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any

from kb.dates import PartialDate
from kb.errors import ValidationError
from kb.importers import Dataset, Issue, Location, records, validate

if TYPE_CHECKING:
    from kb.graph import KnowledgeBase

BATCH_SIZE = 5_000

# Columns that name the two ends of a relationship row; they are not copied as properties.
ENDPOINTS: dict[str, tuple[str, str]] = {
    "ties": ("source", "target"),
    "memberships": ("person", "organization"),
    "attendance": ("actor", "meeting"),
    "positions": ("actor", "problem"),
    "reform_effects": ("reform", "organization"),
}
# Node tables whose reference column also becomes a relationship, and that column.
NODE_LINKS: dict[str, str] = {
    "territories": "parent",
    "organizations": "territory",
    "actors": "territory",
    "documents": "author",
    "evidence": "document",
    "meetings": "territory",
}
OUTCOMES = ("created", "updated", "unchanged")
_DATE_COLUMNS = frozenset({"start", "end", "date"})  # every date column of the format
# Tables whose query derives a date's _first/_last/_precision from its text in Cypher:
# ties are the bulk of an import, and packing four properties per date (two of them Date
# values) was most of the client's time.
TEXT_DATE_TABLES = frozenset({"ties"})

Progress = Callable[[str, int, int], None]  # (table, rows done in this batch, table total)


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do)."""

    source: str
    dry_run: bool
    rows: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> list[dict[str, Any]]:
        """One row per table: rows read and created / updated / unchanged counts."""
        return [
            {
                "table": table,
                "rows": rows,
                **{o: self.outcomes.get(table, {}).get(o, 0) for o in OUTCOMES},
            }
            for table, rows in self.rows.items()
        ]


def date_properties(column: str, value: PartialDate | None) -> dict[str, Any]:
    """A partial date as four properties: the text as given and the period it denotes.

    ``start: "2016-03"`` becomes ``start = "2016-03"``, ``start_first = 2016-03-01``,
    ``start_last = 2016-03-31``, ``start_precision = "month"``; analyses compare the
    ``_first`` / ``_last`` dates (docs/model.md).
    """
    if value is None:
        return dict.fromkeys(
            (column, f"{column}_first", f"{column}_last", f"{column}_precision"), None
        )
    return {
        column: value.text,
        f"{column}_first": value.first,
        f"{column}_last": value.last,
        f"{column}_precision": value.precision,
    }


def to_parameters(table: str, record: dict[str, Any]) -> dict[str, Any]:
    """One validated record as the ``$rows`` item its import query expects."""
    skip = {"extra", "evidence", *ENDPOINTS.get(table, ())}
    props: dict[str, Any] = {}
    for column, value in record.items():
        if column in skip:
            continue
        if table in TEXT_DATE_TABLES and column in _DATE_COLUMNS:
            props[column] = value.text if isinstance(value, PartialDate) else None
        elif isinstance(value, PartialDate) or (value is None and column in _DATE_COLUMNS):
            props.update(date_properties(column, value))
        else:
            props[column] = value
    props.update(record.get("extra") or {})
    row: dict[str, Any] = {"id": record["id"], "props": props}
    if table in ENDPOINTS:
        for end in ENDPOINTS[table]:
            row[end] = record[end]
        row["evidence"] = list(record.get("evidence") or [])
        if table == "reform_effects":
            row["successor"] = record.get("successor")
            row["reform"] = record["reform"]
    elif table in NODE_LINKS:
        row[NODE_LINKS[table]] = record.get(NODE_LINKS[table])
    props.pop("id", None)
    return row


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of up to ``size`` items, streaming."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Importer:
    """Validates a data set against the files and the database, then writes it."""

    def __init__(self, kb: KnowledgeBase, *, batch_size: int = BATCH_SIZE) -> None:
        self.kb = kb
        self.batch_size = batch_size

    def check(self, dataset: Dataset) -> tuple[list[Issue], dict[str, int], list[str]]:
        """Every problem of the data set, including references missing from the database."""
        validation = validate(dataset)
        issues = list(validation.issues)
        issues += self._missing_references(validation.unresolved)
        if not issues:
            issues += self._actor_kind_conflicts(dataset)
        return issues, dict(validation.rows), list(validation.warnings)

    def run(
        self, dataset: Dataset, *, dry_run: bool = False, progress: Progress | None = None
    ) -> ImportReport:
        """Validate, then (unless ``dry_run``) write the data set.

        Raises:
            ValidationError: with every problem found; nothing was written.
        """
        self.kb.ensure_schema()
        issues, rows, warnings = self.check(dataset)
        if issues:
            raise ValidationError(
                f"{len(issues)} problem(s) in {dataset.name}; nothing was written.", issues
            )
        report = ImportReport(source=dataset.name, dry_run=dry_run, rows=rows, warnings=warnings)
        if dry_run:
            return report
        for table in dataset.tables():
            counts: Counter[str] = Counter()
            for batch in batched(records(dataset, table), self.batch_size):
                params = [to_parameters(table, record) for record in batch]
                for result in self.kb.write(f"import/{table}", rows=params):
                    counts[result["outcome"]] += result["count"]
                if progress:
                    progress(table, len(batch), rows.get(table, 0))
            report.outcomes[table] = dict(counts)
        return report

    def _missing_references(self, unresolved: dict[tuple[str, str], Location]) -> list[Issue]:
        missing = dict(unresolved)
        for batch in batched(list(unresolved), self.batch_size):
            refs = [{"kind": kind, "id": id_} for kind, id_ in batch]
            for found in self.kb.read("import/existing_refs", refs=refs):
                missing.pop((found["kind"], found["id"]), None)
        return [
            Issue(
                loc.file,
                loc.row,
                loc.column,
                f"unknown {kind.lower()} {id_!r}",
                "define it in the import or add it first (kb add ...); ids are case-sensitive",
            )
            for (kind, id_), loc in sorted(missing.items(), key=lambda kv: _location_key(kv[1]))
        ]

    def _actor_kind_conflicts(self, dataset: Dataset) -> list[Issue]:
        defined: dict[str, list[str]] = {"actors": [], "organizations": []}
        for table in defined:
            if table in dataset.tables():
                defined[table] = [r["id"] for r in records(dataset, table)]
        if not any(defined.values()):
            return []
        conflicts = self.kb.read(
            "import/actor_conflicts",
            persons=defined["actors"],
            organizations=defined["organizations"],
        )

        def file_of(table: str) -> str:
            source = dataset.source(table)
            return source.file if source else table

        return [
            Issue(
                file_of("actors" if c["existing"] == "Organization" else "organizations"),
                None,
                "id",
                f"{c['id']!r} already exists as a {c['existing'].lower()}",
                "persons and organizations share one id space; use another id",
            )
            for c in conflicts
        ]


def _location_key(loc: Location) -> tuple[str, int, str]:
    return (loc.file, loc.row or 0, loc.column or "")
