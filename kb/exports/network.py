"""The actor network that the GEXF and GraphML exports write: every actor, and the ties
and memberships selected by tie type and period (ties also by their evidence)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kb.analyses.selection import ALL_TIES, Selection, check_selection
from kb.analyses.vocabulary import check_period, check_types, require_case
from kb.exports.files import day_or_none
from kb.imports.stored import known_properties, text
from kb.model import (
    ACTOR,
    ID_LIST_SEPARATOR,
    MEMBER_OF,
    TABLES_BY_NAME,
    TIE,
)
from kb.periods import Period
from kb.store import Reader

# Fields kb computes for network nodes and edges; extra properties may not shadow them.
# ("name" and "label" are GraphML's node columns; "kind" is Gephi's edge kind, "weight" its
# edge weight, "kb_id"/"tie_weight"/"relation" the exports' own edge columns.)
NODE_FIELDS = frozenset({"name", "label", "kind", "sector", "labels", "territory"})
EDGE_FIELDS = frozenset(
    {
        "kb_id",
        "relation",
        "kind",
        "type",
        "directed",
        "weight",
        "tie_weight",
        "start",
        "end",
        "start_first",
        "end_last",
        "role",
        "evidence",
    }
)


@dataclass
class NetworkNode:
    """An actor as exported.

    Attributes:
        id: the actor id.
        label: the actor's name (its id when it has none).
        attributes: kind, sector, labels (``;``-joined), territory, then extra properties;
            absent values are left out.
    """

    id: str
    label: str
    attributes: dict[str, str]


@dataclass
class NetworkEdge:
    """A tie or a membership as exported.

    Attributes:
        id: the tie or membership id (unique in the export).
        source: actor id (the person, for a membership).
        target: actor id (the organization, for a membership).
        relation: ``tie`` or ``membership``.
        type: the tie type, or ``MEMBER_OF``.
        directed: False for undirected ties (stored once, source to target).
        weight: the tie's recorded weight, if it has one.
        start: first day of the spell (``start_first``); None when open.
        end: last day of the spell (``end_last``); None when open.
        attributes: start / end as written, role, evidence (``;``-joined), extra properties.
    """

    id: str
    source: str
    target: str
    relation: str
    type: str
    directed: bool
    weight: float | None
    start: date | None
    end: date | None
    attributes: dict[str, str]


@dataclass
class ActorNetwork:
    """Every actor, and the ties and memberships selected by tie type and period."""

    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    types: list[str] | None = None
    period: Period | None = None
    warnings: list[str] = field(default_factory=list)
    evidence: Selection = ALL_TIES

    def counts(self) -> dict[str, int]:
        """Actors, ties and memberships in the network."""
        return {
            "actors": len(self.nodes),
            "ties": sum(1 for e in self.edges if e.relation == "tie"),
            "memberships": sum(1 for e in self.edges if e.relation == "membership"),
        }

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every text value the network exports write, with what it belongs to."""
        for node in self.nodes:
            yield f"actor {node.id} name", node.label
            for name, value in node.attributes.items():
                yield f"actor {node.id} {name}", value
        for edge in self.edges:
            for name, value in edge.attributes.items():
                yield f"{edge.relation} {edge.id} {name}", value

    def description(self) -> str:
        """One sentence saying what the network holds (written into the files)."""
        types = ", ".join(self.types) if self.types else "all tie types"
        if self.evidence.active:
            types += f"; {self.evidence.describe()}"
        when = f"spells overlapping {self.period.label}" if self.period else "every spell"
        return f"kb actor network: ties ({types}) and memberships; {when}."


