"""Writing validated import data to Neo4j: the only place an import touches the database.

Everything is validated first (the files by kb.imports, then the references the files do
not define against the database); only a clean data set is written, table by table in
batched ``UNWIND`` transactions, each row MERGEd on its stable id (or, for ties and evidence,
CREATEd when its id is known to be new); the next batch is read and typed while Neo4j
writes one. A failed validation writes nothing; an interrupted write leaves whole batches, and
re-running the same import completes it without duplicates.
"""

from __future__ import annotations

import queue
import threading
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from kb.coders import CoderAliases
from kb.dates import PartialDate
from kb.errors import (
    DatabaseUnavailableError,
    ExitCode,
    ImportInterruptedError,
    Issue,
    Location,
    ValidationError,
)
from kb.imports.sources import Dataset
from kb.imports.validate import records, validate
from kb.model import ACTOR, DATE_COLUMNS, ENDPOINTS, NODE_LINKS
from kb.pending import pending
from kb.schema import SEARCH_PROPERTY, SEARCHED_COLUMNS
from kb.store import Store
from kb.text import search_text

BATCH_SIZE = 5_000
# Batches prepared ahead of the one being written (see `prefetched`).
PREFETCH = 2
# Transactions writing new rows at the same time (each runs on its own server core; new ids
# of different batches cannot conflict). Measured on 2 cores: 100 k new ties in 5.5 s with
# two, 9 s with one.
WRITERS = 2

OUTCOMES = ("created", "updated", "unchanged")
# The query that MERGEs a batch of each table's rows (kb/cypher/import/), spelled out so
# that grep finds where each query runs.
WRITE_QUERIES: dict[str, str] = {
    "case": "import/case",
    "territories": "import/territories",
    "organizations": "import/organizations",
    "actors": "import/actors",
    "documents": "import/documents",
    "evidence": "import/evidence",
    "meetings": "import/meetings",
    "stages": "import/stages",
    "reforms": "import/reforms",
    "problems": "import/problems",
    "ties": "import/ties",
    "memberships": "import/memberships",
    "attendance": "import/attendance",
    "reform_effects": "import/reform_effects",
    "positions": "import/positions",
    "mentions": "import/mentions",
}


@dataclass(frozen=True)
class SplitQueries:
    """The queries of a table written by kind of row rather than through one MERGE: ``new``
    (a plain CREATE of ids not in the database), ``state`` (which existing ids changed),
    ``count`` (whether the table is empty, so that every id is new)."""

    new: str
    state: str
    count: str


# Ties and evidence are the bulk of an import; the MERGE query's second index seek,
# comparison and Eager operators were a fifth of the server's time for new ties.
SPLIT_TABLES: dict[str, SplitQueries] = {
    "ties": SplitQueries("import/ties_new", "import/ties_state", "import/ties_count"),
    "evidence": SplitQueries(
        "import/evidence_new", "import/evidence_state", "import/evidence_count"
    ),
}

T = TypeVar("T")

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


def record_properties(table: str, record: dict[str, Any]) -> dict[str, Any]:
    """A validated record's stored properties: its columns but the endpoints and evidence
    (a reference column such as territory is kept too), dates as the four properties of
    ``date_properties``, and its extra columns."""
    skip = {"extra", "evidence", *ENDPOINTS.get(table, ())}
    props: dict[str, Any] = {}
    for column, value in record.items():
        if column in skip:
            continue
        if isinstance(value, PartialDate) or (value is None and column in DATE_COLUMNS):
            props.update(date_properties(column, value))
        else:
            props[column] = value
    props.update(record.get("extra") or {})
    return props


