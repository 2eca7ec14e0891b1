"""Rewrite kb's current GEXF export in the shape FINDINGS.md recommends (reference only).

    python tests/handoff/gephi/samples/regroup.py IN.gexf OUT.gexf [--directed]

kb's current export writes one <edge> per tie or membership, with a single spell and static
attributes. This script regroups those edges the way FINDINGS.md says kb should write them:

- one <edge> per (relation, tie type, direction, pair), the pair unordered for undirected
  ties; its <spells> are every spell of the ties in the group;
- every per-tie value (tie id, weight, dates as written, role, evidence, extra properties) a
  dynamic attribute value over its spell; where spells of one group overlap, the union is cut
  into pieces at every spell boundary and each piece carries the values of all ties covering
  it, joined with ";" (Gephi refuses overlapping intervals on one edge or one attribute);
- a dynamic `weight` (the tie's weight, 1 when it has none: Gephi reads a missing dynamic
  weight as 0) and a static `weight=` holding their sum (what readers without dynamic weights
  use; Gephi ignores it when the dynamic column exists);
- no `defaultedgetype` (Gephi then keeps directed and undirected edges: a mixed graph);
  with --directed, defaultedgetype="directed" and an undirected group as two arcs, the second
  with id ``<id>~reverse``; the static boolean `undirected` marks both;
- the tie type as `kind` and `label` only, never as an attribute value: Gephi 0.10.1 rewrites
  "INF" to "Infinity" in every attribute value (INFORMATION -> InfinityORMATION).

It reads only what kb's export wrote and stops on a pair holding a directed and an
undirected edge of one tie type (Gephi merges those, or fails with an exception).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

NS = "http://gexf.net/1.3"
Q = f"{{{NS}}}"
DAY = timedelta(days=1)
# Attributes kb's export writes that become edge structure, not dynamic values.
STRUCTURAL = {"kind", "type"}


@dataclass
class Spell:
    """One tie or membership: its closed spell of days (None = open) and its own values."""

    start: date | None
    end: date | None
    weight: float
    values: dict[str, str]


@dataclass
class Group:
    """The ties of one Gephi edge."""

    id: str
    source: str
    target: str
    directed: bool
    relation: str
    tie_type: str
    spells: list[Spell] = field(default_factory=list)


def read_groups(root: ET.Element) -> tuple[list[Group], list[str]]:
    """The edges of kb's export, grouped; and the names of the per-spell values."""
    groups: dict[tuple[str, str, bool, str, str], Group] = {}
    columns: dict[str, None] = {}
    for edge in root.iter(f"{Q}edge"):
        directed = edge.get("type") != "undirected"
        source, target = edge.get("source", ""), edge.get("target", "")
        if not directed:
            source, target = sorted((source, target))
        values = {a.get("for", ""): a.get("value", "") for a in edge.iter(f"{Q}attvalue")}
        relation, tie_type = values.pop("kind"), values.pop("type")
        key = (relation, tie_type, directed, source, target)
        group = groups.setdefault(
            key, Group(edge.get("id", ""), source, target, directed, relation, tie_type)
        )
        spell = edge.find(f"{Q}spells/{Q}spell")
        start = _date(spell.get("start")) if spell is not None else None
        end = _date(spell.get("end")) if spell is not None else None
        weight = float(edge.get("weight", "1"))
        tie_values = {"tie_id": edge.get("id", ""), **values}
        group.spells.append(Spell(start, end, weight, tie_values))
        columns.update(dict.fromkeys(tie_values))
    _check_direction_clashes(groups.values())
    for group in groups.values():
        group.spells.sort(key=lambda s: (s.start or date.min, s.end or date.max))
        group.id = group.spells[0].values["tie_id"]
    return list(groups.values()), list(columns)


def _check_direction_clashes(groups: Iterable[Group]) -> None:
    seen: dict[tuple[str, str, frozenset[str]], bool] = {}
    for g in groups:
        key = (g.relation, g.tie_type, frozenset((g.source, g.target)))
        if seen.setdefault(key, g.directed) != g.directed:
            raise SystemExit(
                f"{g.tie_type} between {g.source} and {g.target} is both directed and "
                "undirected: Gephi would merge the two edges or fail."
            )


def pieces(spells: list[Spell]) -> list[tuple[date | None, date | None, list[Spell]]]:
    """The union of the spells cut at every boundary; each piece with the spells covering it."""
    bounds = sorted(
        {s.start for s in spells if s.start is not None}
        | {s.end + DAY for s in spells if s.end is not None}
    )
    edges: list[date | None] = [None, *bounds, None]
    out = []
    for low, high_next in zip(edges, edges[1:], strict=False):
        high = high_next - DAY if high_next is not None else None
        covering = [s for s in spells if _covers(s, low, high)]
        if covering:
            out.append((low, high, covering))
    return out


