"""REFI-QDA projects as kb evidence: the coding convention (docs/qda.md) and the import.

A project coded in NVivo, ATLAS.ti, MAXQDA, QualCoder, ... becomes rows of kb's own import
tables (``documents``, ``evidence``, ``mentions``), so the validation and writer of every
kb import do the work and the same guarantees hold: everything is checked first, nothing is
written on error, a re-import changes nothing.

The convention:

- codes under a top-level code ``actors`` name kb actors, by id or by name (case- and
  accent-insensitive); codes under ``ties`` name tie types; a mapping file maps other codes;
- a coded passage naming at least one actor becomes the evidence item ``qda-<selection
  guid>``, from the document ``qda-<source guid>``, mentioning those actors;
- a passage naming two actors and a tie type supports kb's ties of that type between them,
  either direction; a tie kb does not have is proposed in a review file, never invented.

Pure parts (`resolve_codes`, `convert`, `read_mapping`) need no database; `QdaImporter`
reads what it must from the database and writes through `kb.imports.writer.Importer`.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import IO, Any

from kb.coders import CoderAliases
from kb.dates import PartialDate
from kb.errors import ImportFileError, Issue, KBError, ValidationError, Wording
from kb.imports.refi import QDE, Code, Passage, Project, Source, read_passages, read_project
from kb.imports.sources import Dataset, RawRow, RecordsTable, TableSource, detect_encoding
from kb.imports.validate import CellError, parse_code
from kb.imports.writer import BATCH_SIZE, Importer, ImportReport, Progress, batched
from kb.model import EVIDENCE_KINDS, TABLES_BY_NAME
from kb.store import Store

ACTORS_CODE = "actors"
TIES_CODE = "ties"
EVIDENCE_PREFIX = "qda-"
DOCUMENT_PREFIX = "qda-"
PROPOSED_TIES = "proposed-ties.csv"
PROPOSED_NOTE = "proposed by kb import of a QDA project ({passages} passage(s))"
PROPOSED_COLUMNS = (
    "source",
    "target",
    "type",
    "start",
    "end",
    "directed",
    "weight",
    "evidence",
    "note",
)

# GUIDs of kb's own codebook (`kb export qdc`): the same actor or tie type always gets the
# same code GUID, so a project coded with kb's codebook is matched on GUIDs first.
_CODEBOOK_NAMESPACE = uuid.UUID("8d3c1a52-6b1e-4f0a-9f6e-2b9a7c4d5e10")

# Source variable `kind`: the evidence kinds, and the words coders use for them.
KIND_WORDS: dict[str, str] = {
    **{kind: kind for kind in EVIDENCE_KINDS},
    "entretien": "interview",
    "entrevue": "interview",
    "field notes": "observation",
    "fieldnotes": "observation",
    "notes de terrain": "observation",
    "note de terrain": "observation",
    "document écrit": "document",
}


def code_guid(kind: str, key: str) -> str:
    """The GUID kb's codebook gives the code of an actor (kind "actor", key its id), a tie
    type ("tie") or a group ("group", key its path)."""
    return str(uuid.uuid5(_CODEBOOK_NAMESPACE, f"{kind}:{key}"))


def fold(text: str) -> str:
    """Text compared case- and accent-insensitively: ``Hélène  Dumont`` -> ``helene dumont``."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("ʼ", "'"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


# --- what codes mean ------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a code stands for in kb: an actor id or a tie type (one of the two)."""

    actor: str | None = None
    tie_type: str | None = None


@dataclass(frozen=True)
class MappingRow:
    """One row of a ``--mapping`` file: a code (name, path or guid) and its target."""

    code: str
    target: Target
    row: int


