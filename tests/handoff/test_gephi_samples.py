"""What the real Gephi (toolkit 0.10.1, Desktop's import steps) sees in the GEXF samples.

The samples in tests/handoff/gephi/samples are small hand-written files, one per rule of
tests/handoff/gephi/FINDINGS.md: the shape kb writes, and the Gephi behaviours that force
it (kb's own export is opened in test_gephi_export.py). Run with ``pytest -m gephi``
(Java 17 and Maven needed; the harness is built once).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree

from tests.handoff.gephi.gephi import GephiHarnessError, open_in_gephi, severe_issues

pytestmark = pytest.mark.gephi

HERE = Path(__file__).resolve().parent
SAMPLES = HERE / "gephi" / "samples"
GEXF_1_3 = HERE.parent / "data" / "gexf" / "gexf.rng"
GEXF_GEPHI = HERE.parent / "data" / "gexf" / "gexf-gephi.rng"


@functools.cache
def gephi(name: str) -> dict[str, Any]:
    return open_in_gephi(SAMPLES / name)


def edges(name: str) -> dict[str, dict[str, Any]]:
    return {edge["id"]: edge for edge in gephi(name)["edges"]}


def values(edge: dict[str, Any], column: str) -> list[tuple[str, str, Any]]:
    """A dynamic attribute as (start, end, value) triples."""
    return [(v["start"], v["end"], v["value"]) for v in edge["attributes"][column] or []]


# -- the recommended shape ------------------------------------------------------------------


def test_recommended_shape_opens_as_a_mixed_graph_with_no_severe_issue() -> None:
    seen = gephi("recommended.gexf")
    assert severe_issues(seen) == []
    assert seen["container"]["edge_default"] == "MIXED"  # what the import dialog preselects
    assert seen["graph_type"] == "mixed"
    assert (seen["node_count"], seen["edge_count"]) == (5, 7)
    assert (seen["directed_edge_count"], seen["undirected_edge_count"]) == (5, 2)


def test_a_reformed_tie_is_one_edge_with_each_spell_and_its_own_values() -> None:
    tie = edges("recommended.gexf")["t-025"]
    assert (tie["source"], tie["target"], tie["directed"]) == ("p-a", "p-b", True)
    assert tie["intervals"] == [["2009-01-01", "2015-06-30"], ["2015-10-01", "inf"]]
    assert values(tie, "tie_id") == [
        ("2009-01-01", "2015-06-30", "t-025"),
        ("2015-10-01", "inf", "t-106"),
    ]
    assert values(tie, "evidence") == [
        ("2009-01-01", "2015-06-30", "ev-0045;ev-0123"),
        ("2015-10-01", "inf", "ev-0046"),
    ]
    assert values(tie, "end") == [("2009-01-01", "2015-06-30", "2015-06")]  # t-106 is open
    assert [(w["end"], w["value"]) for w in tie["weight"]] == [("2015-06-30", 2.0), ("inf", 1.0)]
    assert "t-106" not in edges("recommended.gexf")


def test_an_undirected_tie_reformed_in_the_other_order_is_one_undirected_edge() -> None:
    tie = edges("recommended.gexf")["t-030"]
    assert tie["directed"] is False
    assert tie["intervals"] == [["2014-01-01", "2015-03-31"], ["2016-06-01", "2017-12-31"]]
    assert [v for _, _, v in values(tie, "tie_id")] == ["t-030", "t-120"]


def test_ties_of_different_types_or_directions_between_one_pair_stay_apart() -> None:
    between = {
        (e["id"], e["source"], e["target"], e["directed"], e["kind"])
        for e in gephi("recommended.gexf")["edges"]
        if {e["source"], e["target"]} == {"p-a", "p-b"}
    }
    assert between == {
        ("t-025", "p-a", "p-b", True, "INFORMATION"),
        ("t-031", "p-a", "p-b", False, "COLLABORATION"),
        ("t-032", "p-b", "p-a", True, "INFORMATION"),
    }


def test_overlapping_spells_of_one_edge_are_cut_into_pieces_holding_every_tie() -> None:
    tie = edges("recommended.gexf")["t-040"]
    assert tie["intervals"] == [["2014-01-01", "2016-12-31"]]
    assert values(tie, "tie_id") == [
        ("2014-01-01", "2015-05-31", "t-040"),
        ("2015-06-01", "2015-12-31", "t-040;t-041"),
        ("2016-01-01", "2016-12-31", "t-041"),
    ]


def test_a_tie_without_dates_has_no_interval_and_values_for_all_time() -> None:
    tie = edges("recommended.gexf")["t-031"]
    assert tie["interval_count"] == 0
    assert values(tie, "tie_id") == [("-inf", "inf", "t-031")]


def test_memberships_are_directed_member_of_edges_from_person_to_organization() -> None:
    members = [e for e in gephi("recommended.gexf")["edges"] if e["kind"] == "MEMBER_OF"]
    assert {(e["source"], e["target"], e["directed"]) for e in members} == {
        ("p-a", "org-x", True),
        ("p-b", "org-x", True),
    }
    assert all(e["attributes"]["relation"] == "membership" for e in members)
    assert values(edges("recommended.gexf")["m-001"], "role") == [
        ("2011-08-01", "inf", "coordinator")
    ]


def test_tie_types_are_text_in_kind_and_label_and_columns_have_their_declared_types() -> None:
    seen = gephi("recommended.gexf")
    assert set(seen["edge_kinds"]) - {None} == {
        "INFORMATION",
        "COLLABORATION",
        "ADVICE",
        "MEMBER_OF",
    }
    assert all(e["label"] == e["kind"] for e in seen["edges"])
    columns = {c["id"]: (c["type"], c["dynamic"]) for c in seen["edge_columns"]}
    assert columns["relation"] == ("String", False)
    assert columns["tie_id"] == ("IntervalStringMap", True)
    assert columns["weight"] == ("IntervalDoubleMap", True)
    assert "type" not in columns  # an attribute would read INFORMATION as InfinityORMATION


def test_recommended_shape_deviates_from_the_1_3_grammar_only_by_mode_on_attributes() -> None:
    document = etree.parse(str(SAMPLES / "recommended.gexf"))
    assert etree.RelaxNG(etree.parse(str(GEXF_GEPHI))).validate(document)
    assert not etree.RelaxNG(etree.parse(str(GEXF_1_3))).validate(document)
    for attributes in document.iter("{http://gexf.net/1.3}attributes"):
        attributes.attrib.pop("mode", None)
    assert etree.RelaxNG(etree.parse(str(GEXF_1_3))).validate(document)


# -- the directed variant, for readers without mixed graphs --------------------------------


def test_directed_variant_writes_an_undirected_tie_as_two_arcs_gephi_and_networkx_read() -> None:
    seen = gephi("directed-variant.gexf")
    assert severe_issues(seen) == []
    assert (seen["graph_type"], seen["edge_count"]) == ("directed", 3)
    arcs = {(e["source"], e["target"]) for e in seen["edges"] if e["attributes"]["undirected"]}
    assert arcs == {("p-b", "p-c"), ("p-c", "p-b")}
    graph = nx.read_gexf(SAMPLES / "directed-variant.gexf")
    assert graph.is_directed()
    assert sorted(graph.edges()) == [("p-a", "p-b"), ("p-b", "p-c"), ("p-c", "p-b")]


def test_networkx_refuses_the_mixed_variant() -> None:
    with pytest.raises(nx.NetworkXError, match="Directed edge found in undirected graph"):
        nx.read_gexf(SAMPLES / "recommended.gexf")


# -- the Gephi behaviours the shape works around -------------------------------------------


def test_defaultedgetype_directed_drops_every_undirected_edge() -> None:
    seen = gephi("defaultedgetype-directed.gexf")
    assert [i["message"] for i in severe_issues(seen)] == [
        "Edge type doesn't fit with default set (DIRECTED), edge id='t-030' is ignored"
    ]
    assert seen["undirected_edge_count"] == 0


def test_separate_edges_of_one_pair_and_kind_are_merged_with_summed_weights() -> None:
    seen = gephi("defaultedgetype-directed.gexf")
    tie = edges("defaultedgetype-directed.gexf")["t-025"]
    assert seen["edge_count"] == 1 and tie["interval_count"] == 2
    assert tie["weight"] == 2.0
    # Static attributes keep one spell's values; the other's are gone.
    assert tie["attributes"]["evidence"] == "ev-0301"


def test_defaultedgetype_mixed_is_a_severe_issue() -> None:
    assert [i["message"] for i in severe_issues(gephi("defaultedgetype-mixed.gexf"))] == [
        "Default edge type 'mixed' is not recognized. Set to default 'mixed'."
    ]


def test_without_mode_dynamic_attribute_values_of_earlier_spells_are_lost_silently() -> None:
    seen = gephi("spells-static-attributes.gexf")
    assert severe_issues(seen) == []
    tie = edges("spells-static-attributes.gexf")["t-025"]
    assert tie["attributes"]["tie_id"] == "t-106"
    assert [
        v for _, _, v in values(edges("spells-dynamic-attributes.gexf")["t-025"], "tie_id")
    ] == [
        "t-025",
        "t-106",
    ]


def test_gephi_rewrites_inf_in_every_attribute_value_but_not_in_ids_labels_or_kinds() -> None:
    seen = gephi("probe-inf.gexf")
    tie = seen["edges"][0]
    assert (tie["kind"], tie["label"]) == ("INFORMATION", "INFORMATION")
    assert tie["attributes"]["type"] == "InfinityORMATION"
    assert tie["attributes"]["tie_type"] == "InfinityORMATION"  # not the name: the value
    assert tie["attributes"]["list"] == ["InfinityORMATION", "ADVICE"]
    assert values(tie, "note") == [("2014-01-01", "2014-12-31", "InfinityO session")]
    assert (tie["attributes"]["lower"], tie["attributes"]["title"]) == (
        "information",
        "Information",
    )
    node = seen["nodes"][0]
    assert (node["id"], node["label"], node["attributes"]["sector"]) == (
        "INFO-1",
        "INFORMATION desk",
        "InfinityORMAL",
    )


def test_overlapping_intervals_on_one_edge_are_refused() -> None:
    seen = gephi("probe-overlaps.gexf")
    messages = [i["message"] for i in severe_issues(seen)]
    assert len(messages) == 3
    assert all("Overlapping intervals aren't allowed" in m for m in messages)
    touching = edges("probe-overlaps.gexf")["t-2"]  # sharing one end day is accepted
    assert touching["intervals"] == [["2014-01-01", "2015-06-30"], ["2015-06-30", "2016-12-31"]]


def test_a_directed_and_an_undirected_edge_of_one_kind_and_pair_merge_or_crash() -> None:
    seen = gephi("probe-direction-clash.gexf")
    assert [i["level"] for i in severe_issues(seen)] == ["CRITICAL"]
    ids = {e["id"]: e["directed"] for e in seen["edges"]}
    assert ids == {"cd-directed": True, "ef-undirected": False, "gh-directed": True}


# -- the harness itself ---------------------------------------------------------------------


def test_the_harness_says_what_is_missing_when_java_or_maven_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(GephiHarnessError, match="Java 17 and Maven"):
        open_in_gephi(SAMPLES / "recommended.gexf")


def test_a_malformed_file_is_one_critical_issue(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gexf"
    broken.write_text('<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><nodes>')
    seen = open_in_gephi(broken)
    assert [i["level"] for i in seen["issues"]] == ["CRITICAL"]
    assert seen["edge_count"] == 0
