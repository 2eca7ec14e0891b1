"""Pseudonymised exports of the example case on the real Neo4j: nothing of a person's name,
aliases or id in any byte of any file, stable pseudonyms for one key and others for
another, and the same network up to renaming."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import igraph
import pytest
from typer.testing import CliRunner

from kb.cli import app, optional_scope
from kb.exports import graphml, tables
from kb.exports.pseudonymise import Pseudonymisation, Pseudonymiser
from kb.graph import KnowledgeBase
from kb.provenance import read_provenance
from kb.text import fold

pytestmark = pytest.mark.neo4j
runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "quebec-wg"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


PEOPLE = _rows(EXAMPLE / "actors.csv")


def _export_everything(env: dict[str, str], out: Path, *options: str) -> None:
    """Every pseudonymised output, into ``out``: its commands carry a person's id in the
    paths typed and a person's name in the title typed, which their provenance records."""
    scope = [o for o in options if o in ("persons", "all")]
    for args in (
        ["export", "csv", str(out / "csv")],
        ["export", "gexf", str(out / "case.gexf")],
        ["export", "graphml", str(out / "case.graphml")],
        ["export", "waves", str(out / "waves")],
        ["export", "qdc", str(out / "codebook.qdc"), "--generalise", "territory"],
        ["view", "--out", str(out / "view.html"), "--title", "Louise Simard et Daniel"],
        ["report", "--out", str(out / "report.html")],
    ):
        extra = scope if args[1] == "qdc" else options
        done = runner.invoke(app, optional_scope([*args, "--pseudonymise", *extra]), env=env)
        assert done.exit_code == 0, done.output
        assert "Re-identification risk of" in done.output


def _files(folder: Path) -> list[Path]:
    return sorted(f for f in folder.rglob("*") if f.is_file())


@pytest.mark.parametrize("options", [(), ("--keep-text",), ("all", "--keep-text")])
def test_no_person_name_or_id_in_any_byte_of_any_file(
    case_env: dict[str, str], tmp_path: Path, options: tuple[str, ...]
) -> None:
    env = case_env | {"KB_HOME": str(tmp_path / "home")}
    out = tmp_path / "out" / PEOPLE[0]["id"]  # typed in every command: recorded, masked
    _export_everything(env, out, *options)
    needles = {fold(p["id"]) for p in PEOPLE} | {fold(p["name"]) for p in PEOPLE}
    files = _files(tmp_path / "out")
    assert len(files) > 30  # the CSV tables, the network files, the waves, the risk reports
    # Each output carries its command, masked: the pseudonym stands where the id was typed.
    for made in ("csv", "case.gexf", "case.graphml", "waves", "view.html", "report.html"):
        argv = " ".join(read_provenance(out / made).command["argv"])
        assert f"/{PEOPLE[0]['id']}/" not in argv and "/P-" in argv, argv
    title = read_provenance(out / "view.html").command["argv"]
    assert "Louise" not in " ".join(title) and "Daniel" not in " ".join(title)
    assert "<title>Louise" not in (out / "view.html").read_text(encoding="utf-8")
    for file in files:
        content = fold(file.read_bytes().decode("utf-8", errors="replace"))
        for needle in needles:
            assert needle not in content, f"{needle!r} in {file.name}"
    if options:  # free text kept: given names and surnames alone are masked as well
        evidence = fold((out / "csv" / "evidence.csv").read_text(encoding="utf-8-sig"))
        assert "p-" in evidence and not re.search(r"\b(louise|daniel|kadiatou)\b", evidence)


def test_free_text_is_dropped_unless_kept(case_env: dict[str, str], tmp_path: Path) -> None:
    env = case_env | {"KB_HOME": str(tmp_path / "home")}
    for name, extra in (("dropped", []), ("kept", ["--keep-text"])):
        args = ["export", "csv", str(tmp_path / name), "--pseudonymise", "persons", *extra]
        assert runner.invoke(app, args, env=env).exit_code == 0
    quotes = {
        name: [r["quote"] for r in _rows(tmp_path / name / "evidence.csv")]
        for name in ("dropped", "kept")
    }
    assert not any(quotes["dropped"]) and sum(1 for q in quotes["kept"] if q) > 400


def _node_ids(path: Path) -> list[str]:
    return sorted(v["id"] for v in igraph.Graph.Read_GraphML(str(path)).vs)