@dataclass
class Resolution:
    """What each code of a project means.

    Attributes:
        targets: code guid -> target, for the codes that name an actor or a tie type.
        unmatched: codes that name nothing (groups with sub-codes excepted).
        issues: codes whose meaning is ambiguous, mapping rows naming unknown actors.
        warnings: mapping rows that match no code of the project.
    """

    targets: dict[str, Target] = field(default_factory=dict)
    unmatched: list[Code] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    actor_ids: set[str] = field(default_factory=set)
    actor_names: dict[str, list[str]] = field(default_factory=dict)  # folded name -> ids


def read_mapping(path: str | Path) -> list[MappingRow]:
    """Read a ``--mapping`` CSV: a ``code`` column and an ``actor`` and/or ``tie_type`` one.

    Raises:
        ImportFileError: the file cannot be read or lacks the columns.
        ValidationError: rows with no target, two targets or a malformed tie type.
    """
    path = Path(path)
    try:
        with path.open(encoding=detect_encoding(path), newline="") as stream:
            lines = list(csv.reader(stream))
    except OSError as e:
        raise ImportFileError(f"Cannot read {path}: {e.strerror or e}") from e
    header = [cell.strip().lower() for cell in lines[0]] if lines else []
    if "code" not in header or not {"actor", "tie_type"} & set(header):
        raise ImportFileError(
            f"{path.name} needs a header with code and actor and/or tie_type, e.g. code,actor"
        )
    rows: list[MappingRow] = []
    issues: list[Issue] = []
    for number, cells in enumerate(lines[1:], start=2):
        values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        code, actor, tie = values.get("code"), values.get("actor"), values.get("tie_type")
        if not code and not actor and not tie:
            continue
        if not code or bool(actor) == bool(tie):
            issues.append(
                Issue(path.name, number, None, "give a code and exactly one of actor or tie_type")
            )
            continue
        if tie:
            try:
                tie = parse_code(tie, "tie_type")
            except CellError as e:
                issues.append(Issue(path.name, number, "tie_type", e.message, e.hint))
                continue
        rows.append(MappingRow(code, Target(actor=actor or None, tie_type=tie or None), number))
    if issues:
        raise ValidationError.from_issues(issues, path.name)
    return rows


_ID_IN_NAME = re.compile(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]\s*$")
# kb's codebook writes "kb id: <id>" in each actor code's description.
_ID_IN_DESCRIPTION = re.compile(r"\bkb id:\s*(\S+)")


def resolve_codes(
    codes: Iterable[Code],
    actors: Sequence[Mapping[str, Any]],
    mapping: Sequence[MappingRow] = (),
    *,
    mapping_file: str = "mapping",
) -> Resolution:
    """Decide what each code names, by the convention and the mapping.

    Args:
        codes: the project's codebook.
        actors: kb's actors, maps with ``id`` and ``name``.
        mapping: rows of a mapping file; they win over the convention.
        mapping_file: the mapping file's name, for messages.

    Returns:
        The targets, the unmatched codes and the problems.
    """
    result = Resolution()
    ids = {str(a["id"]) for a in actors}
    by_name: dict[str, list[str]] = {}
    for actor in actors:
        if actor.get("name"):
            by_name.setdefault(fold(str(actor["name"])), []).append(str(actor["id"]))
    by_guid = {code_guid("actor", i): i for i in ids}
    result.actor_ids, result.actor_names = ids, by_name

    mapped: dict[str, Target] = {}
    for row in mapping:
        if row.target.actor is not None and row.target.actor not in ids:
            result.issues.append(
                Issue(
                    mapping_file,
                    row.row,
                    "actor",
                    f"unknown actor {row.target.actor!r}",
                    "use an actor id of kb (kb timeline ID shows one)",
                )
            )
            continue
        mapped[fold(row.code)] = row.target
    used_keys: set[str] = set()

    for code in codes:
        keys = [code.guid, fold(code.name), fold("/".join(code.path))]
        hit = next((k for k in keys if k in mapped), None)
        if hit is not None:
            used_keys.add(hit)
            result.targets[code.guid] = mapped[hit]
            continue
        root = fold(code.path[0]) if code.path else ""
        if len(code.path) < 2 or root not in (ACTORS_CODE, TIES_CODE):
            if code.path and len(code.path) == 1 and root in (ACTORS_CODE, TIES_CODE):
                continue  # the convention's own top-level codes
            result.unmatched.append(code)
            continue
        target = (
            _actor_target(code, ids, by_name, by_guid, result)
            if root == ACTORS_CODE
            else _tie_target(code)
        )
        if target is not None:
            result.targets[code.guid] = target
        elif not code.children:
            result.unmatched.append(code)
    for row in mapping:
        if fold(row.code) not in used_keys and (
            row.target.actor is None or row.target.actor in ids
        ):
            result.warnings.append(
                f"{mapping_file} row {row.row}: no code of the project is called {row.code!r}."
            )
    return result


