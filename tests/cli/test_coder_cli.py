"""--coder NAME on every command that selects ties, and kb robustness --by coder.

A three-coder case built for it: Ann codes the community -> m -> public star, Bob a few of
the same ties and a second broker k, Cy one tie only. What each coder's network is, who
brokers in it and who reaches the public group are computed here by brute force (and
betweenness by networkx) from the coded lists below, not by kb.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.cli import ExitCode, app
from kb.graph import KnowledgeBase
from kb.imports import Dataset
from tests.cli.test_evidence_selection_cli import COMMANDS, commands, run, run_json
from tests.support import DatabaseState, fills_database

pytestmark = pytest.mark.neo4j

runner = CliRunner()

# Evidence items: id -> (kind, coder).
ITEMS = {
    "a1": ("interview", "Ann"),
    "b1": ("interview", "Bob"),
    "a2": ("interview", "Ann"),
    "a3": ("interview", "Ann"),
    "a4": ("interview", "Ann"),
    "a4b": ("document", "Ann"),
    "b4": ("interview", "Bob"),
    "a5": ("interview", "Ann"),
    "b6": ("interview", "Bob"),
    "b7": ("observation", "Bob"),
    "b8": ("interview", "Bob"),
    "y9": ("interview", "Cy"),
}
# id: source, target, directed, evidence
TIES: dict[str, tuple[str, str, bool, list[str]]] = {
    "t1": ("c1", "m", True, ["a1", "b1"]),
    "t2": ("c2", "m", True, ["a2"]),
    "t3": ("c3", "m", True, ["a3"]),
    "t4": ("m", "p1", True, ["a4", "a4b", "b4"]),
    "t5": ("m", "p2", True, ["a5"]),
    "t6": ("c3", "k", True, ["b6"]),
    "t7": ("k", "p2", True, ["b7"]),
    "t8": ("c2", "k", True, ["b8"]),
    "t9": ("c1", "o1", False, ["y9"]),
}
SECTORS = {
    "c1": "community",
    "c2": "community",
    "c3": "community",
    "m": "civil",
    "k": "civil",
    "p1": "public",
    "p2": "public",
    "z1": "citizen",
}
CODERS = ["Ann", "Bob", "Cy"]


def coded(coder: str | None, *, least: int = 1) -> set[str]:
    """The ties with at least ``least`` items of ``coder`` (None: every tie)."""
    if coder is None:
        return set(TIES)
    return {
        tie
        for tie, (*_, items) in TIES.items()
        if sum(1 for i in items if ITEMS[i][1].lower() == coder.lower()) >= least
    }


def arcs(ties: Iterable[str]) -> set[tuple[str, str]]:
    found = set()
    for tie in ties:
        source, target, directed, _ = TIES[tie]
        found.add((source, target))
        if not directed:
            found.add((target, source))
    return found


def case() -> dict[str, list[dict[str, Any]]]:
    return {
        "actors": [{"id": i, "name": i.upper(), "sector": s} for i, s in SECTORS.items()],
        "organizations": [{"id": "o1", "name": "O1", "sector": "public"}],
        "evidence": [
            {"id": i, "kind": kind, "quote": f"quote {i}", "coder": coder}
            for i, (kind, coder) in ITEMS.items()
        ],
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
                "type": "COLLABORATION" if tie == "t9" else "INFORMATION",
                "start": "2014-01",
                "end": "2016-03" if tie == "t9" else "",
                "directed": "yes" if directed else "no",
                "evidence": ";".join(items),
            }
            for tie, (source, target, directed, items) in TIES.items()
        ],
    }


@pytest.fixture
@fills_database
def env(
    cli_env: dict[str, str], kb: KnowledgeBase, database_state: DatabaseState
) -> dict[str, str]:
    def fill() -> None:
        kb.import_data(Dataset.from_records(case(), "coder-case"))

    database_state.hold(kb, f"{__name__}.case", fill)
    return cli_env


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_takes_coder_and_refuses_unknown_coders(
    env: dict[str, str], tmp_path: Path, name: str
) -> None:
    args = commands(tmp_path)[name]
    run(env, *args, "--coder", "bob", "--coder", "Ann")
    unknown = runner.invoke(app, [*args, "--coder", "Bobby"], env=env)
    assert unknown.exit_code == ExitCode.INVALID_INPUT, unknown.output
    assert "--coder" in unknown.output and "'Bobby'" in unknown.output
    assert all(c in unknown.output for c in CODERS), unknown.output  # lists who exists
    nothing = runner.invoke(app, [*args, "--coder", "Cy", "--triangulated"], env=env)
    assert nothing.exit_code == ExitCode.INVALID_INPUT, nothing.output
    assert "coded by Cy" in nothing.output


@pytest.mark.parametrize("coder", [*CODERS, "ann"])
def test_brokerage_and_legitimacy_read_only_the_coders_ties(
    env: dict[str, str], coder: str
) -> None:
    ties = coded(coder)
    broker = run_json(env, "brokerage", "--coder", coder)
    assert broker["network"]["total"]["raw"] == len(brokered_of(ties))
    rows = run_json(env, "legitimacy", "--from", "community", "--to", "public", "--coder", coder)
    assert {r["source"] for r in rows if r["reached"]} == reaching(ties)


def test_min_evidence_and_triangulated_count_only_the_coders_items(env: dict[str, str]) -> None:
    pooled = run_json(env, "brokerage", "--min-evidence", "2")
    assert pooled["network"]["total"]["raw"] == len(brokered_of({"t1", "t4"}))
    anns = run_json(env, "brokerage", "--min-evidence", "2", "--coder", "Ann")
    assert anns["network"]["total"]["raw"] == len(brokered_of({"t4"})) == 0
    bobs = runner.invoke(app, ["brokerage", "--min-evidence", "2", "--coder", "Bob"], env=env)
    assert bobs.exit_code == ExitCode.INVALID_INPUT, bobs.output
    # t4 is triangulated by Ann's interview and document, not by Bob's interview alone
    strong = run_json(env, "centrality", "--triangulated", "--coder", "Ann")
    assert {a["id"] for a in strong["actors"] if a["degree"]} == {"m", "p1"}
    weak = runner.invoke(app, ["centrality", "--triangulated", "--coder", "Bob"], env=env)
    assert weak.exit_code == ExitCode.INVALID_INPUT, weak.output


def brokered_of(ties: Iterable[str]) -> set[tuple[str, str, str]]:
    return brokered_lines(arcs(ties))


def brokered_lines(lines: set[tuple[str, str]]) -> set[tuple[str, str, str]]:
    return {
        (a, b, c) for a, b in lines for b2, c in lines if b2 == b and a != c and (a, c) not in lines
    }


def reaching(ties: Iterable[str]) -> set[str]:
    """Community actors with a directed path to a public actor (o1 is public too)."""
    lines = arcs(ties)
    public = {a for a, s in SECTORS.items() if s == "public"} | {"o1"}
    found = set()
    for source in (a for a, s in SECTORS.items() if s == "community"):
        seen, frontier = {source}, {source}
        while frontier:
            frontier = {b for a, b in lines if a in frontier} - seen
            seen |= frontier
        if seen & public - {source}:
            found.add(source)
    return found


def scores(ties: set[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Every actor's total brokerage (brute force) and betweenness (networkx)."""
    import networkx as nx

    actors = [*SECTORS, "o1"]
    brokerage = dict.fromkeys(actors, 0.0)
    for _, b, _ in brokered_of(ties):
        brokerage[b] += 1
    graph = nx.DiGraph(list(arcs(ties)))
    graph.add_nodes_from(actors)
    between = nx.betweenness_centrality(graph, normalized=False)
    return brokerage, {a: float(between[a]) for a in actors}