def to_parameters(table: str, record: dict[str, Any]) -> dict[str, Any]:
    """One validated record as the ``$rows`` item its import query expects."""
    if table == "ties":
        return _tie_parameters(record)
    props = record_properties(table, record)
    if table in SEARCHED_COLUMNS:
        props[SEARCH_PROPERTY] = search_text(record.get(c) for c in SEARCHED_COLUMNS[table])
    row: dict[str, Any] = {"id": record["id"], "props": props}
    if table in ENDPOINTS:
        for end in ENDPOINTS[table]:
            row[end] = record[end]
        if "evidence" not in ENDPOINTS[table]:  # mentions: evidence is an end, not a list
            row["evidence"] = list(record.get("evidence") or [])
        if table == "reform_effects":
            row["successor"] = record.get("successor")
            row["reform"] = record["reform"]
    elif table in NODE_LINKS:
        row[NODE_LINKS[table]] = record.get(NODE_LINKS[table])
    props.pop("id", None)
    return row


_TIE_SKIP = frozenset({"id", "source", "target", "evidence", "extra"})


def _tie_parameters(record: dict[str, Any]) -> dict[str, Any]:
    """`to_parameters` for ties, the bulk of an import: dates travel as their text only.

    The tie queries derive each date's _first/_last/_precision in Cypher; packing four
    properties per date (two of them Date values) was most of the client's time.
    """
    props = {
        column: (value.text if isinstance(value, PartialDate) else value)
        for column, value in record.items()
        if column not in _TIE_SKIP
    }
    if record["extra"]:
        props.update(record["extra"])
    return {
        "id": record["id"],
        "props": props,
        "source": record["source"],
        "target": record["target"],
        "evidence": list(record["evidence"] or ()),
    }


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of up to ``size`` items, streaming."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def prefetched(items: Iterator[T], depth: int = PREFETCH) -> Generator[T, None, None]:
    """``items``, produced up to ``depth`` ahead by a background thread.

    The import prepares batch N+1 (reading, typing, building parameters) while Neo4j
    executes batch N: the writing thread waits on the socket without holding the GIL.
    An exception of the producer is raised here; leaving the loop early stops it.
    """
    done = object()
    slots: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
        except BaseException as error:  # handed to the consumer, raised there
            put((False, error))
            return
        put((True, done))

    worker = threading.Thread(target=produce, name="kb-import-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            ok, item = slots.get()
            if not ok:
                raise item
            if item is done:
                return
            yield item
    finally:
        stop.set()
        worker.join()


class Importer:
    """Validates a data set against the files and the database, then writes it."""

    def __init__(
        self, store: Store, *, batch_size: int = BATCH_SIZE, coders: CoderAliases | None = None
    ) -> None:
        self.kb = store
        self.batch_size = batch_size
        self.coders = coders or CoderAliases()

    def check(self, dataset: Dataset) -> tuple[list[Issue], dict[str, int], list[str]]:
        """Every problem of the data set, including references missing from the database."""
        # The actor ids the files define, kept while validating rather than read again.
        defined: dict[str, list[str]] = {"actors": [], "organizations": [], "case": []}

        def sink(table: str, record: dict[str, Any]) -> None:
            if table in defined:
                defined[table].append(record["id"])

        validation = validate(dataset, sink=sink)
        issues = list(validation.issues)
        issues += self._missing_references(
            validation.unresolved, defined["actors"] + defined["organizations"]
        )
        if not issues:
            issues += self._actor_kind_conflicts(dataset, defined)
            issues += self._other_cases(dataset, defined["case"])
        return issues, dict(validation.rows), list(validation.warnings)

    def _other_cases(self, dataset: Dataset, cases: list[str]) -> list[Issue]:
        """One database holds one case: a case row may only update the one already there."""
        if not cases:
            return []
        others = [row["id"] for row in self.kb.read("case/others", id=cases[0])]
        if not others:
            return []
        source = dataset.source("case")
        return [
            Issue(
                source.file if source else "case",
                None,
                "id",
                f"the database already holds case {others[0]!r}; one database holds one case",
                f"use the id {others[0]!r} to update it, or kb reset first",
            )
        ]

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
        if not dry_run:
            report.outcomes = self.write(dataset, rows, progress)
        return report

    def write(
        self, dataset: Dataset, rows: dict[str, int], progress: Progress | None = None
    ) -> dict[str, dict[str, int]]:
        """Write a data set that `check` found clean, table by table.

        Args:
            dataset: the data set.
            rows: rows per table, as `check` counted them (for progress).
            progress: called after each batch.

        Returns:
            Per table, the created / updated / unchanged counts.

        Raises:
            ImportInterruptedError: the database stopped the import; the message says what
                was written (whole batches) and how to finish or undo.
        """
        from neo4j.exceptions import DriverError, Neo4jError

        outcomes: dict[str, dict[str, int]] = {}
        written: Counter[str] = Counter()
        table = ""
        try:
            # Marked as begun until the last batch is written: a killed import shows as
            # incomplete in kb status (kb.pending); running it again completes it.
            with pending(self.kb, "import", dataset.name, completes_earlier=True):
                for table in dataset.tables():
                    outcomes[table] = self._write_table(
                        dataset, table, rows.get(table, 0), progress, written
                    )
        except (Neo4jError, DriverError, DatabaseUnavailableError) as error:
            raise _interrupted(dataset.name, table, written, rows, error) from error
        return outcomes

    def _write_table(
        self,
        dataset: Dataset,
        table: str,
        total: int,
        progress: Progress | None,
        written: Counter[str],
    ) -> dict[str, int]:
        write = self._write_batch
        workers = 1
        if table in SPLIT_TABLES:
            # Into a table without rows every id is new: no need to ask which exist.
            empty = self.kb.read_one(SPLIT_TABLES[table].count)["count"] == 0
            write = self._write_new_batch if empty else self._write_split_batch
            # New rows of different batches cannot conflict: write them side by side.
            workers = WRITERS if empty else 1
        counts: Counter[str] = Counter()
        pending: deque[tuple[int, Future[Counter[str]]]] = deque()

        def finish() -> None:
            size, done = pending.popleft()
            counts.update(done.result())
            written[table] += size
            if progress:
                progress(table, size, total)

        with (
            closing(prefetched(self._parameter_batches(dataset, table))) as batches,
            ThreadPoolExecutor(workers, thread_name_prefix="kb-import-write") as pool,
        ):
            for params in batches:
                pending.append((len(params), pool.submit(write, table, params)))
                if len(pending) >= workers:
                    finish()
            while pending:
                finish()
        return {o: n for o, n in counts.items() if n}

    def _parameter_batches(self, dataset: Dataset, table: str) -> Iterator[list[dict[str, Any]]]:
        for batch in batched(records(dataset, table), self.batch_size):
            if table == "evidence" and self.coders:
                # Coder aliases (kb.coders) apply as the rows are written: one person, one name.
                batch = [{**r, "coder": self.coders.resolve(r.get("coder"))} for r in batch]
            yield [to_parameters(table, record) for record in batch]

    def _write_batch(self, table: str, params: list[dict[str, Any]]) -> Counter[str]:
        return _outcomes(self.kb.write(WRITE_QUERIES[table], rows=params))

    def _write_new_batch(self, table: str, params: list[dict[str, Any]]) -> Counter[str]:
        """Rows whose ids are not in the database: a plain CREATE."""
        from neo4j.exceptions import ConstraintError

        try:
            return _outcomes(self.kb.write(SPLIT_TABLES[table].new, rows=params))
        except ConstraintError:
            # A concurrent writer created one of the ids meanwhile (the whole transaction
            # rolled back): the MERGE query sorts the batch out.
            return self._write_batch(table, params)

    def _write_split_batch(self, table: str, params: list[dict[str, Any]]) -> Counter[str]:
        """Ask which rows exist and changed; create the new, merge the changed, skip the rest."""
        state = self.kb.read_one(SPLIT_TABLES[table].state, rows=params)
        unchanged, changed = set(state["unchanged"]), set(state["changed"])
        counts = Counter({"unchanged": len(unchanged)})
        new = [p for p in params if p["id"] not in unchanged and p["id"] not in changed]
        if new:
            counts += self._write_new_batch(table, new)
        if changed:
            counts += self._write_batch(table, [p for p in params if p["id"] in changed])
        return counts

    def _missing_references(
        self, unresolved: dict[tuple[str, str], Location], actors: list[str]
    ) -> list[Issue]:
        """Each reference neither the files nor the database define; an actor's names the
        closest ids of both (``actors``: those the files define)."""
        missing = dict(unresolved)
        for batch in batched(list(unresolved), self.batch_size):
            refs = [{"kind": kind, "id": id_} for kind, id_ in batch]
            for found in self.kb.read("import/existing_refs", refs=refs):
                missing.pop((found["kind"], found["id"]), None)
        if any(kind == ACTOR for kind, _ in missing):
            actors = actors + [a["id"] for a in self.kb.read("qda/actors")]
        return [
            Issue(
                loc.file,
                loc.row,
                loc.column,
                f"unknown {kind.lower()} {id_!r}" + _closest(id_, actors if kind == ACTOR else []),
                "define it in the import or add it first (kb add ...); ids are case-sensitive",
            )
            for (kind, id_), loc in sorted(missing.items(), key=lambda kv: _location_key(kv[1]))
        ]

    def _actor_kind_conflicts(self, dataset: Dataset, defined: dict[str, list[str]]) -> list[Issue]:
        if not any(defined.values()):
            return []
        conflicts = self.kb.read(
            "import/actor_conflicts",
            persons=defined["actors"],
            organizations=defined["organizations"],
        )
        if not conflicts:
            return []
        # Rare: read the table again for the rows of the conflicting ids.
        wanted = {c["id"] for c in conflicts}
        found: dict[tuple[str, str], tuple[str, int]] = {}
        for table in ("actors", "organizations"):
            source = dataset.source(table)
            for raw in dataset.raw_rows(table):
                ident = raw.values.get("id")
                if isinstance(ident, str) and ident.strip() in wanted and source is not None:
                    found.setdefault((table, ident.strip()), (source.file, raw.row))
        issues = []
        for c in conflicts:
            table = "actors" if c["existing"] == "Organization" else "organizations"
            file, row = found.get((table, c["id"]), (table, None))
            issues.append(
                Issue(
                    file,
                    row,
                    "id",
                    f"{c['id']!r} already exists as a {c['existing'].lower()}",
                    "persons and organizations share one id space; use another id",
                )
            )
        return issues


def _interrupted(
    name: str, table: str, written: Counter[str], rows: dict[str, int], error: Exception
) -> ImportInterruptedError:
    """The error of an import that the database stopped: what was written, what to do."""
    cause = str(getattr(error, "message", None) or error).splitlines()[0].strip()
    done = ", ".join(f"{t} {written[t]} of {rows.get(t, 0)}" for t in written if written[t])
    code = error.exit_code if isinstance(error, DatabaseUnavailableError) else ExitCode.ERROR
    return ImportInterruptedError(
        f"The import of {name} stopped while writing {table}: {cause} "
        f"Written before that, in whole committed batches: {done or 'nothing'} rows. "
        "To finish, remove the cause and run the same import again: rows already written "
        "come out unchanged. To undo, restore the backup taken before (kb restore PATH --force).",
        code,
    )


def _outcomes(results: list[dict[str, Any]]) -> Counter[str]:
    """The created / updated / unchanged counts an import query returns, summed."""
    counts: Counter[str] = Counter()
    for result in results:
        counts[result["outcome"]] += result["count"]
    return counts


def _closest(given: str, known: list[str]) -> str:
    """`` (closest: a, b)`` naming the known ids nearest to a mistyped one, or nothing."""
    from difflib import get_close_matches

    close = get_close_matches(given, known, n=3, cutoff=0.6)
    return f" (closest: {', '.join(close)})" if close else ""


def _location_key(loc: Location) -> tuple[str, int, str]:
    return (loc.file, loc.row or 0, loc.column or "")
