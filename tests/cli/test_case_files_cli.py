"""Every command that writes case data writes a private file (0600 whatever the umask),
creates the folders on its way, and a re-import keeps the review file's edits."""

from __future__ import annotations

import csv
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli import app
from tests.support import EXAMPLE

pytestmark = pytest.mark.neo4j
runner = CliRunner()


@pytest.fixture(autouse=True)
def _umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def files_under(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_every_writer_makes_its_folders_and_private_files(
    case_env: dict[str, str], tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh"  # as on a fresh clone: no out/ folder
    commands = [
        ["export", "qdc", str(fresh / "qdc" / "x.qdc")],
        ["export", "gexf", str(fresh / "gexf" / "case.gexf")],
        ["export", "graphml", str(fresh / "graphml" / "case.graphml")],
        ["export", "csv", str(fresh / "csv")],
        ["export", "waves", str(fresh / "waves"), "--by", "stage"],
        ["plot", "network", "--out", str(fresh / "plots" / "network.svg")],
        ["report", "--out", str(fresh / "report" / "report.html")],
    ]
    for command in commands:
        done = runner.invoke(app, command, env=case_env)
        assert done.exit_code == 0, (command, done.output)
    found = files_under(fresh)
    expected = {"qdc/x.qdc", "gexf/case.gexf", "graphml/case.graphml", "csv/ties.csv"}
    expected |= {"waves/waves.R", "waves/wave-01.txt", "plots/network.svg", "report/report.html"}
    assert expected <= set(found)
    assert {name: oct(mode) for name, mode in found.items() if mode != 0o600} == {}
    assert not list(fresh.rglob("*.kb-tmp")), "no temporary file left"


def test_kb_file_mode_is_honoured(case_env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "shared" / "case.gexf"
    done = runner.invoke(
        app, ["export", "gexf", str(target)], env={**case_env, "KB_FILE_MODE": "0640"}
    )
    assert done.exit_code == 0, done.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_reimporting_a_project_keeps_the_review_edits(
    example: object, cli_env: dict[str, str], tmp_path: Path
) -> None:
    project = tmp_path / "entretiens.qdpx"
    shutil.copy(EXAMPLE / "qda" / "entretiens.qdpx", project)
    review = tmp_path / "review" / "proposed-ties.csv"
    args = ["import", str(project), "--proposed", str(review)]
    first = runner.invoke(app, args, env=cli_env)
    assert first.exit_code == 0, first.output
    with review.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        header, rows = list(reader.fieldnames or []), list(reader)
    assert rows, "the example project proposes ties"
    rows[0]["start"] = "2014-05"
    rows[0]["note"] = "checked against the minutes"
    with review.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, header)
        writer.writeheader()
        writer.writerows(rows)
    again = runner.invoke(app, args, env=cli_env)
    assert again.exit_code == 0, again.output
    assert "that you edited or added are kept" in again.stderr
    with review.open(encoding="utf-8-sig", newline="") as stream:
        after = list(csv.DictReader(stream))
    assert after[0] == rows[0]
    assert len(after) == len(rows)
    assert stat.S_IMODE(review.stat().st_mode) == 0o600