def _actor_target(
    code: Code,
    ids: set[str],
    by_name: dict[str, list[str]],
    by_guid: dict[str, str],
    result: Resolution,
) -> Target | None:
    if code.guid in by_guid:
        return Target(actor=by_guid[code.guid])
    name = code.name.strip()
    if name in ids:
        return Target(actor=name)
    written = _ID_IN_NAME.search(name)
    if written and written.group(1) in ids:
        return Target(actor=written.group(1))
    described = _ID_IN_DESCRIPTION.search(code.description or "")
    if described and described.group(1) in ids:
        return Target(actor=described.group(1))
    found = by_name.get(fold(name), [])
    if len(found) == 1:
        return Target(actor=found[0])
    if len(found) > 1:
        result.issues.append(
            Issue(
                QDE,
                code.line,
                None,
                f"code {'/'.join(code.path)!r} matches {len(found)} actors: "
                + ", ".join(sorted(found)),
                "name the code after the actor's id, e.g. 'Name (id)', or map it in a mapping "
                "file (kb import PROJECT --mapping FILE)",
            )
        )
    return None


def _tie_target(code: Code) -> Target | None:
    try:
        return Target(tie_type=parse_code(code.name, "tie type"))
    except CellError:
        return None


# --- from passages to kb's tables -----------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A passage naming two actors and a tie type: support for such a tie, if kb has it."""

    evidence: str
    a: str
    b: str
    type: str


class SpoolTable(TableSource):
    """A table whose rows were written to a temporary file as JSON lines (memory stays flat)."""

    def __init__(self, table: str, file: str, columns: Sequence[str]) -> None:
        self.table = table
        self.file = file
        self.columns = tuple(columns)
        self.header_row = None
        self.count = 0
        self._spool: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115

    def add(self, row: int, values: dict[str, Any]) -> None:
        """Append one row."""
        self._spool.write(json.dumps([row, values], ensure_ascii=False) + "\n")
        self.count += 1

    def rows(self) -> Iterator[RawRow]:
        self._spool.flush()
        self._spool.seek(0)
        for line in self._spool:
            row, values = json.loads(line)
            yield RawRow(row, values)
        self._spool.seek(0, 2)

    def close(self) -> None:
        """Delete the temporary file."""
        self._spool.close()


@dataclass
class Conversion:
    """A project as kb import tables, plus what does not fit in them.

    Attributes:
        dataset: tables documents, evidence and mentions (call `close` when done).
        claims: tie support the passages claim, to look up in kb.
        passages: coded text passages read.
        without_actor: passages naming no actor (not evidence for kb).
        code_use: code guid -> passages coded with it.
        lone_tie_codes: passages with a tie type but fewer than two actors.
        evidence_ids: the evidence ids made, in order.
        mentions: (evidence, actor) pairs made.
        document_ids: the documents made, source guid -> id.
    """

    dataset: Dataset
    claims: list[Claim] = field(default_factory=list)
    passages: int = 0
    without_actor: int = 0
    code_use: Counter[str] = field(default_factory=Counter)
    lone_tie_codes: int = 0
    evidence_ids: list[str] = field(default_factory=list)
    mentions: set[tuple[str, str]] = field(default_factory=set)
    document_ids: dict[str, str] = field(default_factory=dict)

    def close(self) -> None:
        """Delete the temporary files behind the tables."""
        for source in self.dataset.sources.values():
            if isinstance(source, SpoolTable):
                source.close()


