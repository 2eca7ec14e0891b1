"""Provenance on every output and `kb verify`, against the real Neo4j with the example case
(issue 20 §2, §3): each format carries its provenance where its readers keep it, `kb verify`
reproduces an untouched output, names the value of an edited one, and refuses a file that
has none."""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb import __version__
from kb.cli import app
from kb.errors import ExitCode
from kb.provenance import json_result, read_provenance, sidecar
from kb.schema import SCHEMA_VERSION

pytestmark = pytest.mark.neo4j
runner = CliRunner()


def kb(env: dict[str, str], *args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args], env=env)


def test_json_carries_provenance_and_a_list_is_wrapped(case_env: dict[str, str]) -> None:
    done = kb(case_env, "brokerage", "--permutations", "50", "--format", "json")
    assert done.exit_code == 0, done.output
    document = json.loads(done.stdout)
    provenance = document["provenance"]
    assert provenance["kb_version"] == __version__
    assert provenance["schema_version"] == SCHEMA_VERSION
    assert isinstance(provenance["data_version"], int)
    assert isinstance(provenance["fingerprint"], str)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", provenance["generated_at"])
    command = provenance["command"]
    # A default seed is drawn and written out, so that the answer can be computed again.
    assert isinstance(command["seed"], int)
    assert command["argv"] == [
        "brokerage",
        "--permutations",
        "50",
        "--format",
        "json",
        "--seed",
        str(command["seed"]),
    ]
    assert command["parameters"]["permutations"] == 50
    assert command["parameters"]["group_by"] == "sector"  # defaults resolved
    assert document["test"]["seed"] == command["seed"]

    listed = json.loads(kb(case_env, "evolution", "--format", "json").stdout)
    assert set(listed) == {"records", "provenance"}
    assert isinstance(listed["records"], list) and listed["records"]
    assert json_result(listed) == listed["records"]


def test_no_secret_in_the_recorded_command(case_env: dict[str, str]) -> None:
    uri = case_env["NEO4J_URI"]
    done = kb(case_env, "--uri", uri, "--debug", "centrality", "--format", "json")
    assert done.exit_code == 0, done.output
    command = json.loads(done.stdout)["provenance"]["command"]
    assert command["argv"] == ["centrality", "--format", "json"]
    assert uri not in json.dumps(command)
    assert case_env["NEO4J_PASSWORD"] not in done.stdout


def test_status_shows_the_data_version(case_env: dict[str, str]) -> None:
    done = kb(case_env, "status", "--format", "json")
    status = json.loads(done.stdout)
    assert isinstance(status["data_version"], int)
    assert status["data_version"] == status["provenance"]["data_version"]


# -- every format: written, read back, verified, an edit caught ---------------------------------


def _json(env: dict[str, str], folder: Path) -> Path:
    path = folder / "brokerage.json"
    done = kb(env, "brokerage", "--permutations", "20", "--format", "json")
    assert done.exit_code == 0, done.output
    path.write_text(done.stdout, encoding="utf-8")
    return path


def _file(*args: str) -> Any:
    def make(env: dict[str, str], folder: Path) -> Path:
        target = folder / args[-1]
        done = kb(env, *args[:-1], target)
        assert done.exit_code == 0, done.output
        return target

    return make


def _option(*args: str) -> Any:
    def make(env: dict[str, str], folder: Path) -> Path:
        target = folder / args[-1]
        done = kb(env, *args[:-1], "--out", target)
        assert done.exit_code == 0, done.output
        return target

    return make


def _edit_json(path: Path) -> str:
    document = json.loads(path.read_text(encoding="utf-8"))
    total = document["network"]["total"]
    total["raw"] += 7
    path.write_text(json.dumps(document), encoding="utf-8")
    return f"network.total.raw: {total['raw']} -> {total['raw'] - 7}"


