"""GEXF 1.3 for Gephi: the actor network, mixed or all-directed, with spells for the timeline.

The shape is the one Gephi 0.10.1 opens without losing anything (tests/handoff/gephi/
FINDINGS.md): no ``defaultedgetype`` and a ``type`` on every edge (a mixed graph); one
edge per relation, tie type, direction and pair (`kb.exports.gephi_edges`); the tie type
only as the edge's ``kind`` and ``label``; each tie's values as dynamic attribute values
over its spell; a dynamic ``weight`` (1 for a tie without one) and its sum as ``weight=``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kb import __version__
from kb.analyses.selection import ALL_TIES, Selection
from kb.exports.files import (
    ExportResult,
    Target,
    opened,
    target_name,
    unique_id,
    xml,
    xml_warnings,
)
from kb.exports.gephi_edges import EdgeGroup, Piece, edge_weight, group_edges
from kb.exports.network import ActorNetwork, NetworkEdge, actor_network
from kb.exports.pseudonymise import (
    Pseudonymisation,
    attach_risk_report,
    pseudonymise_network,
)
from kb.provenance import stamp_meta
from kb.store import Reader

GEXF_NAMESPACE = "http://gexf.net/1.3"
GEXF_VERSION = "1.3"
NODE_ORDER = ["kind", "sector", "labels", "territory"]
# Per-tie columns, in the order declared (then extra properties by name).
TIE_COLUMNS = ["kb_id", "start", "end", "tie_weight", "role", "evidence"]
# Between the values of several ties covering one piece of an edge's time (overlapping
# spells): not ";" , which already separates the evidence ids of one tie.
TIES_SEPARATOR = " | "
REVERSE_SUFFIX = "~reverse"
# Gephi 0.9.3-0.10.1 replace "INF" by "Infinity" in every attribute value they read
# (ElementDraftImpl.parseValue): INFORMATION becomes InfinityORMATION.
GEPHI_MANGLED = "INF"


@dataclass
class GexfDocument:
    """A GEXF document and what it holds.

    Attributes:
        tree: the document.
        edges: its ``<edge>`` elements.
        undirected: how many of them are undirected (0 in the directed variant).
        warnings: what Gephi will not show as written.
    """

    tree: ET.ElementTree[ET.Element]
    edges: int
    undirected: int
    warnings: list[str]


def gexf_document(network: ActorNetwork, *, directed: bool = False) -> GexfDocument:
    """The network as a GEXF 1.3 document (dynamic, dates as ``YYYY-MM-DD``).

    Args:
        network: the actor network.
        directed: write an all-directed graph (``defaultedgetype="directed"``) where each
            undirected group is two arcs, ``ID`` and ``ID~reverse``, both with the static
            attribute ``directed`` false: for readers without mixed graphs (networkx).
            Otherwise the graph is mixed: each edge says ``type="directed|undirected"``.
    """
    groups, warnings = group_edges(network.edges)
    root = ET.Element("gexf", {"xmlns": GEXF_NAMESPACE, "version": GEXF_VERSION})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = f"kb {__version__}"
    shape = (
        "All-directed graph: each undirected tie as two arcs."
        if directed
        else "Mixed graph: directed and undirected edges."
    )
    ET.SubElement(meta, "description").text = xml(f"{network.description()} {shape}")
    graph_attributes = {"mode": "dynamic", "timeformat": "date"}
    if directed:
        graph_attributes["defaultedgetype"] = "directed"
    graph = ET.SubElement(root, "graph", graph_attributes)
    _declare(graph, "node", None, _columns((n.attributes for n in network.nodes), NODE_ORDER))
    static = {"relation": "string"} | ({"directed": "boolean"} if directed else {})
    _declare(graph, "edge", None, static)
    tie_values = (e.attributes | _own_values(e) for e in network.edges)
    _declare(graph, "edge", "dynamic", {"weight": "double"} | _columns(tie_values, TIE_COLUMNS))
    nodes = ET.SubElement(graph, "nodes", {"count": str(len(network.nodes))})
    for node in network.nodes:
        element = ET.SubElement(nodes, "node", {"id": xml(node.id), "label": xml(node.label)})
        _static_values(element, node.attributes)
    edges = ET.SubElement(graph, "edges")
    ids: set[str] = set()
    for group in groups:
        arcs = [(group.source, group.target)]
        if directed and not group.directed:
            arcs.append((group.target, group.source))
        for number, (source, target) in enumerate(arcs):
            edge_id = unique_id(group.id + (REVERSE_SUFFIX if number else ""), ids)
            _edge(edges, group, edge_id, source, target, directed_only=directed)
    edges.set("count", str(len(edges)))
    warnings.extend(_mangled_values(root))
    tree: ET.ElementTree[ET.Element] = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    undirected = sum(1 for e in edges if e.get("type") == "undirected")
    return GexfDocument(tree, len(edges), undirected, warnings)


def _own_values(edge: NetworkEdge) -> dict[str, str]:
    """The per-tie columns the export adds to a tie's attributes: its id and weight."""
    values = {"kb_id": edge.id}
    if edge.weight is not None:
        values["tie_weight"] = repr(edge.weight)
    return values


