"""kb.provenance without a database: what a command line records, each format's place read
back, and how two outputs are compared (tests/integration/test_provenance.py runs the
commands on the real Neo4j)."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest

from kb.cli.base import recorded_argv
from kb.provenance import (
    NoProvenanceError,
    Provenance,
    differences,
    json_result,
    read_provenance,
    sidecar,
    stamped,
    with_provenance,
    without_provenance,
)

PROVENANCE = Provenance(
    kb_version="0.1.0",
    schema_version=6,
    data_version=41,
    fingerprint="abc123",
    command={"argv": ["plot", "network", "--out", "n.svg"], "parameters": {}, "seed": None},
    generated_at="2026-12-07T22:41:03Z",
)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


PNG_1X1 = (  # one white pixel, grey, 8 bits
    b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _chunk(b"IDAT", zlib.compress(b"\x00\xff"))
    + _chunk(b"IEND", b"")
)


def test_connection_options_and_credentials_are_not_recorded() -> None:
    args = [
        "--uri", "bolt://neo4j:s3cret@db:7687", "--user", "neo4j", "--database=cases",
        "--debug", "--why", "a note", "brokerage", "--seed", "3", "--", "--uri",
    ]  # fmt: skip
    assert recorded_argv(args) == ["brokerage", "--seed", "3", "--", "--uri"]


def test_json_objects_gain_a_field_and_lists_are_wrapped() -> None:
    assert with_provenance({"a": 1}, PROVENANCE) == {"a": 1, "provenance": PROVENANCE.data()}
    wrapped = with_provenance([1, 2], PROVENANCE)
    assert wrapped == {"records": [1, 2], "provenance": PROVENANCE.data()}
    assert json_result(wrapped) == [1, 2]
    assert json_result(with_provenance({"a": 1}, PROVENANCE)) == {"a": 1}
    assert with_provenance([1], None) == [1]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("p.svg", '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">\n<g/>\n</svg>'),
        ("p.html", "<html><body><p>1 < 2 </script></p></body></html>"),
        ("p.png", PNG_1X1),
    ],
)
def test_each_picture_and_page_reads_its_provenance_back(
    tmp_path: Path, name: str, content: str | bytes
) -> None:
    path = tmp_path / name
    kind = name.rsplit(".", 1)[1]
    data = stamped(content, kind, PROVENANCE)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    assert read_provenance(path) == PROVENANCE
    original = tmp_path / ("original." + kind)
    if isinstance(content, bytes):
        original.write_bytes(content)
    else:
        original.write_text(content, encoding="utf-8")
    assert without_provenance(path) == without_provenance(original)


def test_a_script_end_in_the_provenance_does_not_end_the_page(tmp_path: Path) -> None:
    tricky = Provenance(**{**PROVENANCE.data(), "command": {"argv": ["view", "</script>"]}})
    page = stamped("<html><body></body></html>", "html", tricky)
    assert page.count("</script>") == 1
    path = tmp_path / "v.html"
    path.write_text(page, encoding="utf-8")
    assert read_provenance(path).command["argv"] == ["view", "</script>"]


def test_a_file_without_provenance_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    path.write_text(json.dumps([1, 2]), encoding="utf-8")
    with pytest.raises(NoProvenanceError, match="carries no kb provenance"):
        read_provenance(path)
    (tmp_path / "bad.json").write_text('{"provenance": {"kb_version": "x"}}', encoding="utf-8")
    with pytest.raises(NoProvenanceError, match="is not kb's provenance"):
        read_provenance(tmp_path / "bad.json")


def test_differences_name_the_place_and_both_values() -> None:
    recorded = {"actors": [{"id": "a", "raw": 12}], "note": "x"}
    again = {"actors": [{"id": "a", "raw": 5}], "note": "x"}
    assert differences(recorded, again) == ["actors[id=a].raw: 12 -> 5"]
    long_line = "<g>" + "x" * 500 + ' value="2016" ' + "y" * 500 + "</g>"
    found = differences([long_line], [long_line.replace("2016", "2017")])
    assert len(found) == 1 and "2016" in found[0] and "2017" in found[0]
    assert len(found[0]) < 400
    assert differences({"a": [1, 2]}, {"a": [1, 2]}) == []


def test_records_are_matched_by_their_id_not_their_place() -> None:
    # t2 gains an item and moves first in a table sorted by count: only t2 changed.
    recorded = [{"tie": "t1", "items": 2}, {"tie": "t2", "items": 1}, {"tie": "t3", "items": 1}]
    again = [{"tie": "t2", "items": 3}, {"tie": "t1", "items": 2}, {"tie": "t4", "items": 1}]
    assert differences({"ties": recorded}, {"ties": again}) == [
        "ties[tie=t2].items: 1 -> 3",
        'ties[tie=t3]: {"tie": "t3", "items": 1} -> (absent)',
        'ties[tie=t4]: (absent) -> {"tie": "t4", "items": 1}',
    ]
    assert differences(recorded[:2], recorded[:2][::-1]) == [
        "value: the same records in another order"
    ]
    # Without a field naming each record once, records are compared by place.
    assert differences([{"n": 1}, {"n": 1}], [{"n": 1}, {"n": 2}]) == ["[1].n: 1 -> 2"]


def test_the_sidecar_of_the_current_folder_sits_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    monkeypatch.chdir(folder)
    assert sidecar(".") == tmp_path / "export.provenance.json"
    assert sidecar("..").name == f"{tmp_path.name}.provenance.json"
