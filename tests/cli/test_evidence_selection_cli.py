"""--min-evidence N and --triangulated on every command that selects ties, on the CLI.

A small case built for it: ties with no evidence, one item, two items of one kind plus
"other", and two or three kinds (triangulated). Each command must accept both options,
refuse a negative count or one no tie reaches (exit 5, saying what the case has), and
give the results of the selected ties only; what "selected" means is computed here from
the case's own evidence lists, not by kb.
"""

from __future__ import annotations

import csv
import json
from calendar import monthrange
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.cli import ExitCode, app
from kb.graph import KnowledgeBase
from kb.imports import Dataset
from kb.provenance import json_result, without_provenance
from tests.support import DatabaseState, fills_database

pytestmark = pytest.mark.neo4j

runner = CliRunner()

KINDS = {
    "ev-i1": "interview",
    "ev-i2": "interview",
    "ev-o1": "observation",
    "ev-d1": "document",
    "ev-x1": "other",
}
# id: source, target, type, start, end, directed, evidence
TIES: dict[str, tuple[str, str, str, str, str, bool, list[str]]] = {
    "A": ("c1", "p1", "INFORMATION", "2014-01", "", True, ["ev-i1", "ev-o1"]),
    "B": ("p1", "p2", "INFORMATION", "2014-01", "", True, ["ev-d1", "ev-i2"]),
    "C": ("c2", "p1", "INFORMATION", "2014-01", "", True, ["ev-i1"]),
    "D": ("p1", "z1", "INFORMATION", "2014-01", "", True, []),
    "E": ("z1", "c1", "INFORMATION", "2016-06", "", True, ["ev-x1", "ev-i2"]),
    "F": ("c1", "o1", "COLLABORATION", "2014-01", "2016-03", False, ["ev-i1", "ev-d1"]),
    "G": ("c2", "o1", "COLLABORATION", "2014-01", "2016-04", False, ["ev-i2"]),
}
STAGES = {"s1": (date(2014, 1, 1), date(2015, 12, 31)), "s2": (date(2016, 1, 1), None)}
EVE = date(2015, 12, 31)  # the day before the reform r
SELECTIONS: dict[str, list[str]] = {
    "all": [],
    "min1": ["--min-evidence", "1"],
    "min2": ["--min-evidence", "2"],
    "triangulated": ["--triangulated"],
}


def kept(selection: str) -> set[str]:
    """The ties a selection keeps, from the evidence lists above."""
    chosen = set()
    for tie, (*_, items) in TIES.items():
        kinds = {KINDS[i] for i in items} & {"interview", "observation", "document"}
        if selection == "all" or (
            (selection == "triangulated" and len(kinds) >= 2)
            or (selection.startswith("min") and len(items) >= int(selection[3:]))
        ):
            chosen.add(tie)
    return chosen


def arcs(ties: Iterable[str]) -> set[tuple[str, str]]:
    found = set()
    for tie in ties:
        source, target, *_, directed, _ = TIES[tie]
        found.add((source, target))
        if not directed:
            found.add((target, source))
    return found


def brokered(ties: Iterable[str]) -> set[tuple[str, str, str]]:
    """Every a -> b -> c with no a -> c (Gould & Fernandez), by brute force."""
    lines = arcs(ties)
    return {
        (a, b, c) for a, b in lines for b2, c in lines if b2 == b and a != c and (a, c) not in lines
    }


def active(ties: Iterable[str], first: date, last: date | None) -> set[str]:
    """The ties whose spell (months, as in TIES) overlaps [first, last]."""

    def month(text: str, *, end: bool) -> date | None:
        if not text:
            return None
        year, number = map(int, text.split("-"))
        return date(year, number, monthrange(year, number)[1] if end else 1)

    found = set()
    for tie in ties:
        start, end = month(TIES[tie][3], end=False), month(TIES[tie][4], end=True)
        if (start is None or last is None or start <= last) and (end is None or end >= first):
            found.add(tie)
    return found


def case() -> dict[str, list[dict[str, Any]]]:
    people = {"c1": "community", "c2": "community", "p1": "public", "p2": "public"}
    return {
        "actors": [{"id": i, "name": i.upper(), "sector": s} for i, s in people.items()]
        + [{"id": "z1", "name": "Z1", "sector": "citizen"}],
        "organizations": [{"id": "o1", "name": "O1", "sector": "public"}],
        "evidence": [{"id": i, "kind": k, "quote": f"quote {i}"} for i, k in KINDS.items()],
        "stages": [
            {"id": "s1", "name": "Stage one", "start": "2014-01-01", "end": "2015-12-31"},
            {"id": "s2", "name": "Stage two", "start": "2016-01-01"},
        ],
        "reforms": [{"id": "r", "name": "Reform", "date": "2016-01-01"}],
        "reform_effects": [{"reform": "r", "organization": "o1", "effect": "restructured"}],
        "ties": [
            {
                "id": tie,
                "source": source,
                "target": target,
                "type": kind,
                "start": start,
                "end": end,
                "directed": "yes" if directed else "no",
                "evidence": ";".join(items),
            }
            for tie, (source, target, kind, start, end, directed, items) in TIES.items()
        ],
    }