def actor_network(kb: Reader, selection: Selection = ALL_TIES) -> ActorNetwork:
    """Every actor, and the ties and memberships to export as a network.

    All actors are kept (isolates too), so every edge has both its ends.

    Args:
        kb: the knowledge base to read.
        selection: the ties to keep (`kb.analyses.selection.Selection`); memberships are
            kept by its period alone (``start_first <= last`` and ``end_last >= first``;
            an open side always overlaps), whatever its types and evidence rule.

    Returns:
        The network.

    Raises:
        ValidationError: a type or period of the selection the case does not have, or the
            evidence selection keeps no tie.
    """
    require_case(kb)
    selected = selection.type_list
    period = selection.period
    check_types(kb, selected)
    check_period(kb, period, parameter=selection.period_parameter)
    network = ActorNetwork([], [], types=selected, period=period, evidence=selection)
    nodes: dict[str, NetworkNode] = {}
    skipped: dict[str, set[str]] = {}
    not_numbers: list[str] = []
    known = {"id", "name", "kind", "sector", "territory"}
    for row in kb.read("export/nodes", label=ACTOR):
        props = row["props"]
        attributes: dict[str, str] = {}
        for name in ("kind", "sector"):
            if props.get(name) is not None:
                attributes[name] = text(props[name])
        attributes["labels"] = ID_LIST_SEPARATOR.join(sorted(row["labels"]))
        if props.get("territory") is not None:
            attributes["territory"] = text(props["territory"])
        attributes.update(_extras(props, known, NODE_FIELDS, skipped.setdefault("actors", set())))
        nodes[row["id"]] = NetworkNode(row["id"], text(props.get("name") or row["id"]), attributes)
    edges: list[NetworkEdge] = []
    for relation, table, rel_type, kept in (
        ("tie", "ties", TIE, selection),
        ("membership", "memberships", MEMBER_OF, ALL_TIES.during(period)),
    ):
        known = known_properties(TABLES_BY_NAME[table])
        rows = kb.read("export/relationships", rel_type=rel_type, **kept.params())
        for row in rows:
            edge = _network_edge(relation, row, known, skipped.setdefault(table, set()))
            weight = row["props"].get("weight") if relation == "tie" else None
            if weight is not None and edge.weight is None:
                not_numbers.append(f"{edge.id} ({weight!r})")
            edges.append(edge)
    if not any(edge.relation == "tie" for edge in edges):
        check_selection(kb, selection)
    seen: set[str] = set()
    for index, edge in enumerate(edges):
        for end in (edge.source, edge.target):
            nodes.setdefault(end, NetworkNode(end, end, {}))
        if edge.id in seen:  # ids are unique per relationship type, not across types
            edge.id = f"{edge.relation}:{edge.id}:{index}"
        seen.add(edge.id)
    network.nodes = list(nodes.values())
    network.edges = edges
    network.warnings = [
        f"{table}: left out properties {', '.join(sorted(names))}: their names clash with "
        "the export's own fields."
        for table, names in skipped.items()
        if names
    ]
    if not_numbers:
        network.warnings.append(
            f"ties: weight is not a number on {', '.join(not_numbers)}: written without a "
            "weight (Gephi's weight 1)."
        )
    return network


def _network_edge(
    relation: str, row: Mapping[str, Any], known: set[str], skipped: set[str]
) -> NetworkEdge:
    props = row["props"]
    attributes: dict[str, str] = {}
    for name in ("start", "end", "role"):
        if props.get(name) is not None:
            attributes[name] = text(props[name])
    if props.get("evidence"):
        attributes["evidence"] = ID_LIST_SEPARATOR.join(str(e) for e in props["evidence"])
    attributes.update(_extras(props, known, EDGE_FIELDS, skipped))
    return NetworkEdge(
        id=(
            str(row["id"])
            if row["id"] is not None
            else f"{relation}-{row['source']}-{row['target']}"
        ),
        source=row["source"],
        target=row["target"],
        relation=relation,
        type=str(props.get("type") or TIE) if relation == "tie" else MEMBER_OF,
        directed=props.get("directed") is not False,
        weight=_number(props.get("weight")),
        start=day_or_none(props.get("start_first")),
        end=day_or_none(props.get("end_last")),
        attributes=attributes,
    )


def _number(value: Any) -> float | None:
    """A weight as a finite number (text such as ``"2,5"``, with a French decimal comma,
    too); None if it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value if isinstance(value, int | float) else str(value).replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _extras(
    props: Mapping[str, Any], known: set[str], reserved: frozenset[str], skipped: set[str]
) -> dict[str, str]:
    """Extra (non-model) properties as text, minus those that would shadow a field."""
    extras: dict[str, str] = {}
    for name in sorted(props):
        if name in known or props[name] is None:
            continue
        if name in reserved:
            skipped.add(name)
            continue
        extras[name] = text(props[name])
    return extras