def rank_correlation(x: list[float], y: list[float]) -> float:
    """Pearson's r of mean ranks, written out (R's cor(method = "spearman"))."""

    def ranks(values: list[float]) -> list[float]:
        order = sorted(values)
        return [order.index(v) + (order.count(v) + 1) / 2 for v in values]

    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    var = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return float(cov / var)


def test_robustness_by_coder(env: dict[str, str]) -> None:
    result = run_json(env, "robustness", "--by", "coder", "--from", "community", "--to", "public")
    assert [row["coder"] for row in result["coders"]] == CODERS
    pooled_brokerage, pooled_between = scores(set(TIES))
    assert result["pooled"]["ties"] == len(TIES)
    assert result["mode"] == "directed"
    top = max(pooled_brokerage.values())
    assert [b["id"] for b in result["pooled"]["top"]][0] == "m"
    assert pooled_brokerage["m"] == top
    for row in result["coders"]:
        ties = coded(row["coder"])
        assert row["ties"] == len(ties)
        actors = sorted({a for arc in arcs(ties) for a in arc})
        assert row["actors"] == len(actors)
        brokerage, between = scores(ties)
        if len(actors) < 5:
            assert row["brokerage_rho"] is None and "too small" in row["brokerage_problem"]
            assert row["betweenness_rho"] is None and "too small" in row["betweenness_problem"]
            continue
        expected = rank_correlation(
            [pooled_brokerage[a] for a in actors], [brokerage[a] for a in actors]
        )
        assert row["brokerage_rho"] == pytest.approx(expected)
        expected = rank_correlation(
            [pooled_between[a] for a in actors], [between[a] for a in actors]
        )
        assert row["betweenness_rho"] == pytest.approx(expected)
        pooled_top = {b["id"] for b in result["pooled"]["top"]}
        assert row["top_shared"] == len(pooled_top & {b["id"] for b in row["top"]})
    assert {row["coder"] for row in result["coders"] if row["brokerage_rho"] is None} == {"Cy"}
    findings = {(f["finding"], f["subject"]): f for f in result["findings"]}
    assert findings["top_broker", "m"]["holds"] == {"Ann": True, "Bob": False, "Cy": None}
    assert findings["top_betweenness", "m"]["holds"] == {"Ann": True, "Bob": False, "Cy": None}
    assert {s for kind, s in findings if kind == "reaches"} == reaching(set(TIES))
    for source in reaching(set(TIES)):
        holds = findings["reaches", source]["holds"]
        assert holds == {c: source in reaching(coded(c)) for c in CODERS}, source
    every = {f["subject"] for f in result["findings"] if f["every_coder"]}
    assert every == {s for s in reaching(set(TIES)) if all(s in reaching(coded(c)) for c in CODERS)}
    assert every == {"c1"}  # Cy's one tie c1 - o1 reaches o1 (public)
    # Ann and Bob alone: every community actor reaches the public group for both of them
    two = run_json(env, "robustness", "--coder", "Ann", "--coder", "Bob")
    assert [row["coder"] for row in two["coders"]] == ["Ann", "Bob"]
    assert {f["subject"] for f in two["findings"] if f["every_coder"]} == {"c1", "c2", "c3"}
    table = run(env, "robustness")
    assert "Headline findings" in table.output and "too small" in table.output


