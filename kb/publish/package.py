"""Writing a deposit-ready package of the case (``kb publish``, docs/ethics.md, Publishing
a package).

Each file comes from the library function that writes it elsewhere (kb.exports,
kb.presentation), through kb.case_files (private, complete or absent). Everything is written
into a staging folder beside the target and renamed into place at the end, so a failure
leaves no half package; the crate's checksums are computed from the files as written.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.analyses.selection import ALL_TIES
from kb.case_files import case_folder, write_case_file
from kb.errors import KBError, ParameterError
from kb.publish.crate import METADATA_FILE, Making, PackageFile, crate_json, crate_metadata
from kb.publish.readme import readme_text
from kb.publish.record import CaseRecord, read_case_record
from kb.store import Reader

if TYPE_CHECKING:
    from kb.exports.pseudonymise import Pseudonymisation, Pseudonymiser

DATA_FOLDER = "data"
STAGING_SUFFIX = ".kb-publishing"

# (file, media type, what it is): the package's files in the order the README lists them.
GRAPHML = ("network.graphml", "application/graphml+xml")
GEXF = ("network.gexf", "application/gexf+xml")
CODEBOOK = ("codebook.qdc", "application/xml")
VIEW = ("view.html", "text/html")
REPORT = ("report.html", "text/html")
README = ("README.md", "text/markdown")
RISK_JSON = ("risk-report.json", "application/json")
RISK_MD = ("risk-report.md", "text/markdown")
DESCRIPTIONS = {
    DATA_FOLDER: "The case in kb's import format (one CSV file per table, UTF-8 with a "
    "byte-order mark): `kb import data` rebuilds the same graph in an empty database.",
    GRAPHML[0]: "The actor network as GraphML, a directed multigraph with each tie's spells "
    "(R igraph, statnet, networkx, Cytoscape).",
    GEXF[0]: "The actor network as dynamic GEXF 1.3, for Gephi's timeline.",
    CODEBOOK[0]: "The actors and tie types as a REFI-QDA 1.5 codebook, for NVivo, ATLAS.ti, "
    "MAXQDA or QualCoder.",
    VIEW[0]: "The network over time in one offline HTML page: a time slider, the evidence "
    "behind each tie (kb view).",
    REPORT[0]: "The analyses of the case in one self-contained HTML page (kb report).",
    README[0]: "What the package holds, who made it, how to cite and re-use it.",
    RISK_JSON[0]: "The re-identification risk of the pseudonymised network: actors whose "
    "attributes or neighbourhood are shared by too few others (docs/ethics.md).",
    RISK_MD[0]: "The re-identification risk report, to read.",
}


@dataclass
class PublishResult:
    """What ``publish`` wrote.

    Attributes:
        path: the package folder.
        files: every file but the crate's metadata, with format, size and checksum.
        counts: rows per import table.
        data_version: the data version the package holds.
        warnings: what the exports left out, and why.
        researcher_file: with pseudonymisation, the actors at risk (real names), for the
            researcher only: outside the package.
    """

    path: str
    files: list[PackageFile]
    counts: dict[str, int]
    data_version: int
    warnings: list[str] = field(default_factory=list)
    researcher_file: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The result as plain data (for ``--format json``)."""
        return {
            "path": self.path,
            "data_version": self.data_version,
            "files": [
                {"path": f.path, "format": f.encoding_format, "bytes": f.size, "sha256": f.sha256}
                for f in self.files
            ],
            "counts": self.counts,
            "warnings": self.warnings,
        }


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_target(folder: Path, *, force: bool) -> None:
    """Refuse a target that is a file, or a non-empty folder unless it is a package kb
    published and ``force`` replaces it (a researcher's other folder is never deleted)."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise KBError(f"Cannot publish into {folder}: it is a file, not a folder.")
    if not any(folder.iterdir()):
        return
    if not force:
        raise ParameterError.sentence(
            "Cannot publish into {folder_name}: the folder is not empty. Choose a new folder, "
            "or give {force} to replace a package kb published there before.",
            folder_name=str(folder),
        )
    if not (folder / METADATA_FILE).is_file():
        raise ParameterError.sentence(
            "Cannot publish into {folder_name}: it is not empty and holds no {metadata}, so it "
            "is not a package kb published; {force} only replaces such a package.",
            folder_name=str(folder),
            metadata=METADATA_FILE,
        )


def _replace(staging: Path, folder: Path) -> None:
    """Move the finished package into place; a previous package goes only once it is."""
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    old = None
    if folder.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".kb-old", dir=folder.parent))
        folder.rename(old / folder.name)
    try:
        staging.rename(folder)
    except OSError as e:
        if old is not None:
            (old / folder.name).rename(folder)
            old.rmdir()
        raise KBError(f"Cannot publish into {folder}: {e.strerror or e}.") from e
    if old is not None:
        shutil.rmtree(old)


def _described(root: Path, name: str, media_type: str, description: str) -> PackageFile:
    path = root / name
    return PackageFile(name, media_type, description, path.stat().st_size, sha256_of(path))


# Media types by suffix, for the files the exports write beside their own (a CSV folder's
# provenance sidecar, kb.provenance).
SUFFIX_TYPES = {".csv": "text/csv", ".json": "application/json", ".html": "text/html"}


def _package_file(root: Path, path: Path) -> PackageFile:
    name = path.relative_to(root).as_posix()
    known = dict((GRAPHML, GEXF, CODEBOOK, VIEW, REPORT, README, RISK_JSON, RISK_MD))
    if name in known:
        return _described(root, name, known[name], DESCRIPTIONS[name])
    if name.startswith(f"{DATA_FOLDER}/") and path.suffix == ".csv":
        return _described(root, name, "text/csv", f"The {path.stem} table.")
    if name.endswith(".provenance.json"):
        what = name.removesuffix(".provenance.json")
        return _described(
            root,
            name,
            "application/json",
            f"Where {what}/ comes from: kb version, command, data version (kb verify).",
        )
    return _described(root, name, SUFFIX_TYPES.get(path.suffix, "application/octet-stream"), name)


def _codebook_writer(db: Reader, pseudonymise: Pseudonymisation | None) -> Callable[[Path], Any]:
    """The codebook's writer (pseudonymised, its risk report left to the package)."""
    from kb.exports.qdc import write_qdc

    return lambda p: write_qdc(db, p, pseudonymise=pseudonymise, risk_report=False)