def _source_kind(project: Project, source: Source) -> str | None:
    value = source.variables.get("kind")
    if value is None:
        return None
    kind = KIND_WORDS.get(fold(value)) or KIND_WORDS.get(value.strip().lower())
    if kind is None:
        project.issue(
            source.line,
            f"source {source.name!r}: variable kind {value!r} is not one of "
            f"{', '.join(EVIDENCE_KINDS)}",
            "set the source variable kind to interview, observation or document",
        )
    return kind


def _source_date(project: Project, source: Source) -> str | None:
    value = source.variables.get("date")
    if value is None:
        return None
    text = value.strip()[:10] if "T" in value else value.strip()
    try:
        return PartialDate.parse(text).text
    except ValueError as e:
        project.issue(
            source.line,
            f"source {source.name!r}: variable date {value!r}: {e}",
            "write it as YYYY, YYYY-MM or YYYY-MM-DD",
        )
        return None


def _actor_named(resolution: Resolution, value: str) -> str | None:
    """The actor an id or a name (case and accents aside) designates, if exactly one."""
    if value in resolution.actor_ids:
        return value
    found = resolution.actor_names.get(fold(value), [])
    return found[0] if len(found) == 1 else None


def _source_informant(project: Project, source: Source, resolution: Resolution) -> str | None:
    """The informant of a source's passages: its variable ``informant`` (an actor id or
    name; an unknown one is an issue), else the one case referring to it that names an
    actor (REFI-QDA cases are usually the interviewees)."""
    value = source.variables.get("informant")
    if value is not None and value.strip():
        found = _actor_named(resolution, value.strip())
        if found is None:
            from difflib import get_close_matches

            known = sorted(resolution.actor_ids)
            names = {n: ids for n, ids in resolution.actor_names.items() if len(ids) == 1}
            close = get_close_matches(fold(value), [*known, *names], n=5, cutoff=0.6)
            shown = [names[c][0] if c in names else c for c in close] or known[:10]
            project.issue(
                source.line,
                f"source {source.name!r}: variable informant {value!r} is no actor of kb "
                f"({'closest' if close else 'some'}: {', '.join(dict.fromkeys(shown))})",
                "set the source variable informant to an actor id or name of kb",
            )
        return found
    named = dict.fromkeys(a for case in source.cases if (a := _actor_named(resolution, case)))
    if len(named) == 1:
        return next(iter(named))
    if named:
        project.warnings.append(
            f"source {source.name!r} belongs to cases naming {len(named)} actors "
            f"({', '.join(named)}); its passages have no informant (set the source variable "
            "informant)."
        )
    return None


