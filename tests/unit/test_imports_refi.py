"""The REFI-QDA reader on projects shaped like the main programs' exports (no database)."""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from kb.errors import ImportFileError
from kb.imports import refi
from kb.imports.refi import read_passages, read_project
from tests.qdpx import Sel, Src, build, span

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples/quebec-wg/qda/entretiens.qdpx"
SCHEMAS = ROOT / "tests/data/refi-qda"

TEXT = (
    "Q. : Comment le groupe s'est-il formé ?\n"
    "L. S. : Martine Gagnon et moi, on travaille ensemble depuis 2009.\n"
    "C’est M. Mercier, au CIUSSS, qui nous tient au courant.\n"
)
GAGNON = "Martine Gagnon et moi, on travaille ensemble depuis 2009."
MERCIER = "C’est M. Mercier, au CIUSSS, qui nous tient\nau courant."


def passages(path: Path) -> tuple[refi.Project, list[refi.Passage]]:
    project = read_project(path)
    return project, list(read_passages(project))


def _generator() -> Any:  # the example's own generator, to read the passages it marked
    spec = importlib.util.spec_from_file_location("qda_generate", EXAMPLE.parent / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_example_quotes_equal_the_marked_passages() -> None:
    generator = _generator()
    expected = {
        (source.name, match.group("label")): match.group("text")
        for source in generator.SOURCES
        for match in generator._MARK.finditer(source.text)
    }
    project, found = passages(EXAMPLE)
    assert not project.issues
    by_name = {s.guid: s.name for s in project.sources.values()}
    got = {}
    for passage in found:
        label = next(
            k[1]
            for k in expected
            if k[0] == by_name[passage.source] and expected[k] == passage.quote
        )
        got[by_name[passage.source], label] = passage.quote
    assert got == expected  # every passage, exact, CRLF source included (as \n)
    assert any("\n" in q for q in got.values())
    notes = next(s for s in project.sources.values() if s.name.startswith("Notes"))
    assert notes.variables == {"kind": "notes de terrain", "date": "2016-05-10"}
    assert {p.coder for p in found} == {"Julie Lavallée", "Samuel Bédard"}


def test_example_project_is_valid_against_the_standard_schema() -> None:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "Project.xsd")))
    with zipfile.ZipFile(EXAMPLE) as archive:
        document = etree.fromstring(archive.read("project.qde"))
    assert schema.validate(etree.ElementTree(document)), schema.error_log


def test_standard_counting_crlf_counts_two(tmp_path: Path) -> None:
    crlf = TEXT.replace("\n", "\r\n")
    start, end = span(crlf, "M. Mercier")
    path = build(tmp_path / "p.qdpx", [Src("s", TEXT, [Sel(start, end, ["actors/x"])], crlf=True)])
    _, found = passages(path)
    assert [p.quote for p in found] == ["M. Mercier"]


def test_atlas_counts_crlf_as_one(tmp_path: Path) -> None:
    # ATLAS.ti writes CRLF text files but counts a line break as one character; its
    # selection names are labels, so the origin decides.
    start, end = span(TEXT, MERCIER.replace("\n", " ").split(" qui")[0])
    path = build(
        tmp_path / "p.qdpx",
        [Src("s", TEXT, [Sel(start, end, ["actors/x"], name="Quote 1")], crlf=True)],
        origin="ATLAS.ti for Windows 23.2.3",
    )
    project, found = passages(path)
    assert [p.quote for p in found] == ["C’est M. Mercier, au CIUSSS,"]
    assert any("CRLF" in w for w in project.warnings)


def test_names_holding_the_text_decide_the_counting(tmp_path: Path) -> None:
    # QualCoder: BOM in the file, positions from after it, the selected text as the name,
    # a lower-case sources/ folder, one selection per coding of the same passage.
    start, end = span(TEXT, GAGNON)
    sels = [
        Sel(start, end, [code], name=GAGNON, key=code)
        for code in ("actors/Martine Gagnon", "actors/Louise Simard", "ties/COLLABORATION")
    ]
    path = build(
        tmp_path / "p.qdpx",
        [Src("s", TEXT, sels, bom=True)],
        folder="sources",
        origin="QualCoder 3.6",
    )
    project, found = passages(path)
    assert len(found) == 1  # three selections, one passage
    assert found[0].quote == GAGNON
    assert len(found[0].codes) == 3 and len(found[0].guids) == 3
    assert not project.warnings


def test_utf16_positions_are_detected_from_names(tmp_path: Path) -> None:
    text = "Réunion 🙂 très utile : Louise et Martine 🤝 ont présenté le bilan."
    passage = "Louise et Martine 🤝 ont présenté"
    start = text.encode("utf-16-le").index(passage.encode("utf-16-le")) // 2
    end = start + len(passage.encode("utf-16-le")) // 2
    path = build(tmp_path / "p.qdpx", [Src("s", text, [Sel(start, end, ["a/b"], name=passage)])])
    project, found = passages(path)
    assert found[0].quote == passage
    assert any("UTF-16" in w for w in project.warnings)


def test_inline_text_and_pdf_representation(tmp_path: Path) -> None:
    start, end = span(TEXT, GAGNON)
    path = build(
        tmp_path / "p.qdpx",
        [
            Src("inline", TEXT, [Sel(start, end, ["a/b"])], inline=True),
            Src(
                "rapport.pdf",
                TEXT,
                [Sel(start, end, ["a/b"])],
                pdf=True,
                variables={"kind": "document"},
            ),
        ],
    )
    project, found = passages(path)
    assert [p.quote for p in found] == [GAGNON, GAGNON]
    pdf = next(s for s in project.sources.values() if s.kind == "pdf")
    assert pdf.name == "rapport.pdf" and pdf.variables == {"kind": "document"}