def test_robustness_refuses_unknown_coders_and_groups(env: dict[str, str]) -> None:
    unknown = runner.invoke(app, ["robustness", "--coder", "Zoe"], env=env)
    assert unknown.exit_code == ExitCode.INVALID_INPUT, unknown.output
    assert "Ann" in unknown.output
    group = runner.invoke(app, ["robustness", "--to", "publik"], env=env)
    assert group.exit_code == ExitCode.INVALID_INPUT, group.output
    assert "public" in group.output


def test_report_has_robustness_by_coder(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "report", "--out", str(tmp_path / "report.html"))
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="robustness-coders">') :]
    section = section[: section.index("</section>")]
    assert '<a href="#robustness-coders">' in page
    for coder in CODERS:
        assert f"<td>{coder}</td>" in section
    assert "too small: 2 actors with ties" in section  # Cy: no number for two actors
    assert "M is the top broker" in section and "C1 reaches a public actor" in section


def test_report_leaves_robustness_by_coder_out_with_one_coder(kb: KnowledgeBase) -> None:
    from kb.presentation.report import render_report

    records = case()
    for item in records["evidence"]:
        item["coder"] = "Ann"
    kb.import_data(Dataset.from_records(records, "one-coder"))
    page = render_report(kb.case_results())
    assert "robustness-coders" not in page and "Robustness by coder" not in page


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_resolves_coders_as_stored(
    env: dict[str, str], tmp_path: Path, name: str
) -> None:
    """Accents, case and --coder-alias resolve before the query runs, on every command
    (the Cypher fragment alone compares case only and knows no alias)."""
    args = commands(tmp_path)[name]
    run(env, *args, "--coder", "ÁNN")
    run(env, *args, "--coder", "B", "--coder-alias", "B=Bob")
    lone = runner.invoke(app, [*args, "--coder-alias", "B=Bob"], env=env)
    assert lone.exit_code == ExitCode.INVALID_INPUT, lone.output
    assert "--coder-alias" in lone.output and "--coder " in lone.output