def convert(project: Project, resolution: Resolution) -> Conversion:
    """Read the passages once and turn them into kb tables (spooled) and tie claims.

    Problems found (positions, source variables) go to ``project.issues``.
    """
    evidence = SpoolTable(
        "evidence", QDE, [c.name for c in TABLES_BY_NAME["evidence"].columns] + ["coded_at"]
    )
    mentions = SpoolTable("mentions", QDE, ["evidence", "actor"])
    conversion = Conversion(
        Dataset(project.path.name, {"evidence": evidence, "mentions": mentions})
    )
    sources: dict[str, tuple[str | None, str | None]] = {}
    informants: dict[str, str | None] = {}
    documents: list[dict[str, Any]] = []
    targets = resolution.targets
    for passage in read_passages(project):
        conversion.passages += 1
        conversion.code_use.update(passage.codes)
        actors = list(
            dict.fromkeys(t.actor for c in passage.codes if (t := targets.get(c)) and t.actor)
        )
        types = list(
            dict.fromkeys(t.tie_type for c in passage.codes if (t := targets.get(c)) and t.tie_type)
        )
        if not actors:
            conversion.without_actor += 1
            continue
        source = project.sources[passage.source]
        if source.guid not in sources:
            sources[source.guid] = (_source_kind(project, source), _source_date(project, source))
            informants[source.guid] = _source_informant(project, source, resolution)
            document = DOCUMENT_PREFIX + source.guid
            conversion.document_ids[source.guid] = document
            documents.append(_document_row(project, source, *sources[source.guid]))
        kind, date = sources[source.guid]
        ident = EVIDENCE_PREFIX + passage.guid
        conversion.evidence_ids.append(ident)
        evidence.add(
            passage.line,
            {
                **_evidence_row(
                    ident, passage, source, kind, date, conversion.document_ids[source.guid]
                ),
                "informant": informants[source.guid],
            },
        )
        for actor in actors:
            mentions.add(passage.line, {"evidence": ident, "actor": actor})
            conversion.mentions.add((ident, actor))
        if types and len(actors) < 2:
            conversion.lone_tie_codes += 1
        for a, b in combinations(actors, 2):
            conversion.claims.extend(Claim(ident, a, b, t) for t in types)
    conversion.dataset.sources["documents"] = RecordsTable("documents", QDE, documents)
    return conversion


def _document_row(
    project: Project, source: Source, kind: str | None, date: str | None
) -> dict[str, Any]:
    return {
        "id": DOCUMENT_PREFIX + source.guid,
        "title": source.name,
        "date": date,
        "kind": kind,
        "path": f"{project.path.name}#{source.text_path or 'PlainTextContent'}",
        "qda_project": project.name,
    }


def _evidence_row(
    ident: str,
    passage: Passage,
    source: Source,
    kind: str | None,
    date: str | None,
    document: str,
) -> dict[str, Any]:
    return {
        "id": ident,
        "kind": kind or "other",
        "date": date,
        "document": document,
        # Kept exactly: a quote is the passage, surrounding spaces and line breaks included.
        "quote": passage.quote,
        "location": f"{source.name}, positions {passage.start}-{passage.end}",
        "coder": passage.coder,
        "note": passage.note,
        "coded_at": passage.created,
    }


# --- the import -------------------------------------------------------------------------------


@dataclass
class QdaReport:
    """What a project import did (or, with dry_run, would do).

    Attributes:
        source: the .qdpx file name.
        project: the project's name; origin: the program that wrote it.
        dry_run: nothing was written.
        passages: coded text passages read; evidence: evidence items they made;
            without_actor: passages naming no actor (left out).
        tables: the import report of documents, evidence and mentions.
        ties_linked: links from evidence to existing ties made now; ties_already: already
            there.
        proposed: tie rows written to the review file; proposed_file: its path or None
            (with dry_run, where they would be written); proposed_kept: rows of an
            existing review file kept as the researcher left them (edited or added by hand).
        unmatched: codes used in passages that name nothing in kb: path, passages.
        lone_tie_codes: passages with a tie type but fewer than two actors.
        skipped_media: codings on pictures, audio or video, by source name (not imported).
        disappeared: evidence ids, mentions and tie links of earlier imports of this project
            that the project no longer codes; pruned: how many of each were removed.
        warnings: everything else worth knowing.
    """

    source: str
    project: str
    origin: str
    dry_run: bool
    passages: int = 0
    evidence: int = 0
    without_actor: int = 0
    tables: ImportReport | None = None
    ties_linked: int = 0
    ties_already: int = 0
    proposed: list[dict[str, str]] = field(default_factory=list)
    proposed_file: str | None = None
    proposed_kept: int = 0
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    lone_tie_codes: int = 0
    skipped_media: dict[str, int] = field(default_factory=dict)
    disappeared: dict[str, list[Any]] = field(default_factory=dict)
    pruned: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    # The rows and outcomes of the import tables, as `ImportReport` has them: code that
    # reads a report of `KnowledgeBase.import_data` need not ask which format it was.
    @property
    def rows(self) -> dict[str, int]:
        """Rows per import table (documents, evidence, mentions), as `ImportReport.rows`."""
        return self.tables.rows if self.tables else {}

    @property
    def outcomes(self) -> dict[str, dict[str, int]]:
        """Created / updated / unchanged per table, as `ImportReport.outcomes`."""
        return self.tables.outcomes if self.tables else {}

    def summary(self) -> list[dict[str, Any]]:
        """One row per table, as `ImportReport.summary`, plus the tie links."""
        rows = self.tables.summary() if self.tables else []
        rows.append(
            {
                "table": "tie links",
                "rows": self.ties_linked + self.ties_already,
                "created": self.ties_linked,
                "updated": 0,
                "unchanged": self.ties_already,
            }
        )
        return rows