def _edge(
    parent: ET.Element,
    group: EdgeGroup,
    edge_id: str,
    source: str,
    target: str,
    *,
    directed_only: bool,
) -> None:
    element = ET.SubElement(
        parent,
        "edge",
        {
            "id": xml(edge_id),
            "source": xml(source),
            "target": xml(target),
            "type": "directed" if group.directed or directed_only else "undirected",
            "kind": xml(group.kind),
            "label": xml(group.kind),
            "weight": repr(group.weight),
        },
    )
    attvalues = ET.SubElement(element, "attvalues")
    _value(attvalues, "relation", group.relation)
    if directed_only:
        _value(attvalues, "directed", "true" if group.directed else "false")
    for piece in group.pieces():
        bounds = _bounds(piece.start, piece.end)
        _value(attvalues, "weight", repr(sum(edge_weight(e) for e in piece.edges)), bounds)
        for name, value in _piece_values(piece).items():
            _value(attvalues, name, value, bounds)
    spells = group.spells()
    if spells != [(None, None)]:
        spells_element = ET.SubElement(element, "spells")
        for start, end in spells:
            ET.SubElement(spells_element, "spell", _bounds(start, end))


def _piece_values(piece: Piece) -> dict[str, str]:
    """Each column's value over a piece: one tie's value, or every covering tie's in order
    (empty where one has none) joined with `TIES_SEPARATOR`."""
    rows = [_own_values(e) | e.attributes for e in piece.edges]
    names = _columns(rows, TIE_COLUMNS)
    return {name: TIES_SEPARATOR.join(row.get(name, "") for row in rows) for name in names}


def _columns(rows: Iterable[Mapping[str, str]], first: list[str]) -> dict[str, str]:
    """The column names present in ``rows``: those of ``first`` in its order, then the
    others by name; all of GEXF type string."""
    present: set[str] = set()
    for row in rows:
        present.update(row)
    names = [n for n in first if n in present] + sorted(present - set(first))
    return dict.fromkeys(names, "string")


def _declare(graph: ET.Element, cls: str, mode: str | None, columns: Mapping[str, str]) -> None:
    if not columns:
        return
    # mode="dynamic" is what makes Gephi keep a value per spell; GEXF 1.3's grammar dropped
    # it, Gephi still needs it (FINDINGS.md rule 2; tests validate against gexf-gephi.rng).
    attributes = ET.SubElement(
        graph, "attributes", {"class": cls, **({"mode": mode} if mode else {})}
    )
    for name, kind in columns.items():
        ET.SubElement(attributes, "attribute", {"id": xml(name), "title": xml(name), "type": kind})


def _static_values(element: ET.Element, values: Mapping[str, str]) -> None:
    if values:
        attvalues = ET.SubElement(element, "attvalues")
        for name, value in values.items():
            _value(attvalues, name, value)


def _value(
    parent: ET.Element, name: str, value: str, bounds: Mapping[str, str] | None = None
) -> None:
    ET.SubElement(parent, "attvalue", {"for": xml(name), "value": xml(value), **(bounds or {})})


def _bounds(start: date | None, end: date | None) -> dict[str, str]:
    bounds = {}
    if start is not None:
        bounds["start"] = start.isoformat()
    if end is not None:
        bounds["end"] = end.isoformat()
    return bounds


def _mangled_values(root: ET.Element) -> list[str]:
    """A warning listing the attribute values Gephi will change (INF -> Infinity)."""
    found: list[str] = []
    for element in root.iter():
        if element.tag not in ("node", "edge"):
            continue
        for value in element.iter("attvalue"):
            if GEPHI_MANGLED in value.get("value", ""):
                what = "actor" if element.tag == "node" else "edge"
                found.append(
                    f"{what} {element.get('id')} {value.get('for')} {value.get('value')!r}"
                )
    if not found:
        return []
    examples = "; ".join(dict.fromkeys(found[:3]))
    return [
        f"{len(found)} attribute value(s) contain 'INF', which Gephi 0.10 shows as 'Infinity' "
        f"(a Gephi bug; the file holds them as written): {examples}"
        + (" ..." if len(found) > 3 else "")
        + "."
    ]


def write_gexf(
    kb: Reader,
    target: Target,
    selection: Selection = ALL_TIES,
    *,
    directed: bool = False,
    pseudonymise: Pseudonymisation | None = None,
    risk_report: bool = True,
) -> ExportResult:
    """Write the actor network as dynamic GEXF 1.3 for Gephi.

    Args:
        kb: the knowledge base to read.
        target: a file path, or a binary stream.
        selection: the ties to keep (`kb.analyses.selection.Selection`); memberships are
            kept by its period alone.
        directed: an all-directed graph, undirected ties as two arcs (for networkx);
            see `gexf_document`.
        pseudonymise: rename people (and organisations), mask and coarsen as it says
            (`kb.exports.pseudonymise`), and write a risk report beside the export.
        risk_report: with ``pseudonymise``, write the risk report beside it (False: the
            caller assesses several outputs at once, as ``kb publish`` does).

    Returns:
        Counts of actors, ties and memberships read and of the GEXF edges written
        (``edges``, ``undirected_edges``); warnings about what Gephi will show differently.

    Raises:
        ValidationError: a type or period of the selection the case does not have, or
            the evidence selection keeps no tie.
        KBError: a spell ends before it starts, or the file cannot be written.
    """
    network = actor_network(kb, selection)
    pseudonymiser = None
    if pseudonymise is not None:
        network, pseudonymiser = pseudonymise_network(kb, network, pseudonymise, target)
    document = gexf_document(network, directed=directed)
    stamp_meta(document.tree.getroot(), kb)
    with opened(target) as out:
        document.tree.write(out, encoding="UTF-8", xml_declaration=True)
    counts = network.counts() | {"edges": document.edges, "undirected_edges": document.undirected}
    warnings = network.warnings + xml_warnings(network.texts()) + document.warnings
    result = ExportResult(target_name(target), "gexf", counts, warnings)
    if pseudonymiser is not None and risk_report:
        attach_risk_report(result, network, pseudonymiser, Path(target_name(target)))
    return result
