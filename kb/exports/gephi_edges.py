"""Ties and memberships grouped into the edges Gephi keeps apart, their spells cut into pieces.

Gephi 0.10 keys an edge by its ends and its kind (kb writes the tie type as the kind); a
second edge with the same key is merged into the first (weights summed, attributes of one
overwritten), and a directed and an undirected edge of one kind between one pair are merged
or crash the import. Gephi also refuses two overlapping intervals on one edge or one
attribute value. So the GEXF export writes one edge per relation, tie type, direction and
pair (the pair unordered when undirected), whose spells are all its ties' spells, and each
tie's own values over its spell; where spells of one edge overlap, their union is cut at
every spell boundary into pieces that hold the values of every tie covering them.
tests/handoff/gephi/FINDINGS.md gives the Gephi source and a sample for each rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from kb.errors import KBError
from kb.exports.network import NetworkEdge

DAY = timedelta(days=1)
# The kind of an undirected edge whose pair also has a directed edge of the same type.
UNDIRECTED_KIND = "{type} (undirected)"

Spell = tuple[date | None, date | None]


@dataclass
class Piece:
    """Days from ``start`` to ``end`` (both included; None is an open side) and the ties or
    memberships whose spell covers all of them, in the group's order."""

    start: date | None
    end: date | None
    edges: list[NetworkEdge]


@dataclass
class EdgeGroup:
    """The ties (or memberships) written as one Gephi edge.

    Attributes:
        id: the id of its earliest tie.
        source: actor id; for an undirected group the smaller id of the pair.
        target: actor id.
        directed: whether its ties are directed.
        relation: ``tie`` or ``membership``.
        type: the tie type (``MEMBER_OF`` for memberships).
        kind: the Gephi edge kind: the type, or ``TYPE (undirected)`` when the pair also has
            a directed edge of that type (Gephi cannot hold both under one kind).
        edges: its ties or memberships, earliest spell first.
    """

    id: str
    source: str
    target: str
    directed: bool
    relation: str
    type: str
    kind: str
    edges: list[NetworkEdge] = field(default_factory=list)

    @property
    def weight(self) -> float:
        """The sum of its ties' weights, a tie without one counting 1 (kb's convention)."""
        return sum(edge_weight(edge) for edge in self.edges)

    def spells(self) -> list[Spell]:
        """Its ties' spells, those that overlap merged: ``[(None, None)]`` means always."""
        merged: list[Spell] = []
        for start, end in sorted((spell(e) for e in self.edges), key=_spell_order):
            if merged and _overlaps(merged[-1], start):
                last_start, last_end = merged[-1]
                later = None if last_end is None or end is None else max(last_end, end)
                merged[-1] = (last_start, later)
            else:
                merged.append((start, end))
        return merged

    def pieces(self) -> list[Piece]:
        """The days its ties cover, cut at every start and after every end.

        Without overlapping spells each piece is one tie's spell; where spells overlap the
        shared days become pieces of their own, covered by several ties.
        """
        cuts = sorted(
            {e.start for e in self.edges if e.start is not None}
            | {e.end + DAY for e in self.edges if e.end is not None}
        )
        bounds: list[date | None] = [None, *cuts, None]
        pieces: list[Piece] = []
        for low, next_low in zip(bounds, bounds[1:], strict=False):
            high = None if next_low is None else next_low - DAY
            covering = [e for e in self.edges if _covers(spell(e), low, high)]
            if covering:
                pieces.append(Piece(low, high, covering))
        return pieces


def edge_weight(edge: NetworkEdge) -> float:
    """A tie's weight for Gephi: the recorded one, else 1 (Gephi reads a missing one as 0)."""
    return 1.0 if edge.weight is None else edge.weight


def spell(edge: NetworkEdge) -> Spell:
    """The first and last day of a tie's spell (None where open)."""
    return edge.start, edge.end


def group_edges(edges: Iterable[NetworkEdge]) -> tuple[list[EdgeGroup], list[str]]:
    """The ties and memberships grouped as Gephi keys edges, in the order first seen.

    Returns:
        The groups, and a warning for each pair that holds a directed and an undirected
        edge of one type (its undirected group gets the kind ``TYPE (undirected)``).

    Raises:
        KBError: a spell ends before it starts (the import refuses those; a hand edit in
            Neo4j could make one), which no interval can represent.
    """
    groups: dict[tuple[str, str, bool, str, str], EdgeGroup] = {}
    for edge in edges:
        if edge.start is not None and edge.end is not None and edge.end < edge.start:
            raise KBError(
                f"{edge.relation.capitalize()} {edge.id} ends ({edge.end}) before it starts "
                f"({edge.start}); correct it in the database before exporting."
            )
        source, target = edge.source, edge.target
        if not edge.directed:
            source, target = sorted((source, target))
        key = (edge.relation, edge.type, edge.directed, source, target)
        group = groups.get(key)
        if group is None:
            group = groups[key] = EdgeGroup(
                edge.id, source, target, edge.directed, edge.relation, edge.type, edge.type
            )
        group.edges.append(edge)
    for group in groups.values():
        group.edges.sort(key=lambda e: (*_spell_order(spell(e)), e.id))
        group.id = group.edges[0].id
    return list(groups.values()), _separate_direction_clashes(groups.values())


def _separate_direction_clashes(groups: Iterable[EdgeGroup]) -> list[str]:
    by_pair: dict[tuple[str, str, frozenset[str]], list[EdgeGroup]] = {}
    for group in groups:
        pair = frozenset((group.source, group.target))
        by_pair.setdefault((group.relation, group.type, pair), []).append(group)
    warnings = []
    for (_, tie_type, _), clashing in by_pair.items():
        directed = [g for g in clashing if g.directed]
        undirected = [g for g in clashing if not g.directed]
        if not directed or not undirected:
            continue
        kind = UNDIRECTED_KIND.format(type=tie_type)
        for group in undirected:
            group.kind = kind
        ends = " and ".join(sorted({undirected[0].source, undirected[0].target}))
        warnings.append(
            f"{tie_type} between {ends} is both directed ({_ids(directed)}) and undirected "
            f"({_ids(undirected)}); Gephi keeps one edge per pair and type, so the undirected "
            f"one is written with the type '{kind}'."
        )
    return warnings


def _ids(groups: list[EdgeGroup]) -> str:
    return ", ".join(edge.id for group in groups for edge in group.edges)


def _spell_order(value: Spell) -> tuple[date, date]:
    start, end = value
    return (start or date.min, end or date.max)


def _overlaps(earlier: Spell, start: date | None) -> bool:
    """Whether a spell starting at ``start`` (not before ``earlier``) shares a day with it."""
    end = earlier[1]
    return end is None or start is None or start <= end


def _covers(value: Spell, low: date | None, high: date | None) -> bool:
    start, end = value
    starts_before = start is None or (low is not None and start <= low)
    ends_after = end is None or (high is not None and end >= high)
    return starts_before and ends_after