class QdaImporter:
    """Imports a REFI-QDA project into kb under the coding convention."""

    def __init__(
        self, store: Store, *, batch_size: int = BATCH_SIZE, coders: CoderAliases | None = None
    ) -> None:
        self.kb = store
        self.importer = Importer(store, batch_size=batch_size, coders=coders)
        self.batch_size = batch_size

    def run(
        self,
        path: str | Path,
        *,
        mapping: str | Path | None = None,
        dry_run: bool = False,
        prune: bool = False,
        proposed: str | Path | None = None,
        progress: Progress | None = None,
    ) -> QdaReport:
        """Validate the project against kb, then (unless ``dry_run``) write it.

        Args:
            path: the .qdpx file.
            mapping: a CSV mapping other codes to actors or tie types.
            dry_run: check and report only.
            prune: remove evidence, mentions and tie links of earlier imports of this
                project that it no longer codes.
            proposed: where to write the ties the passages claim but kb lacks (default:
                proposed-ties.csv beside the project); written even on a dry run.
            progress: called as tables are written.

        Raises:
            ImportFileError: the project cannot be read.
            ValidationError: with every problem; nothing was written.
        """
        self.kb.ensure_schema()
        project = read_project(path)
        rows = read_mapping(mapping) if mapping is not None else []
        actors = self.kb.read("qda/actors")
        resolution = resolve_codes(
            project.codes.values(),
            actors,
            rows,
            mapping_file=Path(mapping).name if mapping else "mapping",
        )
        conversion = convert(project, resolution)
        try:
            return self._run(
                project,
                resolution,
                conversion,
                dry_run=dry_run,
                prune=prune,
                proposed=proposed,
                progress=progress,
            )
        finally:
            conversion.close()

    def _run(
        self,
        project: Project,
        resolution: Resolution,
        conversion: Conversion,
        *,
        dry_run: bool,
        prune: bool,
        proposed: str | Path | None,
        progress: Progress | None,
    ) -> QdaReport:
        issues = [*project.issues, *resolution.issues]
        table_issues, rows, warnings = self.importer.check(conversion.dataset)
        issues += table_issues
        if issues:
            raise ValidationError(
                f"{len(issues)} problem(s) in {project.path.name}; nothing was written.", issues
            )
        report = QdaReport(
            source=project.path.name,
            project=project.name,
            origin=project.origin,
            dry_run=dry_run,
            passages=conversion.passages,
            evidence=len(conversion.evidence_ids),
            without_actor=conversion.without_actor,
            lone_tie_codes=conversion.lone_tie_codes,
            skipped_media=dict(project.skipped),
            warnings=[*project.warnings, *resolution.warnings, *warnings],
        )
        # A group of codes (it has sub-codes) that codes no passage itself names nothing.
        report.unmatched = [
            {"code": "/".join(code.path), "passages": conversion.code_use.get(code.guid, 0)}
            for code in resolution.unmatched
            if conversion.code_use.get(code.guid) or not code.children
        ]
        links, report.proposed = self._ties(conversion.claims)
        previous = self._previous(project, conversion)
        report.disappeared = _disappeared(previous, conversion, links)
        target = Path(proposed) if proposed else project.path.parent / PROPOSED_TIES
        if report.proposed:
            if not dry_run:  # a dry run writes nothing, the review file included
                report.proposed_kept = _write_proposed(target, report.proposed)
            report.proposed_file = str(target)
        report.tables = ImportReport(
            source=project.path.name, dry_run=dry_run, rows=rows, warnings=[]
        )
        if dry_run:
            report.ties_already = sum(1 for link in links if link["already"])
            report.ties_linked = len(links) - report.ties_already
            return report
        report.tables.outcomes = self.importer.write(conversion.dataset, rows, progress)
        for batch in batched(links, self.batch_size):
            result = self.kb.write_one(
                "qda/link_ties",
                links=[{"tie": link["tie"], "evidence": link["evidence"]} for link in batch],
            )
            report.ties_linked += result["linked"]
            report.ties_already += result["unchanged"]
        if prune:
            report.pruned = self._prune(report.disappeared)
        return report

    def _ties(self, claims: list[Claim]) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
        """Links (evidence -> existing tie) and review rows for the ties kb lacks."""
        pairs = {(c.a, c.b, c.type) for c in claims}
        found: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for batch in batched(sorted(pairs), self.batch_size):
            rows = [{"a": a, "b": b, "type": t} for a, b, t in batch]
            for hit in self.kb.read("qda/ties_between", pairs=rows):
                found[hit["a"], hit["b"], hit["type"]] = hit["ties"]
        links: list[dict[str, Any]] = []
        missing: dict[tuple[str, str, str], list[str]] = {}
        for claim in claims:
            ties = found.get((claim.a, claim.b, claim.type))
            if ties:
                links.extend(
                    {
                        "tie": t["id"],
                        "evidence": claim.evidence,
                        "already": claim.evidence in (t["evidence"] or []),
                    }
                    for t in ties
                )
            else:
                a, b = sorted((claim.a, claim.b))
                missing.setdefault((a, b, claim.type), []).append(claim.evidence)
        proposed = [
            {
                "source": a,
                "target": b,
                "type": t,
                "start": "",
                "end": "",
                "directed": "",
                "weight": "",
                "evidence": ";".join(dict.fromkeys(ev)),
                "note": PROPOSED_NOTE.format(passages=len(set(ev))),
            }
            for (a, b, t), ev in sorted(missing.items())
        ]
        return links, proposed

    def _previous(self, project: Project, conversion: Conversion) -> dict[str, Any]:
        """What earlier imports of this project left in kb (its documents' evidence)."""
        documents = [DOCUMENT_PREFIX + guid for guid in project.sources]
        return self.kb.read_one("qda/project_evidence", project=project.name, documents=documents)

    def _prune(self, disappeared: dict[str, list[Any]]) -> dict[str, int]:
        pruned: dict[str, int] = {}
        evidence = disappeared.get("evidence", [])
        pruned["evidence"] = sum(
            self.kb.write_one("qda/prune_evidence", ids=batch)["deleted"]
            for batch in batched(evidence, self.batch_size)
        )
        pruned["mentions"] = sum(
            self.kb.write_one("qda/prune_mentions", pairs=batch)["deleted"]
            for batch in batched(disappeared.get("mentions", []), self.batch_size)
        )
        pruned["tie links"] = sum(
            self.kb.write_one("qda/prune_tie_links", links=batch)["removed"]
            for batch in batched(disappeared.get("tie links", []), self.batch_size)
        )
        return pruned