@pytest.fixture
@fills_database
def env(
    cli_env: dict[str, str], kb: KnowledgeBase, database_state: DatabaseState
) -> dict[str, str]:
    def fill() -> None:
        kb.import_data(Dataset.from_records(case(), "evidence-case"))

    database_state.hold(kb, f"{__name__}.case", fill)
    return cli_env


def run(env: dict[str, str], *args: str) -> Any:
    result = runner.invoke(app, [*args], env=env)
    assert result.exit_code == 0, result.output
    return result


def run_json(env: dict[str, str], *args: str) -> Any:
    return json_result(json.loads(run(env, *args, "--format", "json").stdout))


def commands(tmp: Path) -> dict[str, list[str]]:
    """Every command that selects ties, with what it needs to run on the case."""
    return {
        "brokerage": ["brokerage"],
        "centrality": ["centrality"],
        "paths": ["paths", "c1", "p2"],
        "legitimacy": ["legitimacy", "--from", "community", "--to", "public"],
        "reforms broken-ties": ["reforms", "broken-ties", "--reform", "r"],
        "reforms brokerage-change": ["reforms", "brokerage-change", "--reform", "r"],
        "reforms survival": ["reforms", "survival", "--reform", "r", "--placebo", "0"],
        "evolution": ["evolution"],
        "export gexf": ["export", "gexf", str(tmp / "case.gexf")],
        "export graphml": ["export", "graphml", str(tmp / "case.graphml")],
        "export csv": ["export", "csv", str(tmp / "csv")],
        "export waves": ["export", "waves", str(tmp / "waves")],
        "plot network": ["plot", "network", "--out", str(tmp / "network.svg")],
        "plot evolution": ["plot", "evolution", "--out", str(tmp / "evolution.svg")],
        "plot survival": ["plot", "survival", "--reform", "r", "--out", str(tmp / "s.svg")],
        "report": ["report", "--out", str(tmp / "report.html")],
    }


COMMANDS = sorted(commands(Path("/unused")))


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_takes_the_options_and_refuses_empty_selections(
    env: dict[str, str], tmp_path: Path, name: str
) -> None:
    args = commands(tmp_path)[name]
    assert kept("all") != kept("triangulated") != set()
    run(env, *args, "--triangulated", "--min-evidence", "2")
    negative = runner.invoke(app, [*args, "--min-evidence", "-1"], env=env)
    assert negative.exit_code == ExitCode.INVALID_INPUT, negative.output
    assert "--min-evidence -1" in negative.output
    too_many = runner.invoke(app, [*args, "--min-evidence", "3"], env=env)
    assert too_many.exit_code == ExitCode.INVALID_INPUT, too_many.output
    assert "no tie has 3 evidence items; the most any has is 2" in too_many.output


@pytest.mark.parametrize("selection", sorted(SELECTIONS))
def test_brokerage_centrality_and_evolution_use_the_selected_ties(
    env: dict[str, str], selection: str
) -> None:
    options = SELECTIONS[selection]
    ties = kept(selection)
    recorded = {"min_evidence": int(options[1]) if "--min-evidence" in options else 0}
    recorded["triangulated"] = "--triangulated" in options
    broker = run_json(env, "brokerage", *options)
    assert broker["network"]["total"]["raw"] == len(brokered(ties))
    assert {k: broker[k] for k in recorded} == recorded
    by_stage = run_json(env, "brokerage", "--by", "stage", *options)
    for result in by_stage:
        first, last = STAGES[result["at"]]
        assert result["network"]["total"]["raw"] == len(brokered(active(ties, first, last)))
    centrality = run_json(env, "centrality", *options)
    assert {a["id"] for a in centrality["actors"] if a["degree"]} == {
        end for arc in arcs(ties) for end in arc
    }
    assert {k: centrality[k] for k in recorded} == recorded
    for row in run_json(env, "evolution", "--by", "stage", *options):
        first, last = STAGES[row["period"]]
        pairs = {frozenset(arc) for arc in arcs(active(ties, first, last))}
        assert row["pairs"] == len(pairs), (selection, row["period"])
        assert {k: row[k] for k in recorded} == recorded


def test_paths_and_legitimacy_follow_only_selected_ties(env: dict[str, str]) -> None:
    # c2 -> p1 (C, one interview) -> p2 (B, triangulated)
    found = run_json(env, "paths", "c2", "p2")
    assert [[t["id"] for t in p["ties"]] for p in found["paths"]] == [["C", "B"]]
    assert run_json(env, "paths", "c2", "p2", "--min-evidence", "1")["paths"]
    strong = run_json(env, "paths", "c2", "p2", "--triangulated")
    assert strong["paths"] == [] and strong["triangulated"] is True
    timed = run_json(env, "paths", "c2", "p2", "--time-respecting", "--triangulated")
    assert timed["paths"] == []
    message = run(env, "paths", "c2", "p2", "--triangulated")
    assert "No path from c2 to p2" in message.output and "triangulated ties" in message.output

    def reached(*options: str) -> dict[str, int]:
        rows = run_json(env, "legitimacy", "--from", "community", "--to", "public", *options)
        return {r["source"]: r["reached"] for r in rows}

    assert reached() == {"c1": 3, "c2": 3}  # p1, p2, o1
    assert reached("--triangulated") == {"c1": 3, "c2": 0}  # A, B, F; C and G are thin
    source = ["legitimacy", "--from", "community", "--to", "public", "--source", "c2"]
    assert run_json(env, *source, "--triangulated") == []
    assert {r["target"] for r in run_json(env, *source)} == {"p1", "p2", "o1"}


