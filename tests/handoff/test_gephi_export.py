"""kb's own GEXF export opened with the real Gephi (toolkit 0.10.1, Desktop's import steps).

The example case (examples/quebec-wg) is imported into the test Neo4j, exported with
``kb export gexf`` (mixed) and ``--directed``, and opened with Gephi; what Gephi sees is
compared with counts of ties and spells from Neo4j. tests/data/network-shapes holds the
cases the example lacks (overlapping spells, a pair with a directed and an undirected tie
of one type, values Gephi rewrites). Java 17 and Maven are needed (tests/handoff/gephi).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree
from typer.testing import CliRunner

from kb.cli import app
from kb.graph import KnowledgeBase
from tests.handoff.gephi.gephi import open_in_gephi, severe_issues
from tests.handoff.network_counts import network_counts
from tests.support import ROOT

pytestmark = [pytest.mark.neo4j, pytest.mark.gephi]

SHAPES = ROOT / "tests" / "data" / "network-shapes"
GEXF_GEPHI = ROOT / "tests" / "data" / "gexf" / "gexf-gephi.rng"
runner = CliRunner()


def values(edge: dict[str, Any], column: str) -> list[tuple[str, str, Any]]:
    """A dynamic attribute as Gephi holds it: (start, end, value) triples."""
    return [(v["start"], v["end"], v["value"]) for v in edge["attributes"][column] or []]


def ties_of(edge: dict[str, Any]) -> list[str]:
    """The tie or membership ids an edge holds, over all its spells."""
    return [i for _, _, ids in values(edge, "kb_id") for i in ids.split(" | ")]


def export(cli_env: dict[str, str], path: Path, *options: str) -> tuple[dict[str, Any], list[str]]:
    """``kb export gexf`` through the CLI; what Gephi sees, and the warnings kb printed."""
    result = runner.invoke(app, ["export", "gexf", str(path), *options], env=cli_env)
    assert result.exit_code == 0, result.output
    grammar = etree.RelaxNG(etree.parse(str(GEXF_GEPHI)))
    assert grammar.validate(etree.parse(str(path))), grammar.error_log
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    return open_in_gephi(path), warnings


def test_gephi_opens_the_example_as_a_mixed_graph_with_every_tie_and_spell(
    example: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    counts = network_counts(example)
    seen, warnings = export(cli_env, tmp_path / "case.gexf")
    assert warnings == []
    assert severe_issues(seen) == []
    assert [i["level"] for i in seen["issues"]] == ["INFO"]  # "GEXF version 1.3"
    assert seen["container"]["edge_default"] == "MIXED"
    assert seen["graph_type"] == "mixed"
    assert seen["node_count"] == counts["actors"]
    groups = counts["tie_groups"] + counts["membership_groups"]
    assert seen["edge_count"] == groups
    assert seen["undirected_edge_count"] == counts["undirected_tie_groups"]
    assert seen["directed_edge_count"] == groups - counts["undirected_tie_groups"]
    edges = seen["edges"]
    # Every tie and membership, each once, and no two of one edge overlapping in time...
    held = [i for e in edges for i in ties_of(e)]
    assert len(held) == len(set(held)) == counts["ties"] + counts["memberships"]
    assert all(len(v.split(" | ")) == 1 for e in edges for _, _, v in values(e, "kb_id"))
    # ...so each dated one is one of Gephi's intervals.
    intervals = sum(e["interval_count"] for e in edges)
    assert intervals == counts["dated_ties"] + counts["dated_memberships"]
    # Tie types are text, never rewritten (INFORMATION -> InfinityORMATION).
    kinds = {e["kind"] for e in edges}
    records, _, _ = example.driver.execute_query("MATCH ()-[t:TIE]->() RETURN DISTINCT t.type")
    assert kinds == {r[0] for r in records} | {"MEMBER_OF"}
    assert all(e["label"] == e["kind"] for e in edges)
    assert "type" not in {c["id"] for c in seen["edge_columns"]}


def test_a_reformed_tie_is_one_gephi_edge_with_each_spell_and_its_own_values(
    example: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    records, _, _ = example.driver.execute_query(
        "MATCH ()-[t:TIE]->() WHERE t.id IN ['t-025', 't-106'] "
        "RETURN t.id AS id, t.evidence AS evidence, toString(t.start_first) AS first, "
        "toString(t.end_last) AS last ORDER BY t.start_first"
    )
    first, second = (r.data() for r in records)
    seen, _ = export(cli_env, tmp_path / "case.gexf")
    edge = next(e for e in seen["edges"] if e["id"] == "t-025")
    assert edge["intervals"] == [[first["first"], first["last"]], [second["first"], "inf"]]
    assert values(edge, "kb_id") == [
        (first["first"], first["last"], "t-025"),
        (second["first"], "inf", "t-106"),
    ]
    assert [v for _, _, v in values(edge, "evidence")] == [
        ";".join(first["evidence"]),
        ";".join(second["evidence"]),
    ]
    assert [w["value"] for w in edge["weight"]] == [1.0, 1.0]  # no weight recorded: 1
    assert "t-106" not in {e["id"] for e in seen["edges"]}


def test_gephi_and_networkx_open_the_directed_variant(
    example: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    counts = network_counts(example)
    path = tmp_path / "case-directed.gexf"
    seen, _ = export(cli_env, path, "--directed")
    assert severe_issues(seen) == []
    assert seen["graph_type"] == "directed"
    arcs = counts["tie_groups"] + counts["undirected_tie_groups"] + counts["membership_groups"]
    assert seen["edge_count"] == seen["directed_edge_count"] == arcs
    reverse = [e for e in seen["edges"] if e["id"].endswith("~reverse")]
    assert len(reverse) == counts["undirected_tie_groups"]
    assert all(e["attributes"]["directed"] is False for e in reverse)
    graph = nx.read_gexf(path)
    assert graph.is_directed() and graph.number_of_edges() == arcs


def test_what_gephi_cannot_hold_is_kept_apart_and_warned_about(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    kb.import_data(SHAPES)
    for options in ((), ("--directed",)):
        seen, warnings = export(cli_env, tmp_path / "shapes.gexf", *options)
        assert severe_issues(seen) == []
        edges = {e["id"]: e for e in seen["edges"]}
        # t-07 (undirected) and t-08 (directed) are both ADVICE between p-d and p-e.
        assert (edges["t-07"]["kind"], edges["t-08"]["kind"]) == ("ADVICE (undirected)", "ADVICE")
        assert "t-07" in warnings[0] and "t-08" in warnings[0]
        # Overlapping spells: one interval, three pieces, the shared one holding both ties.
        advice = edges["t-05"]
        assert advice["intervals"] == [["2014-01-01", "2016-12-31"]]
        assert [v for _, _, v in values(advice, "kb_id")] == ["t-05", "t-05 | t-06", "t-06"]
        assert [w["value"] for w in advice["weight"]] == [1.0, 4.0, 3.0]
        # Gephi rewrites INF, kb says so.
        assert "InfinityORMAL sector" in {n["attributes"]["sector"] for n in seen["nodes"]}
        assert "'INFORMAL sector'" in warnings[1] and "'INFO desk volunteer'" in warnings[1]
        held = [i for e in seen["edges"] for i in set(ties_of(e)) if i.startswith("t-")]
        reverse = 4 if options else 0  # the reverse arcs of t-03/t-04, t-07 and t-11
        assert len(set(held)) == 11 and len(held) == 11 + reverse