def _disappeared(
    previous: Mapping[str, Any], conversion: Conversion, links: list[dict[str, Any]]
) -> dict[str, list[Any]]:
    current = set(conversion.evidence_ids)
    gone_evidence = sorted(set(previous["evidence"]) - current)
    gone = set(gone_evidence)
    mentions = [
        {"evidence": m["evidence"], "actor": m["actor"]}
        for m in previous["mentions"]
        if m["evidence"] not in gone and (m["evidence"], m["actor"]) not in conversion.mentions
    ]
    linked = {(link["evidence"], link["tie"]) for link in links}
    tie_links = [
        {"evidence": t["evidence"], "tie": t["tie"]}
        for t in previous["tie_links"]
        if t["evidence"] not in gone and (t["evidence"], t["tie"]) not in linked
    ]
    return {"evidence": gone_evidence, "mentions": mentions, "tie links": tie_links}


def _write_proposed(path: Path, rows: list[dict[str, str]]) -> int:
    """Merge kb's proposals into the review file at ``path``; return the rows kept as the
    researcher left them.

    A re-import never loses a review: a row of the existing file that the researcher edited
    or added (anything but kb's own untouched proposal) is kept as it is, in its place, with
    any column they added; kb's untouched proposals are replaced by today's (dropped when
    the tie is no longer proposed); new proposals are appended. The file is written whole
    by create-then-rename (`kb.case_files`): a symlink at ``path`` is replaced, never
    followed, and never read.

    Raises:
        ImportFileError: the existing file cannot be read, or is not a review file.
    """
    proposals = {_tie_key(row): row for row in rows}
    header = list(PROPOSED_COLUMNS)
    merged: list[dict[str, str]] = []
    kept = 0
    placed: set[tuple[str, str, str]] = set()
    for row in _read_review(path, header):
        key = _tie_key(row)
        if _untouched(row):
            if key in proposals and key not in placed:
                merged.append(proposals[key])
                placed.add(key)
            continue
        merged.append(row)
        placed.add(key)
        kept += 1
    merged += [row for key, row in proposals.items() if key not in placed]
    from kb.case_files import case_file

    try:
        with case_file(path, encoding="utf-8-sig", newline="") as stream:
            writer = csv.DictWriter(stream, header, restval="")
            writer.writeheader()
            writer.writerows(merged)
    except KBError as e:
        raise ImportFileError(str(e)) from e
    return kept


