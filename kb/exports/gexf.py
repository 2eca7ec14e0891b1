"""GEXF 1.3 for Gephi: the actor network with spells for Gephi's timeline."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence

from kb import __version__
from kb.exports.files import ExportResult, Target, destination, target_name, writing, xml
from kb.exports.network import ActorNetwork, actor_network
from kb.periods import Period
from kb.store import Reader

GEXF_NAMESPACE = "http://gexf.net/1.3"
GEXF_VERSION = "1.3"
# The computed edge attributes, in the order GEXF declares them (then extras by name).
_EDGE_ORDER = ["kind", "type", "start", "end", "role", "evidence"]


def gexf_tree(network: ActorNetwork) -> ET.ElementTree[ET.Element]:
    """The network as a GEXF 1.3 document (dynamic, dates as ``YYYY-MM-DD``).

    Edges carry their spell as ``<spells><spell start end/></spells>`` (closed interval of
    days, an open side left out), their type as ``label`` and ``kind`` (GEXF's way to keep
    parallel edges of different kinds apart) and as the ``type`` attribute, and
    ``type="directed|undirected"``.
    """
    root = ET.Element("gexf", {"xmlns": GEXF_NAMESPACE, "version": GEXF_VERSION})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = f"kb {__version__}"
    ET.SubElement(meta, "description").text = xml(network.description())
    graph = ET.SubElement(
        root, "graph", {"mode": "dynamic", "timeformat": "date", "defaultedgetype": "directed"}
    )
    _gexf_attributes(graph, "node", _columns(n.attributes for n in network.nodes))
    _gexf_attributes(graph, "edge", _columns(e.attributes for e in network.edges))
    nodes = ET.SubElement(graph, "nodes", {"count": str(len(network.nodes))})
    for node in network.nodes:
        element = ET.SubElement(nodes, "node", {"id": xml(node.id), "label": xml(node.label)})
        _gexf_values(element, node.attributes)
    edges = ET.SubElement(graph, "edges", {"count": str(len(network.edges))})
    for edge in network.edges:
        element = ET.SubElement(
            edges,
            "edge",
            {
                "id": xml(edge.id),
                "source": xml(edge.source),
                "target": xml(edge.target),
                "type": "directed" if edge.directed else "undirected",
                "label": edge.type,
                "kind": edge.type,
            },
        )
        if edge.weight is not None:
            element.set("weight", repr(edge.weight))
        _gexf_values(element, {"kind": edge.kind, "type": edge.type, **edge.attributes})
        if edge.start is not None or edge.end is not None:
            spell = ET.SubElement(ET.SubElement(element, "spells"), "spell")
            if edge.start is not None:
                spell.set("start", edge.start.isoformat())
            if edge.end is not None:
                spell.set("end", edge.end.isoformat())
    tree: ET.ElementTree[ET.Element] = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    return tree


def _columns(rows: Iterable[Mapping[str, str]]) -> list[str]:
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return list(names)


def _gexf_attributes(graph: ET.Element, cls: str, names: list[str]) -> None:
    first = ["kind", "sector", "labels", "territory"] if cls == "node" else _EDGE_ORDER
    names = [n for n in first if n in names or cls == "edge"] + sorted(set(names) - set(first))
    attributes = ET.SubElement(graph, "attributes", {"class": cls})
    for name in names:
        ET.SubElement(attributes, "attribute", {"id": name, "title": name, "type": "string"})


def _gexf_values(element: ET.Element, values: Mapping[str, str]) -> None:
    if not values:
        return
    attvalues = ET.SubElement(element, "attvalues")
    for name, value in values.items():
        ET.SubElement(attvalues, "attvalue", {"for": name, "value": xml(value)})


def write_gexf(
    kb: Reader,
    target: Target,
    *,
    types: str | Sequence[str] | None = None,
    at: str | Period | None = None,
) -> ExportResult:
    """Write the actor network as dynamic GEXF 1.3 for Gephi.

    Args:
        kb: the knowledge base to read.
        target: a file path, or a binary stream.
        types: tie types to keep (memberships are always kept).
        at: keep only ties and memberships whose spell overlaps this partial date.

    Returns:
        Counts of actors, ties and memberships written.

    Raises:
        ValidationError: ``types`` or ``at`` is malformed.
        KBError: the file cannot be written.
    """
    network = actor_network(kb, types=types, at=at)
    tree = gexf_tree(network)
    with writing(target):
        tree.write(destination(target), encoding="UTF-8", xml_declaration=True)
    return ExportResult(target_name(target), "gexf", network.counts(), network.warnings)
