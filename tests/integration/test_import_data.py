"""`kb.import_data` from Python: every format `kb import` takes, a .qdpx project included,
through the package-level entry point (it connects with the given settings)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import kb as kb_package
from kb.cli import app
from kb.errors import ExitCode, ParameterError
from kb.graph import KnowledgeBase
from kb.imports.qda import QdaReport
from kb.imports.writer import ImportReport
from tests.support import EXAMPLE, Neo4jUnderTest, snapshot

pytestmark = pytest.mark.neo4j

PROJECT = EXAMPLE / "qda" / "entretiens.qdpx"


def example_tables() -> dict[str, list[dict[str, str]]]:
    """The example case's tables, as rows of text."""
    tables = {}
    for path in sorted(EXAMPLE.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            tables[path.stem] = list(csv.DictReader(handle))
    return tables


def write_workbook(path: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        columns = list(rows[0])
        sheet.append(columns)
        for row in rows:
            sheet.append([row[c] or None for c in columns])
    book.save(path)
    return path


def test_every_format_imports_from_python(
    neo4j_server: Neo4jUnderTest, kb: KnowledgeBase, tmp_path: Path
) -> None:
    settings = neo4j_server.settings
    report = kb_package.import_data(EXAMPLE, settings=settings)
    assert isinstance(report, ImportReport) and report.outcomes["ties"]["created"] > 0
    from_folder = snapshot(kb)

    tables = example_tables()
    for source in (
        write_workbook(tmp_path / "case.xlsx", tables),
        tmp_path / "case.json",
    ):
        if source.suffix == ".json":
            source.write_text(json.dumps(tables), encoding="utf-8")
        kb.reset()
        kb_package.import_data(source, settings=settings)
        assert snapshot(kb) == from_folder, source.name

    # One CSV table on top of the case: an update, nothing new.
    again = kb_package.import_data(EXAMPLE / "ties.csv", settings=settings)
    assert isinstance(again, ImportReport)
    assert set(again.outcomes["ties"]) == {"unchanged"}

    # A REFI-QDA project goes to the project import: its passages become evidence.
    dry = kb_package.import_data(
        PROJECT, settings=settings, dry_run=True, proposed=tmp_path / "proposed.csv"
    )
    assert isinstance(dry, QdaReport) and dry.dry_run and dry.evidence > 0
    assert snapshot(kb) == from_folder  # a dry run writes nothing
    project = kb_package.import_data(PROJECT, settings=settings, proposed=tmp_path / "p.csv")
    assert isinstance(project, QdaReport) and not project.dry_run
    assert project.outcomes["evidence"]["created"] == project.evidence
    assert len(snapshot(kb)) > len(from_folder)


def test_project_options_belong_to_projects(kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(ParameterError) as refused:
        kb.import_data(EXAMPLE, prune=True)
    assert refused.value.parameters == ["mapping", "prune", "proposed"]
    assert str(refused.value) == (
        "mapping, prune and proposed apply to REFI-QDA projects (.qdpx) only."
    )


def test_the_cli_names_the_project_options_as_flags(cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["import", str(EXAMPLE), "--prune"], env=cli_env)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert (
        "Error: --mapping, --prune and --proposed apply to REFI-QDA projects (.qdpx) only."
        in result.output
    )