def _covers(spell: Spell, low: date | None, high: date | None) -> bool:
    starts_before = spell.start is None or (low is not None and spell.start <= low)
    ends_after = spell.end is None or (high is not None and spell.end >= high)
    return starts_before and ends_after


def union(
    cut: list[tuple[date | None, date | None, list[Spell]]],
) -> list[tuple[date | None, date | None]]:
    """Contiguous pieces merged back into the spells of the edge."""
    merged: list[tuple[date | None, date | None]] = []
    for low, high, _ in cut:
        if merged and merged[-1][1] is not None and low is not None and merged[-1][1] + DAY == low:
            merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return merged


def write(
    groups: list[Group], columns: list[str], nodes: ET.Element, directed_only: bool
) -> ET.ElementTree[ET.Element]:
    root = ET.Element("gexf", {"xmlns": NS, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "kb (regrouped by tests/handoff/gephi/samples/regroup.py)"
    graph_attributes = {"mode": "dynamic", "timeformat": "date"}
    if directed_only:
        graph_attributes["defaultedgetype"] = "directed"
    graph = ET.SubElement(root, "graph", graph_attributes)
    for attributes in nodes.iter(f"{Q}attributes"):
        if attributes.get("class") == "node":
            graph.append(_strip(attributes))
    static = ET.SubElement(graph, "attributes", {"class": "edge"})
    _declare(static, "relation", "string")
    if directed_only:
        _declare(static, "undirected", "boolean")
    dynamic = ET.SubElement(graph, "attributes", {"class": "edge", "mode": "dynamic"})
    _declare(dynamic, "weight", "double")
    for name in columns:
        _declare(dynamic, name, "string")
    graph.append(_strip(nodes.find(f"{Q}nodes")))
    edges = ET.SubElement(graph, "edges")
    for group in groups:
        arcs = [(group.id, group.source, group.target)]
        if directed_only and not group.directed:
            arcs.append((group.id + "~reverse", group.target, group.source))
        for edge_id, source, target in arcs:
            _edge(edges, group, edge_id, source, target, directed_only)
    edges.set("count", str(len(edges)))
    tree: ET.ElementTree[ET.Element] = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    return tree


def _edge(
    parent: ET.Element, group: Group, edge_id: str, source: str, target: str, directed_only: bool
) -> None:
    directed = group.directed or directed_only
    element = ET.SubElement(
        parent,
        "edge",
        {
            "id": edge_id,
            "source": source,
            "target": target,
            "type": "directed" if directed else "undirected",
            "kind": group.tie_type,
            "label": group.tie_type,
            "weight": repr(sum(s.weight for s in group.spells)),
        },
    )
    values = ET.SubElement(element, "attvalues")
    _value(values, "relation", group.relation, None, None)
    if directed_only:
        _value(values, "undirected", "false" if group.directed else "true", None, None)
    cut = pieces(group.spells)
    for low, high, covering in cut:
        _value(values, "weight", repr(sum(s.weight for s in covering)), low, high)
        names = dict.fromkeys(n for s in covering for n in s.values)
        for name in names:
            joined = ";".join(dict.fromkeys(s.values[name] for s in covering if name in s.values))
            _value(values, name, joined, low, high)
    spells = union(cut)
    if spells != [(None, None)]:
        spells_element = ET.SubElement(element, "spells")
        for low, high in spells:
            ET.SubElement(spells_element, "spell", _bounds(low, high))


def _value(parent: ET.Element, name: str, value: str, low: date | None, high: date | None) -> None:
    ET.SubElement(parent, "attvalue", {"for": name, "value": value, **_bounds(low, high)})


def _bounds(low: date | None, high: date | None) -> dict[str, str]:
    bounds = {}
    if low is not None:
        bounds["start"] = low.isoformat()
    if high is not None:
        bounds["end"] = high.isoformat()
    return bounds


def _declare(attributes: ET.Element, name: str, kind: str) -> None:
    ET.SubElement(attributes, "attribute", {"id": name, "title": name, "type": kind})


def _strip(element: ET.Element | None) -> ET.Element:
    """A copy without the namespace prefix ElementTree would write."""
    assert element is not None
    copy = ET.Element(element.tag.removeprefix(Q), element.attrib)
    copy.text = element.text
    for child in element:
        copy.append(_strip(child))
    return copy


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def main(argv: list[str]) -> None:
    source, target = argv[0], argv[1]
    root = ET.parse(source).getroot()
    groups, columns = read_groups(root)
    graph = root.find(f"{Q}graph")
    assert graph is not None
    tree = write(groups, columns, graph, directed_only="--directed" in argv)
    tree.write(target, encoding="UTF-8", xml_declaration=True)


if __name__ == "__main__":
    main(sys.argv[1:])
