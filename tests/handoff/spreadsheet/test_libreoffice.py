"""kb's CSV files opened in a real spreadsheet (LibreOffice Calc, headless): no cell is ever
evaluated as a formula, neither in `kb export csv` nor in an analysis's `--format csv`.

LibreOffice's CSV import evaluates formulas by default (a cell "=1+1" becomes the formula
=1+1 showing 2); the test converts every file to .ods and looks for table:formula cells.
Needs `soffice` (Debian: libreoffice-calc-nogui).
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli import app
from kb.exports.tables import write_csv
from kb.graph import KnowledgeBase
from kb.imports import Dataset
from tests.safety.payloads import FORMULAS, PAYLOADS
from tests.safety.test_csv_injection import payload_case

pytestmark = pytest.mark.neo4j


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        pytest.fail("LibreOffice is needed: apt-get install libreoffice-calc-nogui")
    return found


def open_in_calc(files: list[Path], out: Path) -> dict[str, str]:
    """Each CSV as LibreOffice reads it (UTF-8, comma): file name -> its content.xml."""
    out.mkdir()
    subprocess.run(
        [
            soffice(),
            "--headless",
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "ods",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    contents = {}
    for path in files:
        with zipfile.ZipFile(out / f"{path.stem}.ods") as ods:
            contents[path.name] = ods.read("content.xml").decode()
    return contents


def test_the_probe_sees_a_formula(tmp_path: Path) -> None:
    """The check below can fail: a raw formula cell is a formula in Calc."""
    raw = tmp_path / "raw.csv"
    raw.write_text("a\n=1+1\n", encoding="utf-8")
    assert "table:formula" in open_in_calc([raw], tmp_path / "calc")["raw.csv"]


def test_no_exported_cell_is_a_formula_in_calc(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.import_data(Dataset.from_records(payload_case()))
    write_csv(kb, tmp_path / "export")
    files = sorted((tmp_path / "export").glob("*.csv"))
    contents = open_in_calc(files, tmp_path / "calc")
    formulas = {name: xml.count("table:formula") for name, xml in contents.items()}
    assert not any(formulas.values()), formulas
    # The text is shown, marked as text by the apostrophe spreadsheets use themselves.
    assert "&apos;=1+1" in contents["actors.csv"]
    assert all(p.replace("&", "") for p in PAYLOADS)


def test_analysis_csv_output_is_not_a_formula_in_calc(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    kb.import_data(Dataset.from_records(payload_case()))
    result = CliRunner().invoke(app, ["centrality", "--format", "csv"], env=cli_env)
    assert result.exit_code == 0, result.output
    path = tmp_path / "centrality.csv"
    path.write_text(result.stdout, encoding="utf-8")
    xml = open_in_calc([path], tmp_path / "calc")["centrality.csv"]
    assert "table:formula" not in xml
    assert any(f in result.stdout for f in ("'" + f for f in FORMULAS))
    assert 'office:value-type="float"' in xml  # numbers stay numbers