def test_positions_outside_the_text_are_issues_with_line_and_guid(tmp_path: Path) -> None:
    path = build(tmp_path / "p.qdpx", [Src("s", "court", [Sel(2, 40, ["a/b"])])])
    project, found = passages(path)
    assert found == []
    (issue,) = project.issues
    assert issue.file == "project.qde" and issue.row and "2-40" in issue.message
    assert "outside its text" in issue.message


def test_missing_source_file_is_an_issue(tmp_path: Path) -> None:
    path = build(tmp_path / "p.qdpx", [Src("s", TEXT, [Sel(0, 4, ["a/b"])])])
    with zipfile.ZipFile(path) as old:
        qde = old.read("project.qde")
    with zipfile.ZipFile(path, "w") as new:
        new.writestr("project.qde", qde)
    project = read_project(path)
    assert any("is not in" in i.message for i in project.issues)


def test_a_dtd_is_refused(tmp_path: Path) -> None:
    doctype = '<!DOCTYPE Project [<!ENTITY x "xxxxxxxxxxxxxxxx">]>\n'
    path = build(tmp_path / "p.qdpx", [Src("s", TEXT)], doctype=doctype)
    with pytest.raises(ImportFileError, match="DTD"):
        read_project(path)


def test_a_member_over_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = build(tmp_path / "p.qdpx", [Src("s", "a" * 5000, [Sel(0, 4, ["a/b"])])])
    monkeypatch.setattr(refi, "MAX_SOURCE_BYTES", 1000)
    project = read_project(path)
    with pytest.raises(ImportFileError, match="MiB"):
        list(read_passages(project))


def test_limited_stream_stops_at_the_limit_whatever_the_header_says() -> None:
    import io

    stream = refi._Limited(io.BytesIO(b"x" * 100), 10, "member")
    with pytest.raises(ImportFileError):
        stream.read()


def test_not_a_zip_and_not_a_project(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip")
    with pytest.raises(ImportFileError, match="zip"):
        read_project(bad)
    empty = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "x")
    with pytest.raises(ImportFileError, match="project.qde"):
        read_project(empty)


def test_codebook_nesting_and_descriptions() -> None:
    project = read_project(EXAMPLE)
    paths = {code.path for code in project.codes.values()}
    assert ("actors", "community", "Louise Simard") in paths
    group = next(c for c in project.codes.values() if c.path == ("actors", "community"))
    assert group.children == 5


# --- sources that are not text (issue 18): each an issue naming the source and the byte ---


def _with_source_bytes(path: Path, data: bytes, *, extra: dict[str, bytes] | None = None) -> Path:
    """The project with its one source file's bytes replaced (and members added)."""
    with zipfile.ZipFile(path) as old:
        members = {i.filename: old.read(i) for i in old.infolist()}
    (source,) = [name for name in members if name.startswith("Sources/")]
    members[source] = data
    with zipfile.ZipFile(path, "w") as new:
        for name, content in {**members, **(extra or {})}.items():
            new.writestr(name, content)
    return path


@pytest.mark.parametrize(
    ("data", "words", "offset"),
    [
        (b"\xef\xbb\xbfLouise \xff\xfe Simard", "UTF-8 byte-order mark but byte 10 (0xff)", 10),
        ("\ufeffLouise Simard".encode("utf-16-le") + b"L", "odd number of bytes (29)", 28),
        (b"\xff\xfe" + "Louise".encode("utf-16-le") + b"\x00\xd8" + b"a\x00", "lone surrogate", 14),
        ("Louise Simard".encode("utf-16-le"), "NUL byte at byte 1", 1),
        ("Louise Simard".encode("utf-16-be"), "NUL byte at byte 0", 0),
    ],
)
def test_a_source_that_is_not_text_is_an_issue_with_its_byte(
    tmp_path: Path, data: bytes, words: str, offset: int
) -> None:
    path = build(tmp_path / "p.qdpx", [Src("entretien-1", TEXT, [Sel(0, 4, ["a/b"])])])
    project, found = passages(_with_source_bytes(path, data))
    assert found == []
    (issue,) = project.issues
    assert issue.file == "project.qde" and issue.row
    assert "source 'entretien-1' (Sources/" in issue.message
    assert words in issue.message and f"byte {offset}" in issue.message
    with pytest.raises(refi.TextDecodeError) as raised:
        refi.decode_text(data)
    assert raised.value.offset == offset


def test_two_members_differing_only_by_case_are_an_issue(tmp_path: Path) -> None:
    path = build(tmp_path / "p.qdpx", [Src("entretien-1", TEXT, [Sel(0, 4, ["a/b"])])])
    with zipfile.ZipFile(path) as archive:
        (source,) = [n for n in archive.namelist() if n.startswith("Sources/")]
    shouted = source.replace(".txt", ".TXT")
    path = _with_source_bytes(path, TEXT.encode(), extra={shouted: b"another text entirely"})
    project = read_project(path)
    (issue,) = project.issues
    assert "source 'entretien-1'" in issue.message
    assert "differ only by case" in issue.message and shouted in issue.message
    assert list(read_passages(project)) == []