def test_pseudonyms_are_stable_for_one_key_and_change_with_the_key(
    case_env: dict[str, str], tmp_path: Path
) -> None:
    runs = {}
    for run, home in (("first", "a"), ("again", "a"), ("other key", "b")):
        env = case_env | {"KB_HOME": str(tmp_path / home)}
        target = tmp_path / f"{run}.graphml"
        args = ["export", "graphml", str(target), "--pseudonymise", "persons"]
        assert runner.invoke(app, args, env=env).exit_code == 0
        runs[run] = _node_ids(target)
    assert runs["first"] == runs["again"]
    persons = {r for r in runs["first"] if r.startswith("P-")}
    assert len(persons) == len(PEOPLE)
    assert persons.isdisjoint(runs["other key"])
    (key,) = (tmp_path / "a" / "keys").glob("pseudonyms-*.key")  # named after the case
    assert key.stat().st_mode & 0o777 == 0o600
    secret = key.read_text().strip()
    for file in _files(tmp_path):
        if file != key:
            assert secret not in file.read_text(encoding="utf-8", errors="replace")


def _graph(path: Path) -> igraph.Graph:
    return igraph.Graph.Read_GraphML(str(path))


def test_the_network_is_the_same_up_to_renaming(
    example: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_HOME", str(tmp_path / "home"))
    settings = Pseudonymisation(scope="all")
    graphml.write_graphml(example, tmp_path / "plain.graphml")
    graphml.write_graphml(example, tmp_path / "pseudo.graphml", pseudonymise=settings)
    renamed = Pseudonymiser.for_case(example, settings).renamed
    plain, pseudo = _graph(tmp_path / "plain.graphml"), _graph(tmp_path / "pseudo.graphml")

    def arcs(graph: igraph.Graph, rename: dict[str, str]) -> Counter[tuple[str, ...]]:
        ids = graph.vs["id"]
        return Counter(
            (
                rename.get(ids[e.source], ids[e.source]),
                rename.get(ids[e.target], ids[e.target]),
                e["type"],
                e["start_first"] or "",
                e["end_last"] or "",
                e["start"] or "",
                e["end"] or "",
            )
            for e in graph.es
        )

    assert arcs(plain, renamed) == arcs(pseudo, {})
    assert sorted(plain.degree()) == sorted(pseudo.degree())
    assert plain.simplify().isomorphic(pseudo.simplify())
    # kb's measures on the renamed network: the same values, under the new names.
    plain_between = dict(zip(plain.vs["id"], plain.betweenness(), strict=True))
    pseudo_between = dict(zip(pseudo.vs["id"], pseudo.betweenness(), strict=True))
    assert {renamed[i]: v for i, v in plain_between.items()} == pytest.approx(pseudo_between)


def test_dates_coarsen_and_territories_generalise(case_env: dict[str, str], tmp_path: Path) -> None:
    env = case_env | {"KB_HOME": str(tmp_path / "home")}
    out = tmp_path / "csv"
    args = ["export", "csv", str(out), "--pseudonymise", "persons", "--dates", "month"]
    done = runner.invoke(app, [*args, "--generalise", "territory"], env=env)
    assert done.exit_code == 0, done.output
    for table, columns in (("ties", ("start", "end")), ("evidence", ("date",))):
        for row in _rows(out / f"{table}.csv"):
            for column in columns:
                assert re.fullmatch(r"(\d{4}(-\d{2})?)?", row[column]), row
    territories = {r["id"]: r["parent"] for r in _rows(EXAMPLE / "territories.csv")}
    kept = {r["territory"] for r in _rows(out / "actors.csv")}
    assert kept <= set(territories.values()) | {""} and "rls-riviere" not in kept
    meetings = [r["id"] for r in _rows(out / "meetings.csv")]
    assert meetings and not any(re.search(r"\d{4}-\d{2}-\d{2}", m) for m in meetings)


def test_the_risk_report_and_the_researchers_list(case_env: dict[str, str], tmp_path: Path) -> None:
    env = case_env | {"KB_HOME": str(tmp_path / "home")}
    target = tmp_path / "out" / "case.gexf"
    done = runner.invoke(
        app, optional_scope(["export", "gexf", str(target), "--pseudonymise"]), env=env
    )
    assert done.exit_code == 0, done.output
    report = json.loads((tmp_path / "out" / "case.gexf.risk-report.json").read_text())
    assert report["actors"] == len(PEOPLE)
    assert report["quasi_identifiers"] == ["labels", "sector", "territory"]
    assert 1 <= report["k"] <= len(PEOPLE)
    for share in ("unique_by_attributes", "unique_by_degree_and_attributes"):
        assert 0 <= report[share] <= report["unique_by_degree_and_attributes"] <= 1
    assert (tmp_path / "out" / "case.gexf.risk-report.md").read_text().startswith("# Re-id")
    private = tmp_path / "home" / "researcher-only" / "case.gexf.at-risk.RESEARCHER-ONLY.csv"
    assert str(private) in done.output.replace("\n", "")
    rows = list(_rows(private))
    assert len(rows) == report["at_risk"] and rows
    assert {r["id"] for r in rows} <= {p["id"] for p in PEOPLE}
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == [
        "case.gexf",
        "case.gexf.risk-report.json",
        "case.gexf.risk-report.md",
    ]


def test_a_stream_is_refused(case_env: dict[str, str], tmp_path: Path) -> None:
    env = case_env | {"KB_HOME": str(tmp_path / "home")}
    done = runner.invoke(app, ["export", "gexf", "-", "--pseudonymise", "persons"], env=env)
    assert done.exit_code != 0 and "risk report" in done.output


def test_companion_options_need_pseudonymise(case_env: dict[str, str], tmp_path: Path) -> None:
    done = runner.invoke(app, ["export", "csv", str(tmp_path), "--dates", "year"], env=case_env)
    assert done.exit_code == 2 and "--pseudonymise" in done.output


@pytest.mark.parametrize("options", [(), ("--keep-text",)])
def test_the_view_page_holds_no_person(
    case_env: dict[str, str], tmp_path: Path, options: tuple[str, ...]
) -> None:
    env = case_env | {"KB_HOME": str(tmp_path / "home")}
    page = tmp_path / "out" / "case.html"
    args = ["view", "--out", str(page), "--pseudonymise", "persons", *options]
    done = runner.invoke(app, args, env=env)
    assert done.exit_code == 0, done.output
    assert (tmp_path / "out" / "case.html.risk-report.json").exists()
    content = fold(page.read_text(encoding="utf-8"))
    for person in PEOPLE:
        assert fold(person["id"]) not in content and fold(person["name"]) not in content
    assert content.count("p-") > len(PEOPLE)  # the pseudonyms are there instead


def test_the_report_holds_no_person(case_env: dict[str, str], tmp_path: Path) -> None:
    env = case_env | {"KB_HOME": str(tmp_path / "home")}
    page = tmp_path / "out" / "report.html"
    done = runner.invoke(app, ["report", "--out", str(page), "--pseudonymise", "all"], env=env)
    assert done.exit_code == 0, done.output
    assert "Re-identification risk of" in done.output
    assert (tmp_path / "out" / "report.html.risk-report.md").exists()
    content = fold(page.read_text(encoding="utf-8"))
    for person in PEOPLE:
        assert fold(person["id"]) not in content and fold(person["name"]) not in content
    assert "p-" in content and "o-" in content


def test_the_pseudonymised_tables_import_into_an_empty_database(
    example: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_HOME", str(tmp_path / "home"))
    settings = Pseudonymisation(scope="all", dates="month", keep_text=True)
    result = tables.write_csv(example, tmp_path / "out", pseudonymise=settings)
    example.reset()
    example.import_data(tmp_path / "out")
    counts = example.read_one("meta/counts")
    assert counts["nodes"] > 0
    again = tables.write_csv(example, tmp_path / "again")
    assert again.counts == result.counts
    actors = _rows(tmp_path / "again" / "actors.csv")
    assert len(actors) == len(PEOPLE) and all(a["name"].startswith("P-") for a in actors)


def _exact_days(level: str) -> set[str]:
    """The example's days that coarsening to ``level`` must remove: every full date of a
    tie, an evidence item, a reform, a document or a meeting that is neither the first nor
    the last day of its month (year)."""
    bounds = ("01-01", "12-31") if level == "year" else ()
    days = set()
    for table in ("ties", "evidence", "reforms", "documents", "meetings"):
        for row in _rows(EXAMPLE / f"{table}.csv"):
            for column in ("start", "end", "date"):
                value = row.get(column) or ""
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    continue
                day = date.fromisoformat(value)
                month_end = (day + timedelta(days=1)).day == 1
                if level == "month" and (day.day == 1 or month_end):
                    continue
                if value[5:] not in bounds:
                    days.add(value)
    return days


def _page_without_provenance(page: Path) -> str:
    # The provenance's generation time is today, not a date of the case.
    return re.sub(
        r'<footer class="kb-provenance">.*?</script>',
        "",
        page.read_text(encoding="utf-8"),
        flags=re.S,
    )


@pytest.mark.parametrize("level", ["month", "year"])
def test_the_view_works_on_coarsened_dates(
    case_env: dict[str, str], tmp_path: Path, level: str
) -> None:
    env = case_env | {"KB_HOME": str(tmp_path / "home")}
    pages = {}
    for name, extra in (("exact", []), ("coarse", ["--dates", level])):
        page = tmp_path / f"{name}.html"
        args = ["view", "--out", str(page), "--pseudonymise", "persons", "--keep-text", *extra]
        done = runner.invoke(app, args, env=env)
        assert done.exit_code == 0, done.output
        pages[name] = page
    exact = _exact_days(level)
    assert exact and any(day in pages["exact"].read_text(encoding="utf-8") for day in exact)
    coarse = _page_without_provenance(pages["coarse"])
    assert not [day for day in exact if day in coarse]
    data = {name: _view_data(page) for name, page in pages.items()}
    # The slider moves month by month (year by year): its dates are first days, fewer.
    days = data["coarse"]["dates"]
    assert days and all(d.endswith("-01-01" if level == "year" else "-01") for d in days), days
    assert len(days) < len(data["exact"]["dates"])
    for tie in data["coarse"]["ties"]:
        assert tie["start"] is None or tie["start"].endswith("-01"), tie
    # The same actors and ties, and every tie still shown in some frame.
    assert len(data["coarse"]["ties"]) == len(data["exact"]["ties"])
    assert all(tie["frames"] for tie in data["coarse"]["ties"])
    # Its masked provenance still re-runs to the same page.
    again = runner.invoke(app, ["verify", str(pages["coarse"])], env=env)
    assert again.exit_code == 0 and "reproduced" in again.output, again.output


def _view_data(page: Path) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" id="kb-view-data">(.*?)</script>',
        page.read_text(encoding="utf-8"),
        re.S,
    )
    assert found is not None
    return dict(json.loads(found.group(1)))


def test_the_report_works_on_coarsened_dates(case_env: dict[str, str], tmp_path: Path) -> None:
    env = case_env | {"KB_HOME": str(tmp_path / "home")}
    page = tmp_path / "report.html"
    args = ["report", "--out", str(page), "--pseudonymise", "persons", "--dates", "month"]
    done = runner.invoke(app, args, env=env)
    assert done.exit_code == 0, done.output
    content = _page_without_provenance(page)
    assert not [day for day in _exact_days("month") if day in content]
    assert re.search(r"\b\d{4}-\d{2}\b", content)  # the months are there instead


def test_the_codebook_is_pseudonymised(case_env: dict[str, str], tmp_path: Path) -> None:
    from kb.imports.qda import code_guid

    env = case_env | {"KB_HOME": str(tmp_path / "home")}
    for args in (
        ["export", "qdc", str(tmp_path / "plain.qdc")],
        ["export", "qdc", str(tmp_path / "shared.qdc"), "--pseudonymise", "persons"],
        ["export", "graphml", str(tmp_path / "shared.graphml"), "--pseudonymise", "persons"],
    ):
        done = runner.invoke(app, args, env=env)
        assert done.exit_code == 0, done.output
    plain = (tmp_path / "plain.qdc").read_text(encoding="utf-8")
    shared = (tmp_path / "shared.qdc").read_text(encoding="utf-8")
    assert all(p["name"] in plain for p in PEOPLE)  # the codebook does name people
    for person in PEOPLE:
        for needle in (person["id"], person["name"], code_guid("actor", person["id"])):
            assert fold(needle) not in fold(shared), needle
    # The codes are named by the pseudonyms every other export of the case uses.
    codes = set(re.findall(r'name="(P-[A-Z2-7]+)"', shared))
    assert codes == {i for i in _node_ids(tmp_path / "shared.graphml") if i.startswith("P-")}
    assert (tmp_path / "shared.qdc.risk-report.json").exists()