def test_results_record_the_coders(env: dict[str, str]) -> None:
    anns = run_json(env, "brokerage", "--coder", "ánn")
    assert anns["coders"] == ["Ann"]
    assert anns == run_json(env, "brokerage", "--coder", "A", "--coder-alias", "A=Ann")
    assert anns["network"]["total"]["raw"] == len(brokered_of(coded("Ann")))
    assert run_json(env, "brokerage")["coders"] is None
    assert run_json(env, "centrality", "--coder", "bob")["coders"] == ["Bob"]
    assert run_json(env, "paths", "c1", "p2", "--coder", "BOB", "--coder", "ann")["coders"] == [
        "Bob",
        "Ann",
    ]
    rows = run_json(env, "legitimacy", "--from", "community", "--to", "public", "--coder", "cy")
    assert rows and all(r["coders"] == ["Cy"] for r in rows)
    evolution = run_json(env, "evolution", "--coder", "Bob")
    assert evolution and all(r["coders"] == ["Bob"] for r in evolution)
    survival = run_json(
        env, "reforms", "survival", "--reform", "r", "--placebo", "0", "--coder", "Ann"
    )
    assert survival["coders"] == ["Ann"]
    table = run(env, "centrality", "--coder", "ánn").stdout
    assert "coded by Ann" in " ".join(table.split()), table


def test_library_resolves_a_selections_coders(env: dict[str, str], kb: KnowledgeBase) -> None:
    from kb.analyses.selection import Selection

    found = kb.brokerage(Selection(coders=("ÁNN",)))
    assert found.coders == ["Ann"]
    assert found.network["total"]["raw"] == len(brokered_of(coded("Ann")))


def test_add_evidence_resolves_aliases_and_warns_of_lookalikes(
    cli_env: dict[str, str], kb: KnowledgeBase
) -> None:
    kb.import_data(
        Dataset.from_records(
            {
                "evidence": [
                    {"id": "e1", "kind": "interview", "quote": "q", "coder": "Julie Lavallée"}
                ]
            },
            "coders",
        )
    )
    added = ["add", "evidence", "--kind", "interview", "--quote", "q2"]
    aliased = run(
        cli_env, *added, "--id", "e2", "--coder", "JL", "--coder-alias", "JL=Julie Lavallée"
    )
    assert "Warning" not in aliased.output
    alike = run(cli_env, *added, "--id", "e3", "--coder", "J. Lavallée")
    assert "look like one person" in alike.output and "J. Lavallée" in alike.output
    other = run_json(cli_env, *added, "--id", "e4", "--coder", "Marc Roy")
    assert other["warnings"] == []
    coders = {r["coder"] for r in kb.read("vocabulary/coders")}
    assert coders == {"Julie Lavallée", "J. Lavallée", "Marc Roy"}
