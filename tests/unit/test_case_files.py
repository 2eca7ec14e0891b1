"""Case files are private, appear whole by rename, never write through a symlink, and get
their missing folders (kb.case_files, used by every writer of case data)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.case_files import case_file, write_case_file
from kb.errors import KBError, SettingsError
from kb.imports.qda import PROPOSED_COLUMNS, _write_proposed
from kb.presentation.plots import save


@pytest.fixture(autouse=True)
def _wide_umask(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    old = os.umask(0o022)  # the usual umask: plain open() would give 0644
    monkeypatch.delenv("KB_FILE_MODE", raising=False)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_case_file_is_private_and_its_folders_are_created(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deeper" / "report.html"
    save("<p>quote</p>", target)
    assert target.read_text() == "<p>quote</p>"
    assert mode(target) == 0o600
    assert mode(tmp_path / "out") == 0o700
    assert os.listdir(target.parent) == ["report.html"], "no temporary left"


def test_kb_file_mode_chooses_another_mode_and_refuses_unsafe_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_FILE_MODE", "0640")
    assert mode(write_case_file(tmp_path / "a.csv", "x")) == 0o640
    for bad in ("0666", "0755", "rw", "0400"):
        monkeypatch.setenv("KB_FILE_MODE", bad)
        with pytest.raises(SettingsError, match="KB_FILE_MODE"):
            write_case_file(tmp_path / "b.csv", "x")
    assert not (tmp_path / "b.csv").exists()


def test_a_planted_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "export.gexf"
    link.symlink_to(victim)
    write_case_file(link, b"<gexf/>")
    assert victim.read_text() == "precious"
    assert not link.is_symlink() and link.read_bytes() == b"<gexf/>"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "ties.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), case_file(target) as out:
        out.write("half")
        raise RuntimeError("the export failed midway")
    assert target.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["ties.csv"]
    (tmp_path / "folder").mkdir()
    with pytest.raises(KBError, match="it is a folder"):
        write_case_file(tmp_path / "folder", "x")


def _proposal(a: str, b: str, evidence: str) -> dict[str, str]:
    count = len(set(evidence.split(";")))
    return {
        "source": a,
        "target": b,
        "type": "INFO",
        "start": "",
        "end": "",
        "directed": "",
        "weight": "",
        "evidence": evidence,
        "note": f"proposed by kb import of a QDA project ({count} passage(s))",
    }


def _rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_a_reimport_keeps_the_researchers_review_edits(tmp_path: Path) -> None:
    review = tmp_path / "proposed-ties.csv"
    assert _write_proposed(review, [_proposal("a", "b", "e1"), _proposal("a", "c", "e2")]) == 0
    rows = _rows(review)
    rows[0]["start"] = "2015"  # the researcher dates the first tie...
    rows[0]["checked"] = "yes"  # ...in a column of their own
    rows.append({**_proposal("x", "y", "e9"), "note": "added by hand"})
    import csv

    with review.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, [*PROPOSED_COLUMNS, "checked"], restval="")
        writer.writeheader()
        writer.writerows(rows)
    # The next import: a-b still proposed (more passages), a-c no longer, d-e new.
    kept = _write_proposed(review, [_proposal("a", "b", "e1;e5"), _proposal("d", "e", "e7")])
    after = _rows(review)
    assert kept == 2
    assert [(r["source"], r["target"]) for r in after] == [("a", "b"), ("x", "y"), ("d", "e")]
    assert after[0]["start"] == "2015" and after[0]["checked"] == "yes"
    assert after[0]["evidence"] == "e1", "an edited row is kept exactly as the researcher left it"
    assert after[1]["note"] == "added by hand"
    assert mode(review) == 0o600


def test_the_review_file_is_never_written_through_a_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "notes.txt"
    victim.write_text("source,target,type\nsecret,row,INFO\n")
    review = tmp_path / "proposed-ties.csv"
    review.symlink_to(victim)
    _write_proposed(review, [_proposal("a", "b", "e1")])
    assert victim.read_text() == "source,target,type\nsecret,row,INFO\n"
    assert not review.is_symlink()
    assert [r["source"] for r in _rows(review)] == ["a"], "the link's target was not read"
