"""Exports against the real Neo4j: GEXF validity and content, GraphML read back by networkx
and igraph, and the CSV export re-imported into an empty database giving the same graph."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pytest
from lxml import etree
from typer.testing import CliRunner

from kb.analyses.selection import Selection, parse_types
from kb.cli import ExitCode, app
from kb.errors import KBError, ValidationError
from kb.exports import gexf, graphml, tables
from kb.graph import KnowledgeBase
from kb.model import TABLE_SPECS, TABLES
from tests.support import DatabaseState, fills_database, snapshot, write_csv_folder

pytestmark = pytest.mark.neo4j

# The published GEXF 1.3 XSD does not compile (gephi/gexf#19), so files are checked against
# the RELAX NG grammar the XSD is generated from, plus the `mode` on <attributes> that Gephi
# needs and 1.3 dropped (gexf-gephi.rng); see tests/data/gexf/README.md.
DATA = Path(__file__).resolve().parent.parent / "data"
GEXF_GRAMMAR = DATA / "gexf" / "gexf-gephi.rng"
GEXF_1_3 = DATA / "gexf" / "gexf.rng"
SHAPES = DATA / "network-shapes"
NS = "{http://gexf.net/1.3}"
runner = CliRunner()

# Every table, partial dates, extra columns (with commas, quotes, line breaks and accents),
# directed and undirected ties, weights, an explicit tie id, reform effects with a
# successor, positions and evidence lists.
RICH: dict[str, list[dict[str, Any]]] = {
    "case": [
        {
            "id": "wg-case",
            "name": "Working group study",
            "observed_from": "2015",
            "observed_until": "2018-12",
            "description": "three years of fieldwork",
        },
    ],
    "territories": [
        {"id": "qc", "name": "Québec", "kind": "province"},
        {"id": "r1", "name": "Région Centre-Nord", "kind": "region", "parent": "qc"},
        {"id": "l1", "name": "RLS Rivière", "kind": "RLS", "parent": "r1"},
    ],
    "organizations": [
        {
            "id": "wg",
            "name": "Working group",
            "kind": "working group",
            "sector": "community",
            "territory": "l1",
            "founded": "2015",
        },
        {
            "id": "csss",
            "name": "CSSS Rivière",
            "kind": "public institution",
            "sector": "public",
            "territory": "l1",
            "note": 'merged, "absorbed"\ninto the CIUSSS',
        },
        {
            "id": "ciusss",
            "name": "CIUSSS Centre-Nord",
            "kind": "public institution",
            "sector": "public",
            "territory": "r1",
        },
        {"id": "agence", "name": "Agence régionale", "kind": "agency", "sector": "public"},
    ],
    "actors": [
        {"id": "p1", "name": "Anne Tremblay (fictional)", "sector": "community", "territory": "l1"},
        {"id": "p2", "name": "Bob Gagnon (fictional)", "sector": "public", "interviewed": "yes"},
        {"id": "p3", "name": "Élise Côté (fictional)", "sector": "citizen"},
    ],
    "documents": [
        {
            "id": "d1",
            "title": "Minutes, March meeting",
            "date": "2016-03",
            "kind": "minutes",
            "author": "p1",
            "path": "docs/minutes-2016-03.pdf",
        },
        {"id": "d2", "title": "Brief to the CIUSSS", "date": "2017", "author": "wg"},
    ],
    "evidence": [
        {
            "id": "e1",
            "kind": "interview",
            "date": "2016-03",
            "quote": "On se parle; [souvent]",
            "location": "00:12:40",
            "coder": "JD",
        },
        {"id": "e2", "kind": "document", "date": "2016", "document": "d1", "location": "p. 3"},
        {"id": "e3", "kind": "observation", "date": "2017-05-02", "note": 'said "later"'},
        {"id": "e4", "kind": "other"},
    ],
    "meetings": [
        {
            "id": "m1",
            "date": "2016-03-14",
            "title": "WG monthly",
            "kind": "working group",
            "venue": "Centre communautaire",
            "territory": "l1",
            "minutes_taker": "p1",
        },
        {"id": "m2", "date": "2016-05"},
    ],
    "stages": [
        {
            "id": "s1",
            "name": "Problem definition",
            "start": "2015-09",
            "end": "2016-06",
            "description": "validating access problems",
        },
        {"id": "s2", "name": "Mobilization", "start": "2016-07"},
    ],
    "reforms": [
        {
            "id": "bill-10",
            "name": "Bill 10",
            "date": "2015-04-01",
            "jurisdiction": "Québec",
            "description": "agencies abolished; CISSS/CIUSSS created",
        },
        {"id": "bill-20", "name": "Bill 20", "date": "2015-11-10"},
    ],
    "problems": [
        {"id": "pb1", "statement": "Access to home care is hard", "category": "access"},
        {"id": "pb2", "statement": "Nobody answers at the CLSC"},
    ],
    "ties": [
        {
            "source": "p1",
            "target": "p2",
            "type": "collaboration",
            "start": "2015",
            "end": "2016-06",
            "directed": "false",
            "evidence": "e1;e2",
        },
        {
            "source": "p2",
            "target": "csss",
            "type": "INFORMATION",
            "start": "2016-03",
            "weight": "2,5",
            "evidence": "e2",
        },
        {
            "source": "p1",
            "target": "wg",
            "type": "ADVICE",
            "start": "2016",
            "weight": "1",
            "id": "tie-advice-1",
            "note": "asked twice, then stopped",
        },
        {
            "source": "p3",
            "target": "ciusss",
            "type": "FUNDING",
            "start": "2017-01-15",
            "end": "2017-12",
        },
        {
            "source": "wg",
            "target": "csss",
            "type": "COLLABORATION",
            "directed": "no",
            "weight": "0.75",
        },
    ],
    "memberships": [
        {
            "person": "p2",
            "organization": "csss",
            "role": "organizer, community",
            "start": "2014",
            "end": "2015-04-01",
        },
        {
            "person": "p1",
            "organization": "wg",
            "role": "member",
            "start": "2015-09",
            "evidence": "e3",
        },
        {"person": "p3", "organization": "wg", "source_note": "self-reported"},
    ],
    "attendance": [
        {"meeting": "m1", "actor": "p1", "role": "chair", "evidence": "e3"},
        {"meeting": "m1", "actor": "p2"},
        {"meeting": "m2", "actor": "p3", "role": "observer"},
    ],
    "reform_effects": [
        {
            "reform": "bill-10",
            "organization": "csss",
            "effect": "merged_into",
            "successor": "ciusss",
            "date": "2015-04-01",
        },
        {"reform": "bill-10", "organization": "agence", "effect": "abolished", "date": "2015-04"},
    ],
    "positions": [
        {"actor": "p1", "problem": "pb1", "stance": "agree", "date": "2016", "evidence": "e1"},
        {"actor": "p2", "problem": "pb1", "stance": "disagree", "date": "2016-05"},
        {"actor": "csss", "problem": "pb2", "stance": "neutral"},
    ],
    "mentions": [
        {"evidence": "e1", "actor": "p1"},
        {"evidence": "e1", "actor": "p2"},
    ],
}
ACTORS = {"wg", "csss", "ciusss", "agence", "p1", "p2", "p3"}


@pytest.fixture
@fills_database
def rich(kb: KnowledgeBase, database_state: DatabaseState, tmp_path: Path) -> KnowledgeBase:
    """The test database holding RICH."""
    database_state.hold(
        kb, f"{__name__}.RICH", lambda: kb.import_data(write_csv_folder(tmp_path / "rich", RICH))
    )
    return kb


def read_table(folder: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    with (folder / f"{table}.csv").open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


def gexf_edges(root: ET.Element) -> dict[tuple[str, str, str], ET.Element]:
    """(source, target, label) -> edge element."""
    return {
        (e.get("source", ""), e.get("target", ""), e.get("label", "")): e
        for e in root.iter(f"{NS}edge")
    }


def attvalues(element: ET.Element) -> dict[str, str]:
    """Static attribute values (those without a spell)."""
    return {
        a.get("for", ""): a.get("value", "")
        for a in element.iter(f"{NS}attvalue")
        if "start" not in a.attrib and "end" not in a.attrib
    }


def dynamic_values(element: ET.Element) -> dict[str, list[tuple[str, str | None, str | None]]]:
    """Every attribute value as (value, start, end), by column."""
    found: dict[str, list[tuple[str, str | None, str | None]]] = {}
    for a in element.iter(f"{NS}attvalue"):
        found.setdefault(a.get("for", ""), []).append(
            (a.get("value", ""), a.get("start"), a.get("end"))
        )
    return found


def spells(edge: ET.Element) -> list[dict[str, str]] | None:
    found = edge.find(f"{NS}spells")
    return None if found is None else [dict(s.attrib) for s in found]


def gexf_grammar() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(GEXF_GRAMMAR)))


# -- CSV: the import format, round trip ------------------------------------------------------


def test_csv_export_reimported_into_an_empty_database_gives_the_same_graph(
    rich: KnowledgeBase, tmp_path: Path
) -> None:
    before = snapshot(rich)
    result = tables.write_csv(rich, tmp_path / "out")
    assert result.warnings == []
    assert result.counts == {table: len(RICH[table]) for table in TABLES}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{t}.csv" for t in TABLES
    )
    rich.reset()
    assert snapshot(rich) == []
    report = rich.import_data(tmp_path / "out")
    assert report.warnings == []
    assert snapshot(rich) == before
    # And the export of the re-imported graph is the same files.
    tables.write_csv(rich, tmp_path / "again")
    for table in TABLES:
        assert read_table(tmp_path / "again", table) == read_table(tmp_path / "out", table)


def test_csv_export_writes_the_import_columns_and_cells(
    rich: KnowledgeBase, tmp_path: Path
) -> None:
    tables.write_csv(rich, tmp_path)
    for spec in TABLE_SPECS:
        header, _ = read_table(tmp_path, spec.name)
        assert header[: len(spec.columns)] == [c.name for c in spec.columns], spec.name
    header, orgs = read_table(tmp_path, "organizations")
    declared = next(len(spec.columns) for spec in TABLE_SPECS if spec.name == "organizations")
    assert header[declared:] == ["founded", "note"]  # extra columns, by name
    csss = next(r for r in orgs if r["id"] == "csss")
    assert csss["note"] == 'merged, "absorbed"\ninto the CIUSSS'
    _, ties = read_table(tmp_path, "ties")
    collab = next(t for t in ties if t["source"] == "p1" and t["target"] == "p2")
    assert (collab["type"], collab["start"], collab["end"]) == ("COLLABORATION", "2015", "2016-06")
    assert (collab["directed"], collab["evidence"]) == ("false", "e1;e2")
    assert collab["id"].startswith("t-")
    info = next(t for t in ties if t["type"] == "INFORMATION")
    assert (info["weight"], info["directed"], info["end"]) == ("2.5", "true", "")
    advice = next(t for t in ties if t["id"] == "tie-advice-1")
    assert advice["note"] == "asked twice, then stopped"
    _, effects = read_table(tmp_path, "reform_effects")
    merged = next(e for e in effects if e["effect"] == "merged_into")
    assert (merged["successor"], merged["date"]) == ("ciusss", "2015-04-01")
    raw = (tmp_path / "actors.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Excel shows the accents
    assert "Élise Côté" in raw.decode("utf-8-sig")


def test_csv_export_types_and_at_thin_out_ties_and_memberships(
    rich: KnowledgeBase, tmp_path: Path
) -> None:
    result = tables.write_csv(
        rich, tmp_path / "out", Selection.build(types="collaboration", at="2016")
    )
    _, ties = read_table(tmp_path / "out", "ties")
    # p1-p2 (2015 to 2016-06) and wg-csss (no dates: always) are COLLABORATION in 2016.
    assert {(t["source"], t["target"]) for t in ties} == {("p1", "p2"), ("wg", "csss")}
    _, members = read_table(tmp_path / "out", "memberships")
    # p2's membership ended 2015-04-01; the others are open-ended.
    assert {m["person"] for m in members} == {"p1", "p3"}
    assert result.counts["evidence"] == len(RICH["evidence"])  # other tables whole
    rich.reset()
    report = rich.import_data(tmp_path / "out")
    assert report.outcomes["ties"] == {"created": 2}


def test_csv_export_leaves_out_properties_the_import_cannot_read_back(
    rich: KnowledgeBase, tmp_path: Path
) -> None:
    rich.driver.execute_query(
        "MATCH (o:Organization {id: 'wg'}) SET o.kb_internal = 1, o.CamelCase = 'x', o.ok = 2"
    )
    result = tables.write_csv(rich, tmp_path)
    assert len(result.warnings) == 1
    assert "CamelCase" in result.warnings[0] and "kb_internal" in result.warnings[0]
    header, orgs = read_table(tmp_path, "organizations")
    assert "kb_internal" not in header and "CamelCase" not in header
    assert next(r for r in orgs if r["id"] == "wg")["ok"] == "2"


# -- GEXF ------------------------------------------------------------------------------------


def test_gexf_is_valid_gexf_for_gephi_with_the_actor_network(
    rich: KnowledgeBase, tmp_path: Path
) -> None:
    path = tmp_path / "case.gexf"
    result = gexf.write_gexf(rich, path)
    assert result.counts == {
        "actors": 7,
        "ties": 5,
        "memberships": 3,
        "edges": 8,
        "undirected_edges": 2,
    }
    assert result.warnings == []
    grammar = gexf_grammar()
    assert grammar.validate(etree.parse(str(path))), grammar.error_log
    root = ET.parse(path).getroot()
    assert root.tag == f"{NS}gexf" and root.get("version") == "1.3"
    graph = root.find(f"{NS}graph")
    assert graph is not None
    # No defaultedgetype: Gephi would drop every edge of the other direction.
    assert graph.attrib == {"mode": "dynamic", "timeformat": "date"}
    nodes = {n.get("id"): n for n in root.iter(f"{NS}node")}
    assert set(nodes) == ACTORS
    assert nodes["p3"].get("label") == "Élise Côté (fictional)"
    assert attvalues(nodes["p1"]) == {
        "sector": "community",
        "labels": "Actor;Person",
        "territory": "l1",
    }
    assert attvalues(nodes["csss"])["kind"] == "public institution"
    assert attvalues(nodes["wg"])["founded"] == "2015"  # extra property
    edges = gexf_edges(root)
    assert len(edges) == 8
    assert all(s in nodes and t in nodes for s, t, _ in edges)
    assert all(e.get("kind") == label for (_, _, label), e in edges.items())
    collab = edges["p1", "p2", "COLLABORATION"]
    assert collab.get("type") == "undirected"
    assert spells(collab) == [{"start": "2015-01-01", "end": "2016-06-30"}]
    over = ("2015-01-01", "2016-06-30")
    assert dynamic_values(collab) == {
        "relation": [("tie", None, None)],
        "weight": [("1.0", *over)],
        "kb_id": [(collab.get("id", ""), *over)],
        "start": [("2015", *over)],
        "end": [("2016-06", *over)],
        "evidence": [("e1;e2", *over)],
    }
    assert collab.get("weight") == "1.0"  # no weight recorded: 1, never 0
    info = edges["p2", "csss", "INFORMATION"]
    assert (info.get("type"), info.get("weight")) == ("directed", "2.5")
    assert spells(info) == [{"start": "2016-03-01"}]  # open end left out
    assert dynamic_values(info)["tie_weight"] == [("2.5", "2016-03-01", None)]
    undated = edges["csss", "wg", "COLLABORATION"]  # undirected: the pair in id order
    assert spells(undated) is None  # no dates: always there
    assert dynamic_values(undated)["weight"] == [("0.75", None, None)]
    assert edges["p1", "wg", "ADVICE"].get("id") == "tie-advice-1"
    member = edges["p2", "csss", "MEMBER_OF"]
    assert spells(member) == [{"start": "2014-01-01", "end": "2015-04-01"}]
    assert attvalues(member) == {"relation": "membership"}
    assert dynamic_values(member)["role"] == [("organizer, community", "2014-01-01", "2015-04-01")]
    assert len({e.get("id") for e in edges.values()}) == 8
    # The tie type is never an attribute value: Gephi reads INFORMATION as InfinityORMATION.
    assert not any(a.get("for") == "type" for a in root.iter(f"{NS}attvalue"))


def test_gexf_deviates_from_the_1_3_grammar_only_by_mode_on_attributes(
    rich: KnowledgeBase, tmp_path: Path
) -> None:
    path = tmp_path / "case.gexf"
    gexf.write_gexf(rich, path)
    document = etree.parse(str(path))
    strict = etree.RelaxNG(etree.parse(str(GEXF_1_3)))
    assert not strict.validate(document)
    for attributes in document.iter(f"{NS}attributes"):
        attributes.attrib.pop("mode", None)
    assert strict.validate(document), strict.error_log


def test_gexf_writes_one_edge_per_type_direction_and_pair(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    kb.import_data(SHAPES)  # tests/data/network-shapes/README.md lists its cases
    path = tmp_path / "shapes.gexf"
    result = gexf.write_gexf(kb, path)
    assert (result.counts["edges"], result.counts["undirected_edges"]) == (11, 3)
    assert gexf_grammar().validate(etree.parse(str(path)))
    edges = {e.get("id"): e for e in ET.parse(path).getroot().iter(f"{NS}edge")}
    reformed = edges["t-01"]
    assert spells(reformed) == [
        {"start": "2009-01-01", "end": "2015-06-30"},
        {"start": "2015-10-01"},
    ]
    assert dynamic_values(reformed)["kb_id"] == [
        ("t-01", "2009-01-01", "2015-06-30"),
        ("t-02", "2015-10-01", None),
    ]
    assert dynamic_values(reformed)["weight"] == [
        ("2.0", "2009-01-01", "2015-06-30"),
        ("1.0", "2015-10-01", None),
    ]
    assert reformed.get("weight") == "3.0"  # the sum, for readers without dynamic weights
    # Recorded as p-b - p-c, then as p-c - p-b: one undirected edge.
    other_order = edges["t-03"]
    assert (other_order.get("source"), other_order.get("target")) == ("p-b", "p-c")
    assert [v for v, _, _ in dynamic_values(other_order)["kb_id"]] == ["t-03", "t-04"]
    overlapping = edges["t-05"]
    assert spells(overlapping) == [{"start": "2014-01-01", "end": "2016-12-31"}]
    assert dynamic_values(overlapping)["kb_id"] == [
        ("t-05", "2014-01-01", "2015-05-31"),
        ("t-05 | t-06", "2015-06-01", "2015-12-31"),
        ("t-06", "2016-01-01", "2016-12-31"),
    ]
    assert [v for v, _, _ in dynamic_values(overlapping)["note"]] == ["one source", "one source | "]
    assert [v for v, _, _ in dynamic_values(overlapping)["weight"]] == ["1.0", "4.0", "3.0"]
    assert edges["t-07"].get("kind") == "ADVICE (undirected)"
    assert edges["t-08"].get("kind") == "ADVICE"
    assert "t-10" in edges and "t-11" in edges and "t-02" not in edges
    assert len(result.warnings) == 2
    assert result.warnings[0].startswith("ADVICE between p-d and p-e is both directed (t-08)")
    assert "2 attribute value(s) contain 'INF'" in result.warnings[1]


def test_gexf_directed_variant_writes_undirected_groups_as_two_arcs(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    kb.import_data(SHAPES)
    path = tmp_path / "shapes-directed.gexf"
    result = gexf.write_gexf(kb, path, directed=True)
    assert (result.counts["edges"], result.counts["undirected_edges"]) == (14, 0)
    assert gexf_grammar().validate(etree.parse(str(path)))
    root = ET.parse(path).getroot()
    graph = root.find(f"{NS}graph")
    assert graph is not None and graph.get("defaultedgetype") == "directed"
    edges = {e.get("id"): e for e in root.iter(f"{NS}edge")}
    assert {e.get("type") for e in edges.values()} == {"directed"}
    arcs = [(edges[i].get("source"), edges[i].get("target")) for i in ("t-03", "t-03~reverse")]
    assert arcs == [("p-b", "p-c"), ("p-c", "p-b")]
    assert attvalues(edges["t-03~reverse"])["directed"] == "false"
    assert attvalues(edges["t-01"])["directed"] == "true"
    graph_nx = nx.read_gexf(path)
    assert graph_nx.is_directed() and graph_nx.number_of_edges() == 14


def test_a_spell_ending_before_it_starts_is_refused(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.import_data(SHAPES)
    kb.driver.execute_query("MATCH ()-[t:TIE {id: 't-10'}]->() SET t.end_last = date('2015-01-01')")
    with pytest.raises(KBError, match="Tie t-10 ends .2015-01-01. before it starts"):
        gexf.write_gexf(kb, tmp_path / "x.gexf")
    assert not (tmp_path / "x.gexf").exists()


def test_the_gexf_grammar_rejects_broken_documents(rich: KnowledgeBase, tmp_path: Path) -> None:
    """The validity check above is not vacuous: the grammar does reject bad GEXF."""
    path = tmp_path / "case.gexf"
    gexf.write_gexf(rich, path)
    grammar = gexf_grammar()

    def broken(change: str) -> etree._ElementTree:
        tree = etree.parse(str(path))
        ns = {"g": "http://gexf.net/1.3"}
        if change == "version":
            del tree.getroot().attrib["version"]
        elif change == "edge type":
            tree.xpath("//g:edge", namespaces=ns)[0].set("type", "sideways")
        elif change == "spell date":
            tree.xpath("//g:spell", namespaces=ns)[0].set("start", "spring 2016")
        elif change == "node id":
            del tree.xpath("//g:node", namespaces=ns)[0].attrib["id"]
        elif change == "mode":
            tree.xpath("//g:attributes", namespaces=ns)[-1].set("mode", "sometimes")
        return tree

    assert grammar.validate(broken("nothing"))
    for change in ("version", "edge type", "spell date", "node id", "mode"):
        assert not grammar.validate(broken(change)), change


def test_gexf_types_and_at_select_ties_and_memberships(rich: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "case.gexf"
    result = gexf.write_gexf(rich, path, Selection.build(types=["Collaboration"], at="2017"))
    assert result.counts == {
        "actors": 7,
        "ties": 1,
        "memberships": 2,
        "edges": 3,
        "undirected_edges": 1,
    }
    root = ET.parse(path).getroot()
    assert {n.get("id") for n in root.iter(f"{NS}node")} == ACTORS  # isolates kept
    assert set(gexf_edges(root)) == {
        ("csss", "wg", "COLLABORATION"),
        ("p1", "wg", "MEMBER_OF"),
        ("p3", "wg", "MEMBER_OF"),
    }
    description = root.find(f"{NS}meta/{NS}description")
    assert description is not None and "2017" in (description.text or "")


# -- GraphML ---------------------------------------------------------------------------------


def test_graphml_reads_back_with_networkx_and_igraph(rich: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "case.graphml"
    result = graphml.write_graphml(rich, path)
    # 5 ties (2 undirected: two arcs each) and 3 memberships.
    assert result.counts == {"actors": 7, "ties": 5, "memberships": 3, "edges": 10}
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.is_directed()
    assert set(graph.nodes) == ACTORS
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (7, 10)
    assert graph.nodes["p1"] == {
        "name": "p1",
        "label": "Anne Tremblay (fictional)",
        "sector": "community",
        "labels": "Actor;Person",
        "territory": "l1",
    }
    assert graph.nodes["p2"]["interviewed"] == "yes"
    info_edges = graph.get_edge_data("p2", "csss")
    member = next(d for d in info_edges.values() if d["relation"] == "membership")
    info = next(d for d in info_edges.values() if d["relation"] == "tie")
    assert info["type"] == "INFORMATION" and info["tie_weight"] == 2.5
    assert (info["start"], info["start_first"], info["directed"]) == ("2016-03", "2016-03-01", True)
    assert "end_last" not in info
    assert (member["type"], member["start_first"], member["end_last"]) == (
        "MEMBER_OF",
        "2014-01-01",
        "2015-04-01",
    )
    # An undirected tie: one arc each way, the same tie.
    there: dict[str, dict[str, Any]] = graph.get_edge_data("p1", "p2")
    back: dict[str, dict[str, Any]] = graph.get_edge_data("p2", "p1")
    assert len(there) == len(back) == 1
    (key, collab), (back_key, collab_back) = next(iter(there.items())), next(iter(back.items()))
    assert back_key == key + "~reverse" and collab_back == collab
    assert collab["directed"] is False and collab["evidence"] == "e1;e2"
    assert "tie_weight" not in collab  # none recorded: left out, never NaN or 0
    assert "tie-advice-1" in graph.get_edge_data("p1", "wg")
    assert not any("weight" in d for _, _, d in graph.edges(data=True))
    # python-igraph shares R igraph's C reader (igraph::read_graph(format = "graphml")).
    ig = igraph.Graph.Read_GraphML(str(path))
    assert (ig.vcount(), ig.ecount()) == (7, 10)
    assert sorted(ig.vs["name"]) == sorted(ig.vs["id"]) == sorted(ACTORS)
    assert "tie-advice-1" in ig.es["kb_id"]
    assert "weight" not in ig.es.attributes()
    assert sorted(ig.es["type"]) == sorted(
        ["COLLABORATION"] * 2
        + ["INFORMATION", "ADVICE", "FUNDING"]
        + ["COLLABORATION"] * 2
        + ["MEMBER_OF"] * 3
    )
    ties = ig.subgraph_edges(ig.es.select(relation="tie"), delete_vertices=False)
    assert ties.betweenness() == ties.betweenness()  # no NaN weights to stop it


def test_graphml_at_a_date(rich: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "case.graphml"
    result = graphml.write_graphml(rich, path, Selection.build(at="2015-03"))
    # Ties: p1-p2 (2015 on) and wg-csss (always), both undirected; memberships: p2-csss (to
    # 2015-04-01), p3-wg.
    assert result.counts == {"actors": 7, "ties": 2, "memberships": 2, "edges": 6}
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.number_of_edges() == 6


def test_values_xml_cannot_hold_are_reported(rich: KnowledgeBase, tmp_path: Path) -> None:
    rich.driver.execute_query(
        "MATCH ()-[t:TIE {id: 'tie-advice-1'}]->() SET t.note = 'asked\u000btwice'"
    )
    for write, name in ((gexf.write_gexf, "case.gexf"), (graphml.write_graphml, "case.graphml")):
        result = write(rich, tmp_path / name)
        assert result.warnings == [
            "1 value(s) hold control characters XML cannot represent; they are written "
            "without them: tie tie-advice-1 note."
        ]
        assert "askedtwice" in (tmp_path / name).read_text(encoding="utf-8")


def test_a_weight_that_is_not_a_number_is_reported(rich: KnowledgeBase, tmp_path: Path) -> None:
    # Written by hand in Neo4j (the import refuses them): text weights.
    rich.driver.execute_query(
        "MATCH ()-[t:TIE {id: 'tie-advice-1'}]->() SET t.weight = 'strong' "
        "WITH 1 AS one MATCH ()-[t:TIE {type: 'FUNDING'}]->() SET t.weight = '3,5'"
    )
    result = gexf.write_gexf(rich, tmp_path / "case.gexf")
    assert result.warnings == [
        "ties: weight is not a number on tie-advice-1 ('strong'): written without a weight "
        "(Gephi's weight 1)."
    ]
    edges = gexf_edges(ET.parse(tmp_path / "case.gexf").getroot())
    assert edges["p3", "ciusss", "FUNDING"].get("weight") == "3.5"
    assert edges["p1", "wg", "ADVICE"].get("weight") == "1.0"


def test_tie_types_are_normalised_like_the_import() -> None:
    assert parse_types(None) is None
    assert parse_types("collaboration, conflict ,COLLABORATION") == [
        "COLLABORATION",
        "CONFLICT",
    ]
    assert parse_types(["mutual aid"]) == ["MUTUAL_AID"]
    with pytest.raises(ValidationError, match="not a tie type"):
        parse_types("collab!")
    with pytest.raises(ValidationError, match="empty"):
        parse_types(" , ")


# -- the commands ----------------------------------------------------------------------------


def test_export_commands(rich: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "gexf", "-"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<?xml")
    assert gexf_grammar().validate(etree.fromstring(result.stdout_bytes))
    assert (
        "Wrote GEXF to stdout: 7 actors, 5 ties, 3 memberships, 8 edges, 2 undirected edges."
        in result.stderr
    )

    out = tmp_path / "net.graphml"
    result = runner.invoke(
        app, ["export", "graphml", str(out), "--types", "information,advice"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert nx.read_graphml(out, force_multigraph=True).number_of_edges() == 2 + 3
    assert "2 ties, 3 memberships, 5 edges." in result.stderr

    result = runner.invoke(app, ["export", "gexf", "-", "--directed"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "10 edges, 0 undirected edges." in result.stderr
    assert 'defaultedgetype="directed"' in result.stdout

    result = runner.invoke(app, ["export", "csv", str(tmp_path / "tables")], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "5 ties" in result.stderr
    assert (tmp_path / "tables" / "positions.csv").exists()

    for bad in (["--types", "no way!"], ["--at", "2016-13"]):
        result = runner.invoke(app, ["export", "gexf", str(tmp_path / "x.gexf"), *bad], env=cli_env)
        assert result.exit_code == ExitCode.INVALID_INPUT, result.output
        assert result.stderr.startswith("Error:")
        assert not (tmp_path / "x.gexf").exists()


def test_an_unwritable_target_is_one_sentence_and_exit_1(
    rich: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("not a folder")
    # A missing folder is created (tests/cli/test_case_files_cli.py); a file in the way is not.
    for args in (
        ["gexf", str(tmp_path / "file" / "case.gexf")],
        ["graphml", str(tmp_path / "file" / "deeper" / "case.graphml")],
        ["csv", str(tmp_path / "file" / "tables")],
    ):
        result = runner.invoke(app, ["export", *args], env=cli_env)
        assert result.exit_code == ExitCode.ERROR, result.output
        assert result.stderr.startswith("Error: Cannot write "), result.stderr
        assert "Traceback" not in result.output


def test_export_commands_have_help_with_an_example() -> None:
    for command in ("gexf", "graphml", "csv"):
        result = runner.invoke(app, ["export", command, "--help"])
        assert result.exit_code == 0
        assert "Example: kb export " + command in result.stdout
        assert "--types" in result.stdout and "--at" in result.stdout


def test_the_export_queries_run(kb: KnowledgeBase) -> None:
    assert kb.read("export/nodes", label="Person") == []
    rows = kb.read(
        "export/relationships", rel_type="TIE", types=["ADVICE"], at_first=None, at_last=None
    )
    assert rows == []