def _edit_text(after: str, pattern: str) -> Any:
    """Change the first number matching ``pattern`` found after ``after``."""

    def edit(path: Path) -> str:
        if path.is_dir():
            path = path / "ties.csv"
        text = path.read_text(encoding="utf-8")
        start = text.index(after) + len(after)
        match = re.compile(pattern).search(text, start)
        assert match is not None
        new = str(int(match.group(1)) + 1)
        text = text[: match.start(1)] + new + text[match.end(1) :]
        path.write_text(text, encoding="utf-8")
        return new

    return edit


def _edit_png(path: Path) -> str:
    data = bytearray(path.read_bytes())
    at = data.index(b"IDAT") + 4 + 40  # a byte of the compressed pixels
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    return "IDAT"


FORMATS = {
    "json": (_json, _edit_json),
    "csv folder": (
        _file("export", "csv", "tables"),
        _edit_text("\n", r",(20\d\d)"),
    ),
    "gexf": (_file("export", "gexf", "case.gexf"), _edit_text("<nodes", r'"(20\d\d)-')),
    "graphml": (
        _file("export", "graphml", "case.graphml"),
        _edit_text("<edge ", r">(20\d\d)-"),
    ),
    "png": (_option("plot", "network", "--stage", "mobilization", "network.png"), _edit_png),
    "svg": (
        _option("plot", "evolution", "evolution.svg"),
        _edit_text("</metadata>", r'width="(\d+)'),
    ),
    "report": (_option("report", "report.html"), _edit_text("<td", r">(\d+)<")),
}


@pytest.mark.parametrize("kind", FORMATS)
def test_verify_reproduces_each_format_and_names_an_edited_value(
    case_env: dict[str, str], tmp_path: Path, kind: str
) -> None:
    make, edit = FORMATS[kind]
    path = make(case_env, tmp_path)
    provenance = read_provenance(path)
    assert provenance.kb_version == __version__
    assert isinstance(provenance.data_version, int)
    assert provenance.command["argv"][-1] != "--format" and provenance.command["argv"]
    if kind == "csv folder":
        assert sidecar(path) == path.with_name("tables.provenance.json")
        assert sidecar(path).exists()

    done = kb(case_env, "verify", path)
    assert done.exit_code == 0, done.output
    assert "reproduced" in done.stdout
    assert "NOT reproduced" not in done.stdout

    new_value = edit(path)
    done = kb(case_env, "verify", path)
    assert done.exit_code == ExitCode.ERROR, done.output
    assert "NOT reproduced" in done.stdout
    assert new_value in done.stdout


def test_verify_as_json(case_env: dict[str, str], tmp_path: Path) -> None:
    path = _json(case_env, tmp_path)
    done = kb(case_env, "verify", path, "--format", "json")
    assert done.exit_code == 0, done.output
    answer = json.loads(done.stdout)
    assert answer["reproduced"] is True and answer["differences"] == []
    assert answer["data_version"] == answer["today_data_version"]


def test_png_text_chunk_is_a_valid_chunk(case_env: dict[str, str], tmp_path: Path) -> None:
    path = _option("plot", "network", "--stage", "mobilization", "n.png")(case_env, tmp_path)
    data = path.read_bytes()
    at, kinds = 8, []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        body = data[at + 4 : at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(body)
        kinds.append(body[:4])
        at += 12 + length
    assert b"iTXt" in kinds and kinds[-1] == b"IEND"


def test_verify_refuses_a_file_without_provenance(case_env: dict[str, str], tmp_path: Path) -> None:
    plain = tmp_path / "table.json"
    plain.write_text('{"actors": []}', encoding="utf-8")
    done = kb(case_env, "verify", plain)
    assert done.exit_code == ExitCode.INVALID_INPUT
    assert "carries no kb provenance" in done.stderr


def test_verify_of_another_data_version_says_it_cannot_rerun_it(
    case_env: dict[str, str], tmp_path: Path
) -> None:
    path = _json(case_env, tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["provenance"]["data_version"] += 1000
    path.write_text(json.dumps(document), encoding="utf-8")
    done = kb(case_env, "verify", path)
    assert done.exit_code == ExitCode.CANNOT_REPRODUCE, done.output
    assert "data version" in done.stderr