@pytest.mark.parametrize("selection", sorted(SELECTIONS))
def test_reform_commands_use_the_selected_ties(env: dict[str, str], selection: str) -> None:
    options = SELECTIONS[selection]
    ties = kept(selection)
    broken = run_json(env, "reforms", "broken-ties", "--reform", "r", *options)
    assert {t["tie"] for t in broken} == ties & {"F", "G"}  # touch o1, end within 12 months
    on_eve = active(ties, EVE, EVE)
    survival = run_json(env, "reforms", "survival", "--reform", "r", "--placebo", "0", *options)
    assert survival["cohorts"][0]["ties"] == len(on_eve)
    change = run_json(env, "reforms", "brokerage-change", "--reform", "r", *options)
    assert sum(a["before"] for a in change["actors"]) == len(brokered(on_eve))
    assert change["triangulated"] is (selection == "triangulated")


def test_exports_write_the_selected_ties(env: dict[str, str], tmp_path: Path) -> None:
    import networkx as nx

    strong = kept("triangulated")
    run(env, "export", "csv", str(tmp_path / "csv"), "--triangulated")
    with open(tmp_path / "csv" / "ties.csv", encoding="utf-8-sig") as stream:
        assert {row["id"] for row in csv.DictReader(stream)} == strong
    with open(tmp_path / "csv" / "evidence.csv", encoding="utf-8-sig") as stream:
        assert len(list(csv.DictReader(stream))) == len(KINDS)  # written whole
    run(env, "export", "graphml", str(tmp_path / "g.graphml"), "--min-evidence", "2")
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert {d["kb_id"] for *_, d in graph.edges(data=True) if d["relation"] == "tie"} == kept(
        "min2"
    )
    gexf = run(env, "export", "gexf", str(tmp_path / "g.gexf"), "--triangulated")
    assert f"{len(strong)} ties" in gexf.output
    assert "triangulated ties" in (tmp_path / "g.gexf").read_text(encoding="utf-8")
    run(env, "export", "waves", str(tmp_path / "waves"), "--triangulated")
    with open(tmp_path / "waves" / "waves.csv", encoding="utf-8") as stream:
        waves = {row["label"]: int(row["arcs"]) for row in csv.DictReader(stream)}
    assert waves == {s: len(arcs(active(strong, *period))) for s, period in STAGES.items()}


def test_pictures_say_which_ties_they_show(env: dict[str, str], tmp_path: Path) -> None:
    for picture, args in {
        "network.svg": ["plot", "network", "--stage", "s1"],
        "evolution.svg": ["plot", "evolution"],
        "survival.svg": ["plot", "survival", "--reform", "r"],
    }.items():
        all_ties, strong = tmp_path / f"all-{picture}", tmp_path / f"strong-{picture}"
        run(env, *args, "--out", str(all_ties))
        run(env, *args, "--out", str(strong), "--triangulated")
        assert "only triangulated ties" in strong.read_text(encoding="utf-8"), picture
        assert "only triangulated" not in all_ties.read_text(encoding="utf-8"), picture
    run(env, "plot", "evolution", "--out", str(tmp_path / "min2.svg"), "--min-evidence", "2")
    text = (tmp_path / "min2.svg").read_text(encoding="utf-8")
    assert "only ties with at least 2 evidence items" in text


def test_report_compares_all_and_triangulated_ties(env: dict[str, str], tmp_path: Path) -> None:
    strong = kept("triangulated")
    run(env, "report", "--out", str(tmp_path / "all.html"))
    page = (tmp_path / "all.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="robustness">') :]
    section = section[: section.index("</section>")]
    share = round(100 * len(strong) / len(TIES))
    assert f"Of the {len(TIES)} ties of the selected types, {len(strong)} ({share}%)" in section
    # the all-time row: ties and brokerage on each selection, "all / triangulated"
    assert f"{len(TIES)} / {len(strong)}" in section
    total = f"{len(brokered(TIES))} / {len(brokered(strong))}"
    assert total in section
    assert "Top brokers" in section and "Legitimacy" in section
    run(env, "report", "--out", str(tmp_path / "strong.html"), "--triangulated")
    page = (tmp_path / "strong.html").read_text(encoding="utf-8")
    assert "triangulated ties; broken-tie window" in page  # the selection line
    assert "The other sections of this report use triangulated ties" in page
    run(env, "report", "--out", str(tmp_path / "again.html"))
    # the same page, its provenance (time, file name) aside
    again, first = tmp_path / "again.html", tmp_path / "all.html"
    assert without_provenance(again) == without_provenance(first)