def masked_record(record: CaseRecord, pseudonymiser: Pseudonymiser) -> CaseRecord:
    """The record with participants' names masked in its title, description and keywords
    (the README and the crate repeat them); its creators are the researchers, unchanged."""
    return replace(
        record,
        title=pseudonymiser.text(record.title),
        description=pseudonymiser.text(record.description),
        keywords=tuple(pseudonymiser.text(k) for k in record.keywords),
    )


def _write_risk_report(db: Reader, root: Path, pseudonymiser: Pseudonymiser, label: str) -> Path:
    """One risk report for the whole package (every file shows the same network), in its
    root; the actors at risk go to the researcher only, never into the package."""
    from kb.exports.network import actor_network
    from kb.exports.risk import assess, write_risk_report

    network = pseudonymiser.network(actor_network(db, ALL_TIES))
    report = assess(
        network,
        set(pseudonymiser.renamed.values()) & {node.id for node in network.nodes},
        description=pseudonymiser.settings.describe(),
    )
    _, private = write_risk_report(report, root, originals=pseudonymiser.originals(), label=label)
    return private


def _write_files(
    db: Reader,
    root: Path,
    record: CaseRecord,
    making: Making,
    report_options: dict[str, Any],
    pseudonymiser: Pseudonymiser | None = None,
    label: str = "package",
) -> tuple[list[PackageFile], dict[str, int], list[str], Path | None]:
    from kb.analyses.case import case_results
    from kb.analyses.view import case_view
    from kb.exports.gexf import write_gexf
    from kb.exports.graphml import write_graphml
    from kb.exports.tables import write_csv
    from kb.presentation.report import render_report
    from kb.presentation.view import render_view

    pseudonymise = pseudonymiser.settings if pseudonymiser is not None else None

    def view_page(path: Path) -> None:
        case = case_view(db)
        if pseudonymiser is not None:
            from kb.exports.pseudonymise import pseudonymise_view

            case = pseudonymise_view(case, pseudonymiser)
        write_case_file(path, render_view(case, title=record.title))

    def report_page(path: Path) -> None:
        results = case_results(db, **report_options)
        if pseudonymiser is not None:
            from kb.exports.pseudonymise import pseudonymise_results

            results = pseudonymise_results(results, pseudonymiser)
        write_case_file(path, render_report(results))

    # one risk report for the package, written below, instead of one per file
    tables = write_csv(
        db, root / DATA_FOLDER, ALL_TIES, pseudonymise=pseudonymise, risk_report=False
    )
    warnings = list(tables.warnings)
    writers: list[tuple[tuple[str, str], Callable[[Path], Any]]] = [
        (
            GRAPHML,
            lambda p: write_graphml(db, p, ALL_TIES, pseudonymise=pseudonymise, risk_report=False),
        ),
        (
            GEXF,
            lambda p: write_gexf(db, p, ALL_TIES, pseudonymise=pseudonymise, risk_report=False),
        ),
        (VIEW, view_page),
        (REPORT, report_page),
    ]
    writers.insert(2, (CODEBOOK, _codebook_writer(db, pseudonymise)))
    for (name, _), write in writers:
        result = write(root / name)
        warnings += getattr(result, "warnings", [])
    private = None
    if pseudonymiser is not None:
        private = _write_risk_report(db, root, pseudonymiser, label)
    files = [_package_file(root, path) for path in sorted(root.rglob("*")) if path.is_file()]
    # The README lists the other files, so it is written, and described, last.
    write_case_file(
        root / README[0],
        readme_text(
            record,
            files,
            making,
            pseudonymised=pseudonymise.describe() if pseudonymise else None,
        ),
    )
    files.append(_described(root, *README, DESCRIPTIONS[README[0]]))
    return files, tables.counts, warnings, private


