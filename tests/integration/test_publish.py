"""kb publish against the real Neo4j: the example's package validates as an RO-Crate with
roc-validator at its required level, its checksums match its files, its CSVs re-import into
an empty database giving the same graph, and an incomplete case record is refused with the
list of what is missing, nothing written."""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.cli import ExitCode, app, optional_scope
from kb.errors import KBError
from kb.graph import KnowledgeBase
from kb.journal import head
from kb.model import PERSON
from kb.publish import publish
from kb.publish.crate import RO_CRATE_CONTEXT
from kb.publish.package import STAGING_SUFFIX
from kb.publish.record import REQUIRED
from kb.text import fold
from tests.support import snapshot

pytestmark = pytest.mark.neo4j
runner = CliRunner()
PACKAGE_FILES = {
    "README.md",
    "codebook.qdc",
    "network.gexf",
    "network.graphml",
    "report.html",
    "ro-crate-metadata.json",
    "view.html",
}


def _graph(folder: Path) -> dict[str, dict[str, Any]]:
    crate = json.loads((folder / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    assert crate["@context"] == "https://w3id.org/ro/crate/1.1/context"
    return {entity["@id"]: entity for entity in crate["@graph"]}


CRATE_CHECK = Path(__file__).with_name("crate_check.py")


def _validate(folder: Path, cache_folder: Path) -> list[str]:
    """roc-validator's issues at its `required` level (an empty list: the crate is valid),
    run in its own environment (tests/integration/crate_check.py says why)."""
    python = Path(sys.prefix) / "crate-check" / "bin" / "python"
    if not python.exists():
        pytest.fail(f"roc-validator's environment {python.parent.parent} is missing: make install")
    cache_folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [str(python), str(CRATE_CHECK), str(folder), str(cache_folder), RO_CRATE_CONTEXT],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["passed"] == (result["issues"] == [])
    return list(result["issues"])


@pytest.fixture
def package(example: KnowledgeBase, case_env: dict[str, str], tmp_path: Path) -> Path:
    out = tmp_path / "package"
    done = runner.invoke(app, ["publish", str(out)], env=case_env)
    assert done.exit_code == 0, done.output
    return out


def test_the_example_package_is_a_valid_ro_crate(
    package: Path, example: KnowledgeBase, tmp_path: Path
) -> None:
    assert _validate(package, tmp_path) == []
    # The validator is no rubber stamp: a root without its licence and date is refused.
    broken = tmp_path / "broken"
    shutil.copytree(package, broken)
    crate = json.loads((broken / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    for entity in crate["@graph"]:
        if entity["@id"] == "./":
            del entity["license"], entity["datePublished"]
    (broken / "ro-crate-metadata.json").write_text(json.dumps(crate), encoding="utf-8")
    issues = _validate(broken, tmp_path / "again")
    assert any("`license`" in i for i in issues) and any("`datePublished`" in i for i in issues)
    graph = _graph(package)
    root = graph["./"]
    assert root["name"].startswith("A community working group")
    assert root["datePublished"] == "2026"
    assert root["additionalType"] == "Dataset"
    assert root["license"] == {"@id": "https://spdx.org/licenses/CC-BY-4.0"}
    assert "social network analysis" in root["keywords"]
    first, second = (graph[a["@id"]] for a in root["author"])
    assert first["@id"] == "https://orcid.org/0000-0002-1825-0097"
    assert first["name"] == "Josiah Carberry"
    assert graph[first["affiliation"]["@id"]]["name"] == "Université fictive du Centre-Nord"
    assert second["name"] == "Aline Fortier" and second["@id"].startswith("#")
    assert graph[root["publisher"]["@id"]]["name"] == "kb example data (fictional)"
    action = graph["#publish"]
    assert graph[action["instrument"]["@id"]]["version"]
    assert f"`kb publish {package}`" in action["description"]
    version = head(example).data_version
    assert root["version"] == str(version)
    assert graph[action["object"]["@id"]]["version"] == str(version)


def test_every_file_is_listed_with_its_format_size_and_checksum(package: Path) -> None:
    graph = _graph(package)
    files = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert PACKAGE_FILES <= files
    assert {f"data/{n}.csv" for n in ("case", "actors", "ties", "evidence")} <= files
    listed = {i for i, e in graph.items() if e["@type"] == "File"}
    assert listed == files - {"ro-crate-metadata.json"}
    for name in listed:
        data = (package / name).read_bytes()
        assert graph[name]["sha256"] == hashlib.sha256(data).hexdigest(), name
        assert graph[name]["contentSize"] == str(len(data)), name
        assert graph[name]["encodingFormat"], name
    assert graph["network.graphml"]["encodingFormat"] == "application/graphml+xml"
    assert graph["data/ties.csv"]["encodingFormat"] == "text/csv"
    for path in package.rglob("*"):  # private, like every case file kb writes
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    readme = (package / "README.md").read_text(encoding="utf-8")
    assert "Josiah Carberry" in readme and "`data/ties.csv`" in readme
    assert not list(package.parent.glob(f"*{STAGING_SUFFIX}"))


def test_the_package_reimports_into_an_empty_database(
    package: Path, example: KnowledgeBase
) -> None:
    before, counts = snapshot(example), example.status()
    example.reset()
    example.import_data(package / "data")
    after = example.status()
    assert (after["nodes"], after["relationships"]) == (counts["nodes"], counts["relationships"])
    assert snapshot(example) == before


def test_a_case_record_without_the_publishing_fields_is_refused(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "case").mkdir()
    (tmp_path / "case" / "case.csv").write_text(
        "id,name,publication_year\nwg,Working group,26\n", encoding="utf-8"
    )
    (tmp_path / "case" / "actors.csv").write_text("id,name\np1,Ann\n", encoding="utf-8")
    kb.import_data(tmp_path / "case")
    out = tmp_path / "out" / "package"
    done = runner.invoke(app, ["publish", str(out)], env=cli_env)
    assert done.exit_code == ExitCode.INVALID_INPUT
    for field in set(REQUIRED) - {"publication_year"}:
        assert f"{field} is missing" in done.output
    assert "publication_year: '26' is not a year of four digits" in done.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_folder_in_use_is_refused_and_force_replaces_only_a_package(
    example: KnowledgeBase, case_env: dict[str, str], tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes", encoding="utf-8")
    for force in (False, True):
        with pytest.raises(KBError, match="not empty"):
            publish(example, mine, command="kb publish mine", force=force)
    done = runner.invoke(app, ["publish", str(mine), "--force"], env=case_env)
    assert done.exit_code == ExitCode.INVALID_INPUT
    assert "--force only replaces such a package" in done.output
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    out = tmp_path / "out"
    publish(example, out, command="kb publish out")
    first = _graph(out)["#publish"]["endTime"]
    with pytest.raises(KBError, match="give force to replace a package kb published there"):
        publish(example, out, command="kb publish out")
    (out / "stale.txt").write_text("left by hand", encoding="utf-8")
    publish(example, out, command="kb publish out --force", force=True)
    assert not (out / "stale.txt").exists()
    assert "--force" in _graph(out)["#publish"]["description"] and first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "out"]


def test_a_failure_leaves_no_half_package(
    example: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kb.publish import package as package_module

    def broken(*args: Any, **kwargs: Any) -> str:
        raise KBError("disk full")

    monkeypatch.setattr(package_module, "readme_text", broken)
    with pytest.raises(KBError, match="disk full"):
        publish(example, tmp_path / "out", command="kb publish out")
    assert list(tmp_path.iterdir()) == []


def _person_needles(kb: KnowledgeBase) -> set[str]:
    """Every person's id, name and alias, accent-folded and lower-cased (kb.text.fold)."""
    needles: set[str] = set()
    for row in kb.read("export/nodes", label=PERSON):
        aliases = row["props"].get("aliases") or []
        aliases = aliases.split(";") if isinstance(aliases, str) else aliases
        needles |= {fold(str(v)) for v in (row["id"], row["props"]["name"], *aliases) if v}
    return needles


@pytest.mark.parametrize("options", [(), ("all", "--keep-text"), ("--dates", "year")])
def test_a_pseudonymised_package_holds_no_person_and_validates(
    example: KnowledgeBase, case_env: dict[str, str], tmp_path: Path, options: tuple[str, ...]
) -> None:
    env = case_env | {"KB_HOME": str(tmp_path / "home")}
    out = tmp_path / "shared"
    args = ["publish", str(out), "--pseudonymise", *options]
    done = runner.invoke(app, optional_scope(args), env=env)
    assert done.exit_code == 0, done.output
    needles = _person_needles(example)
    assert len(needles) > 20  # the example's persons, read from the database
    files = sorted(f for f in out.rglob("*") if f.is_file())
    names = {f.relative_to(out).as_posix() for f in files}
    assert {"risk-report.json", "risk-report.md"} <= names
    assert {"view.html", "report.html", "codebook.qdc"} <= names
    assert {"network.graphml", "network.gexf", "data/actors.csv", "data/evidence.csv"} <= names
    assert not [n for n in names if "RESEARCHER-ONLY" in n or n.startswith("data/risk")]
    for file in files:  # every byte of every file: no id, name or alias of a person
        content = fold(file.read_bytes().decode("utf-8", errors="replace"))
        for needle in needles:
            assert needle not in content, f"{needle!r} in {file.name}"
    # the actors are there, under their pseudonyms, and the creators keep their names
    actors = (out / "data" / "actors.csv").read_text(encoding="utf-8-sig")
    assert actors.count("\n") == len(example.read("export/nodes", label=PERSON)) + 1
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "Josiah Carberry" in readme and "## Pseudonymisation" in readme
    assert "is left out" not in readme
    if "--dates" in options:  # no exact day of the case in the view or the report
        for page in ("view.html", "report.html"):
            assert "2015-03-31" not in (out / page).read_text(encoding="utf-8"), page
    assert _validate(out, tmp_path / "cache") == []
    graph = _graph(out)
    assert graph["risk-report.json"]["@type"] == "File"
    assert graph["risk-report.md"]["encodingFormat"] == "text/markdown"
    assert "--pseudonymise" in graph["#publish"]["description"]
    # the actors at risk, with their real names, are the researcher's alone
    report = json.loads((out / "risk-report.json").read_text(encoding="utf-8"))
    private = tmp_path / "home" / "researcher-only" / "shared.at-risk.RESEARCHER-ONLY.csv"
    assert private.is_file() and str(private) in done.output.replace("\n", "")
    assert len(private.read_text(encoding="utf-8").splitlines()) == report["at_risk"] + 1