def _tie_key(row: Mapping[str, str | None]) -> tuple[str, str, str]:
    a, b = sorted(((row.get("source") or "").strip(), (row.get("target") or "").strip()))
    return a, b, (row.get("type") or "").strip()


def _untouched(row: Mapping[str, str | None]) -> bool:
    """Whether a review row is kb's proposal as kb wrote it (so kb may replace it)."""
    evidence = [e for e in (row.get("evidence") or "").split(";") if e]
    return (
        not any(row.get(c) for c in ("start", "end", "directed", "weight"))
        and row.get("note") == PROPOSED_NOTE.format(passages=len(set(evidence)))
        and not any(v for k, v in row.items() if k not in PROPOSED_COLUMNS)
    )


def _read_review(path: Path, header: list[str]) -> list[dict[str, str]]:
    """The rows of an existing review file (none if absent or a symlink); its extra columns
    are appended to ``header``."""
    if path.is_symlink() or not path.exists():
        return []
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream)
            found = reader.fieldnames or []
            missing = [c for c in ("source", "target", "type") if c not in found]
            if missing:
                raise ImportFileError(
                    Wording(
                        "{_path} exists and is not a review file of proposed ties (no "
                        "{_missing} column); move it away or choose another file with "
                        "{proposed}. Nothing was written.",
                        _path=path,
                        _missing=", ".join(missing),
                    )
                )
            header += [c for c in found if c and c not in header]
            return [
                {k: v or "" for k, v in row.items() if k is not None}
                for row in reader
                if any((v or "").strip() for k, v in row.items() if k is not None)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ImportFileError(
            Wording(
                "Cannot read the review file {_path} to keep its edits: {_error}. Move it "
                "away or choose another file with {proposed}. Nothing was written.",
                _path=path,
                _error=e,
            )
        ) from e
