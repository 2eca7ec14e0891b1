"""How ties are grouped into Gephi edges and their spells cut into pieces (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from kb.errors import KBError
from kb.exports.gephi_edges import group_edges
from kb.exports.network import NetworkEdge


def tie(
    id: str,
    source: str = "a",
    target: str = "b",
    start: str | None = None,
    end: str | None = None,
    *,
    type: str = "ADVICE",
    directed: bool = True,
    weight: float | None = None,
    relation: str = "tie",
) -> NetworkEdge:
    return NetworkEdge(
        id=id,
        source=source,
        target=target,
        relation=relation,
        type=type,
        directed=directed,
        weight=weight,
        start=date.fromisoformat(start) if start else None,
        end=date.fromisoformat(end) if end else None,
        attributes={},
    )


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_ties_of_one_type_direction_and_pair_are_one_group_named_by_the_earliest() -> None:
    groups, warnings = group_edges(
        [
            tie("t-2", start="2016-01-01"),
            tie("t-1", start="2014-01-01", end="2014-12-31"),
            tie("t-3", "b", "a", start="2014-01-01"),  # the opposite arc
            tie("t-4", type="INFORMATION"),  # another kind
            tie("t-5", "b", "a", type="COLLABORATION", directed=False),  # stored either way
            tie("t-6", "a", "b", type="COLLABORATION", directed=False),
            tie("m-1", "a", "org", relation="membership", type="MEMBER_OF"),
        ]
    )
    assert warnings == []
    assert [(g.id, [e.id for e in g.edges]) for g in groups] == [
        ("t-1", ["t-1", "t-2"]),
        ("t-3", ["t-3"]),
        ("t-4", ["t-4"]),
        ("t-5", ["t-5", "t-6"]),
        ("m-1", ["m-1"]),
    ]
    undirected = groups[3]
    assert (undirected.source, undirected.target, undirected.directed) == ("a", "b", False)


def test_spells_merge_only_when_they_share_a_day() -> None:
    (group,), _ = group_edges(
        [
            tie("t-1", start="2014-01-01", end="2014-12-31"),
            tie("t-2", start="2015-01-01", end="2015-06-30"),  # the next day: kept apart
            tie("t-3", start="2015-06-30", end="2015-12-31"),  # shares a day: merged
        ]
    )
    assert group.spells() == [
        (d("2014-01-01"), d("2014-12-31")),
        (d("2015-01-01"), d("2015-12-31")),
    ]
    assert [(p.start, p.end, [e.id for e in p.edges]) for p in group.pieces()] == [
        (d("2014-01-01"), d("2014-12-31"), ["t-1"]),
        (d("2015-01-01"), d("2015-06-29"), ["t-2"]),
        (d("2015-06-30"), d("2015-06-30"), ["t-2", "t-3"]),
        (d("2015-07-01"), d("2015-12-31"), ["t-3"]),
    ]


def test_an_undated_tie_covers_all_time_and_every_piece() -> None:
    (group,), _ = group_edges([tie("t-1", weight=2.0), tie("t-2", start="2015-01-01")])
    assert group.spells() == [(None, None)]
    assert [(p.start, p.end, [e.id for e in p.edges]) for p in group.pieces()] == [
        (None, d("2014-12-31"), ["t-1"]),
        (d("2015-01-01"), None, ["t-1", "t-2"]),
    ]
    assert group.weight == 3.0  # 2 + 1 for the tie without a weight


def test_open_ended_spells() -> None:
    (group,), _ = group_edges([tie("t-1", end="2014-06-30"), tie("t-2", start="2016-01-01")])
    assert group.spells() == [(None, d("2014-06-30")), (d("2016-01-01"), None)]
    assert [(p.start, p.end) for p in group.pieces()] == group.spells()


def test_a_directed_and_an_undirected_tie_of_one_type_and_pair_get_two_kinds() -> None:
    groups, warnings = group_edges(
        [tie("t-1", "b", "a", directed=False), tie("t-2"), tie("t-3", type="INFORMATION")]
    )
    assert [(g.id, g.kind) for g in groups] == [
        ("t-1", "ADVICE (undirected)"),
        ("t-2", "ADVICE"),
        ("t-3", "INFORMATION"),
    ]
    assert warnings == [
        "ADVICE between a and b is both directed (t-2) and undirected (t-1); Gephi keeps one "
        "edge per pair and type, so the undirected one is written with the type "
        "'ADVICE (undirected)'."
    ]


def test_a_spell_ending_before_it_starts_is_an_error() -> None:
    with pytest.raises(KBError, match="Tie t-1 ends .2014-01-01. before it starts"):
        group_edges([tie("t-1", start="2015-01-01", end="2014-01-01")])