def publish(
    db: Reader,
    folder: str | Path,
    *,
    command: str,
    force: bool = False,
    group_by: str = "sector",
    from_group: str = "community",
    to_group: str = "public",
    pseudonymise: Pseudonymisation | None = None,
) -> PublishResult:
    """Write the case as a deposit-ready RO-Crate package into ``folder``.

    The package holds the import-format CSVs (``data/``), GraphML, GEXF, the REFI-QDA
    codebook, the view, the report, a README and ``ro-crate-metadata.json``.

    Args:
        db: the knowledge base to read.
        folder: the package folder; it must not exist, or be empty, or (with ``force``)
            hold a package kb published, which is replaced once the new one is complete.
        command: the command line that asked for it, recorded in the crate.
        force: replace a previous package.
        group_by, from_group, to_group: the report's groups (as ``kb report``).
        pseudonymise: pseudonymise every file (`kb.exports.pseudonymise`) and add one risk
            report; the actors at risk go to ``$KB_HOME/researcher-only/``, never into the
            package.

    Returns:
        The files written, with their formats, sizes and checksums.

    Raises:
        ValidationError: the case record lacks what publishing needs (every field listed);
            nothing is written.
        KBError: the folder cannot be written or is not empty; nothing is left behind.
    """
    from kb import __version__
    from kb.fingerprint import of_case
    from kb.journal import head

    record = read_case_record(db)
    target = Path(folder)
    _check_target(target, force=force)
    pseudonymiser = None
    if pseudonymise is not None:
        from kb.exports.pseudonymise import Pseudonymiser

        pseudonymiser = Pseudonymiser.for_case(db, pseudonymise)
        record = masked_record(record, pseudonymiser)
    journal = head(db)
    making = Making(
        kb_version=__version__,
        command=command,
        data_version=journal.data_version,
        fingerprint=of_case(db, chain=journal.chain),
        made_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
    )
    case_folder(target.parent)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.", suffix=STAGING_SUFFIX, dir=target.parent)
    )
    try:
        files, counts, warnings, private = _write_files(
            db,
            staging,
            record,
            making,
            {"group_by": group_by, "from_group": from_group, "to_group": to_group},
            pseudonymiser,
            target.resolve().name,
        )
        metadata = crate_metadata(
            record,
            files,
            making,
            folder_descriptions={f"{DATA_FOLDER}/": DESCRIPTIONS[DATA_FOLDER]},
        )
        write_case_file(staging / METADATA_FILE, crate_json(metadata))
        _replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result = PublishResult(str(target), files, counts, journal.data_version, warnings)
    result.researcher_file = str(private) if private else None
    return result
