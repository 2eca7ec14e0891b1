"""Exports of the case for other tools, and helpers for Neo4j Browser.

- `write_gexf`: the actor network as dynamic GEXF 1.3, for Gephi's timeline;
- `write_graphml`: the same network as GraphML (networkx, R igraph, Cytoscape, ...);
- `write_csv`: the whole case in the import format (docs/data-format.md), so that exporting
  and importing into an empty database gives back the same graph;
- `browser_style` and `browser_link`: kb's Neo4j Browser stylesheet (GraSS) and the Browser
  URL of a server with its connect settings.

Library only: these functions return plain data or write files; kb/cli/export.py and
kb/cli/browser.py print. The formats are documented in docs/exports.md.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from kb import __version__
from kb.errors import KBError
from kb.ingest import ENDPOINTS
from kb.model import (
    ACTOR,
    AFFECTED,
    ATTENDED,
    DATE_PROPERTY_SUFFIXES,
    ID_LIST_SEPARATOR,
    LABELS,
    MEMBER_OF,
    PROPERTY_NAME_PATTERN,
    TABLE_SPECS,
    TABLES_BY_NAME,
    TAKES_POSITION,
    TIE,
    Table,
)
from kb.network import parse_types
from kb.periods import Period, parse_at
from kb.settings import DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT, ServerSettings, Settings

if TYPE_CHECKING:
    import networkx as nx

    from kb.graph import KnowledgeBase

GEXF_NAMESPACE = "http://gexf.net/1.3"
GEXF_VERSION = "1.3"
HTTPS_PORT = 7473  # Neo4j's default HTTPS connector, where a TLS server serves the Browser

# The relationship type each link table is stored as (kb/cypher/import/*.cypher).
LINK_TYPES: dict[str, str] = {
    "ties": TIE,
    "memberships": MEMBER_OF,
    "attendance": ATTENDED,
    "reform_effects": AFFECTED,
    "positions": TAKES_POSITION,
}
# Fields kb computes for network nodes and edges; extra properties may not shadow them.
NODE_FIELDS = frozenset({"label", "kind", "sector", "labels", "territory"})
EDGE_FIELDS = frozenset(
    {"kb_id", "kind", "type", "directed", "weight", "start", "end", "start_first", "end_last",
     "role", "evidence"}
)  # fmt: skip

Target = str | Path | IO[bytes]

# The computed edge attributes, in the order GEXF declares them (then extras by name).
_EDGE_ORDER = ["kind", "type", "start", "end", "role", "evidence"]
# Characters XML 1.0 cannot hold at all, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class ExportResult:
    """What an export wrote.

    Attributes:
        path: the file or folder written (``-`` for a stream).
        format: ``gexf``, ``graphml`` or ``csv``.
        counts: what was written: actors / ties / memberships, or rows per CSV table.
        warnings: properties left out, and why.
    """

    path: str
    format: str
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The result as plain data (for ``--format json``)."""
        return asdict(self)


# -- selection: --types and --at ------------------------------------------------------------


def _period(at: str | Period | None) -> Period | None:
    return at if isinstance(at, Period) else parse_at(at)


def _window(period: Period | None) -> dict[str, Any]:
    return period.params() if period else {"at_first": None, "at_last": None}


# -- the actor network (GEXF and GraphML) ---------------------------------------------------


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
        kind: ``tie`` or ``membership``.
        type: the tie type, or ``MEMBER_OF``.
        directed: False for undirected ties (stored once, source to target).
        weight: the tie's weight, if it has one.
        start: first day of the spell (``start_first``); None when open.
        end: last day of the spell (``end_last``); None when open.
        attributes: start / end as written, role, evidence (``;``-joined), extra properties.
    """

    id: str
    source: str
    target: str
    kind: str
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

    def counts(self) -> dict[str, int]:
        """Actors, ties and memberships in the network."""
        return {
            "actors": len(self.nodes),
            "ties": sum(1 for e in self.edges if e.kind == "tie"),
            "memberships": sum(1 for e in self.edges if e.kind == "membership"),
        }

    def description(self) -> str:
        """One sentence saying what the network holds (written into the files)."""
        types = ", ".join(self.types) if self.types else "all tie types"
        when = f"spells overlapping {self.period.label}" if self.period else "every spell"
        return f"kb actor network: ties ({types}) and memberships; {when}."


def actor_network(
    kb: KnowledgeBase,
    *,
    types: str | Sequence[str] | None = None,
    at: str | Period | None = None,
) -> ActorNetwork:
    """Every actor, and the ties and memberships to export as a network.

    All actors are kept (isolates too), so every edge has both its ends.

    Args:
        kb: the knowledge base to read.
        types: tie types to keep (comma-separated or a sequence); memberships are kept
            whatever the types.
        at: a partial date (or `Period`): keep only ties and memberships whose spell
            overlaps it (``start_first <= last`` and ``end_last >= first``; an open side
            always overlaps).

    Returns:
        The network.

    Raises:
        ValidationError: ``types`` or ``at`` is malformed.
    """
    selected = parse_types(types)
    period = _period(at)
    window = _window(period)
    network = ActorNetwork([], [], types=selected, period=period)
    nodes: dict[str, NetworkNode] = {}
    skipped: dict[str, set[str]] = {}
    known = {"id", "name", "kind", "sector", "territory"}
    for row in kb.read("export/nodes", label=ACTOR):
        props = row["props"]
        attributes: dict[str, str] = {}
        for name in ("kind", "sector"):
            if props.get(name) is not None:
                attributes[name] = _text(props[name])
        attributes["labels"] = ID_LIST_SEPARATOR.join(sorted(row["labels"]))
        if props.get("territory") is not None:
            attributes["territory"] = _text(props["territory"])
        attributes.update(_extras(props, known, NODE_FIELDS, skipped.setdefault("actors", set())))
        nodes[row["id"]] = NetworkNode(row["id"], _text(props.get("name") or row["id"]), attributes)
    edges: list[NetworkEdge] = []
    for kind, table, rel_type, kept in (
        ("tie", "ties", TIE, selected),
        ("membership", "memberships", MEMBER_OF, None),
    ):
        known = _known_properties(TABLES_BY_NAME[table])
        for row in kb.read("export/relationships", rel_type=rel_type, types=kept, **window):
            edges.append(_network_edge(kind, row, known, skipped.setdefault(table, set())))
    seen: set[str] = set()
    for index, edge in enumerate(edges):
        for end in (edge.source, edge.target):
            nodes.setdefault(end, NetworkNode(end, end, {}))
        if edge.id in seen:  # ids are unique per relationship type, not across types
            edge.id = f"{edge.kind}:{edge.id}:{index}"
        seen.add(edge.id)
    network.nodes = list(nodes.values())
    network.edges = edges
    network.warnings = [
        f"{table}: left out properties {', '.join(sorted(names))}: their names clash with "
        "the export's own fields."
        for table, names in skipped.items()
        if names
    ]
    return network


def _network_edge(
    kind: str, row: Mapping[str, Any], known: set[str], skipped: set[str]
) -> NetworkEdge:
    props = row["props"]
    attributes: dict[str, str] = {}
    for name in ("start", "end", "role"):
        if props.get(name) is not None:
            attributes[name] = _text(props[name])
    if props.get("evidence"):
        attributes["evidence"] = ID_LIST_SEPARATOR.join(str(e) for e in props["evidence"])
    attributes.update(_extras(props, known, EDGE_FIELDS, skipped))
    weight = props.get("weight")
    return NetworkEdge(
        id=str(row["id"]) if row["id"] is not None else f"{kind}-{row['source']}-{row['target']}",
        source=row["source"],
        target=row["target"],
        kind=kind,
        type=str(props.get("type") or TIE) if kind == "tie" else MEMBER_OF,
        directed=props.get("directed") is not False,
        weight=float(weight) if isinstance(weight, int | float) else None,
        start=_native_date(props.get("start_first")),
        end=_native_date(props.get("end_last")),
        attributes=attributes,
    )


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
        extras[name] = _text(props[name])
    return extras


def _known_properties(spec: Table) -> set[str]:
    """Properties the import writes for a table's rows (everything else is an extra column)."""
    known = {column.name for column in spec.columns} | {"id"}
    for column in spec.columns:
        if column.type == "date":
            known |= {column.name + suffix for suffix in DATE_PROPERTY_SUFFIXES}
    if spec.derive_id is not None:
        known.add("evidence")  # link rows always carry their evidence list
    return known


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
    ET.SubElement(meta, "description").text = _xml(network.description())
    graph = ET.SubElement(
        root, "graph", {"mode": "dynamic", "timeformat": "date", "defaultedgetype": "directed"}
    )
    _gexf_attributes(graph, "node", _columns(n.attributes for n in network.nodes))
    _gexf_attributes(graph, "edge", _columns(e.attributes for e in network.edges))
    nodes = ET.SubElement(graph, "nodes", {"count": str(len(network.nodes))})
    for node in network.nodes:
        element = ET.SubElement(nodes, "node", {"id": _xml(node.id), "label": _xml(node.label)})
        _gexf_values(element, node.attributes)
    edges = ET.SubElement(graph, "edges", {"count": str(len(network.edges))})
    for edge in network.edges:
        element = ET.SubElement(
            edges,
            "edge",
            {
                "id": _xml(edge.id),
                "source": _xml(edge.source),
                "target": _xml(edge.target),
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
        ET.SubElement(attvalues, "attvalue", {"for": name, "value": _xml(value)})


def write_gexf(
    kb: KnowledgeBase,
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
    with _writing(target):
        tree.write(_destination(target), encoding="UTF-8", xml_declaration=True)
    return ExportResult(_name(target), "gexf", network.counts(), network.warnings)


def to_networkx(network: ActorNetwork) -> nx.MultiDiGraph:
    """The network as a networkx MultiDiGraph (what `write_graphml` writes).

    Edges are keyed by their id (also in ``kb_id``); an undirected tie is one edge, source
    to target, with ``directed=False``. Dates are ISO strings (``start_first`` /
    ``end_last``) next to the partial dates as written (``start`` / ``end``).
    """
    import networkx as nx

    graph = nx.MultiDiGraph(description=network.description())
    for node in network.nodes:
        graph.add_node(
            node.id,
            label=_xml(node.label),
            **{k: _xml(v) for k, v in node.attributes.items()},
        )
    for edge in network.edges:
        # The id again as data: GraphML readers differ in what they do with <edge id>.
        data: dict[str, Any] = {
            "kb_id": _xml(edge.id), "kind": edge.kind, "type": edge.type,
            "directed": edge.directed,
        }  # fmt: skip
        if edge.weight is not None:
            data["weight"] = edge.weight
        if edge.start is not None:
            data["start_first"] = edge.start.isoformat()
        if edge.end is not None:
            data["end_last"] = edge.end.isoformat()
        data.update({k: _xml(v) for k, v in edge.attributes.items()})
        graph.add_edge(edge.source, edge.target, key=edge.id, **data)
    return graph


def write_graphml(
    kb: KnowledgeBase,
    target: Target,
    *,
    types: str | Sequence[str] | None = None,
    at: str | Period | None = None,
) -> ExportResult:
    """Write the actor network as GraphML (readable by networkx and R igraph).

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
    import networkx as nx

    network = actor_network(kb, types=types, at=at)
    graph = to_networkx(network)
    with _writing(target):
        nx.write_graphml(graph, _destination(target), encoding="utf-8")
    return ExportResult(_name(target), "graphml", network.counts(), network.warnings)


# -- the import format (CSV) ----------------------------------------------------------------


def table_rows(
    kb: KnowledgeBase,
    table: str,
    *,
    types: str | Sequence[str] | None = None,
    at: str | Period | None = None,
) -> tuple[list[str], list[dict[str, str]], list[str]]:
    """One import table read back from the database, as text cells.

    Args:
        kb: the knowledge base to read.
        table: a table of the import format (``kb.model.TABLES``).
        types: for ``ties``, the tie types to keep.
        at: for ``ties`` and ``memberships``, keep the spells overlapping this date.

    Returns:
        The header (the table's columns, then extra properties in name order), the rows
        (column -> cell; dates as written, evidence ``;``-joined, yes/no as true/false),
        and the names of properties left out because they cannot be import columns.

    Raises:
        ValueError: ``table`` is not an import table.
        ValidationError: ``types`` or ``at`` is malformed.
    """
    spec = TABLES_BY_NAME.get(table)
    if spec is None:
        raise ValueError(f"Unknown table {table!r}.")
    known = _known_properties(spec)
    if spec.name in LINK_TYPES:
        kept = parse_types(types) if spec.name == "ties" else None
        found = kb.read(
            "export/relationships",
            rel_type=LINK_TYPES[spec.name],
            types=kept,
            **_window(_period(at)),
        )
    else:
        label = spec.labels[0]
        if label not in LABELS:
            raise ValueError(f"Table {table!r} has no node label.")
        found = kb.read("export/nodes", label=label)
    ends = ENDPOINTS.get(spec.name, ())
    rows: list[dict[str, str]] = []
    extras: dict[str, None] = {}
    skipped: set[str] = set()
    for record in found:
        props = record["props"]
        row: dict[str, str] = {}
        for column in spec.columns:
            if column.name == "id":
                value: Any = record["id"]
            elif ends and column.name == ends[0]:
                value = record["source"]
            elif ends and column.name == ends[1]:
                value = record["target"]
            else:
                value = props.get(column.name)
            row[column.name] = _cell(value)
        for name in sorted(props):
            if name in known or props[name] is None:
                continue
            if _importable_extra(spec, name):
                row[name] = _cell(props[name])
                extras[name] = None
            else:
                skipped.add(name)
        rows.append(row)
    header = [column.name for column in spec.columns] + sorted(extras)
    return header, rows, sorted(skipped)


def _importable_extra(spec: Table, name: str) -> bool:
    """Whether a property can come back through an extra column of the import."""
    # Import lower-cases header names, so an upper-case property would come back renamed.
    return (
        PROPERTY_NAME_PATTERN.fullmatch(name) is not None
        and name == name.lower()
        and not spec.reserved_property(name)
    )


def write_csv(
    kb: KnowledgeBase,
    folder: str | Path,
    *,
    types: str | Sequence[str] | None = None,
    at: str | Period | None = None,
) -> ExportResult:
    """Write the case as a folder of CSV files in the import format.

    Every table of docs/data-format.md is written (a header alone when it has no rows), in
    UTF-8 with a byte-order mark so that Excel shows accents. Importing the folder into an
    empty database rebuilds the same nodes, relationships and properties.

    Args:
        kb: the knowledge base to read.
        folder: created if needed; the table files in it are replaced.
        types: tie types to keep in ``ties.csv``.
        at: keep only ties and memberships whose spell overlaps this partial date; the
            other tables are written whole, so the folder stays importable.

    Returns:
        Rows written per table, and warnings about properties left out.

    Raises:
        ValidationError: ``types`` or ``at`` is malformed.
        KBError: the folder or a file cannot be written.
    """
    selected = parse_types(types)
    period = _period(at)
    out = Path(folder)
    with _writing(out):
        out.mkdir(parents=True, exist_ok=True)
    result = ExportResult(str(out), "csv", {})
    for spec in TABLE_SPECS:
        header, rows, skipped = table_rows(kb, spec.name, types=selected, at=period)
        path = out / f"{spec.name}.csv"
        with _writing(path), path.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.DictWriter(stream, header, restval="")
            writer.writeheader()
            writer.writerows(rows)
        result.counts[spec.name] = len(rows)
        if skipped:
            result.warnings.append(
                f"{spec.name}.csv: left out properties {', '.join(skipped)}: the import "
                "cannot read them back (reserved or not lower-case names)."
            )
    return result


# -- Neo4j Browser ----------------------------------------------------------------------------


def browser_style() -> str:
    """kb's Neo4j Browser stylesheet (GraSS), as text.

    One colour per node label (Person, Organization, Meeting, Document, Evidence,
    ReformEvent, Stage, Territory, Problem), captions from ``name`` / ``title`` /
    ``statement`` / ``id``, organizations drawn larger than persons, and tie types as the
    captions of TIE relationships. GraSS cannot colour by a property value (such as an
    actor's sector), only by label.
    """
    return (resources.files("kb") / "resources" / "kb.grass").read_text("utf-8")


@dataclass(frozen=True)
class BrowserLink:
    """Where Neo4j Browser is, and what its connect form needs.

    Attributes:
        url: the Browser URL with the connect form filled in (``?dbms=...&db=...``); it
            never holds the password.
        browser_url: the Browser itself.
        bolt_uri: the address the Browser connects to.
        user: the user name.
        database: the database.
        local_server: True when this is kb's local server, whose HTTP port kb knows;
            otherwise ``browser_url`` is derived from the Bolt URI's host.
    """

    url: str
    browser_url: str
    bolt_uri: str
    user: str
    database: str
    local_server: bool

    def as_dict(self) -> dict[str, Any]:
        """The link as plain data."""
        return asdict(self)


_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def browser_link(settings: Settings, *, server: ServerSettings | None = None) -> BrowserLink:
    """The Neo4j Browser URL for a server, without connecting to it.

    For kb's local server (the Bolt URI is a loopback address on the server's Bolt port)
    the Browser URL comes from `ServerSettings`. For any other server it is derived from
    the Bolt URI's host: port 7474 over http, or 7473 over https for a TLS scheme
    (``+s`` / ``+ssc``); an Aura host (``*.neo4j.io``) serves it over https on port 443.

    Args:
        settings: the connection settings (``Settings.from_env``).
        server: the local server's settings; by default ``ServerSettings.from_env()``.

    Returns:
        The link.
    """
    server = server or ServerSettings.from_env()
    parts = urlsplit(settings.uri)
    host = parts.hostname or "127.0.0.1"
    try:
        port = parts.port or DEFAULT_BOLT_PORT
    except ValueError:  # a malformed port: not the local server
        port = -1
    local = host in _LOCAL_HOSTS and port == server.bolt_port
    if local:
        browser = server.browser_url
    else:
        shown = f"[{host}]" if ":" in host else host
        secure = parts.scheme.endswith(("+s", "+ssc"))
        if secure and host.endswith(".neo4j.io"):
            browser = f"https://{shown}/browser/"
        elif secure:
            browser = f"https://{shown}:{HTTPS_PORT}/browser/"
        else:
            browser = f"http://{shown}:{DEFAULT_HTTP_PORT}/browser/"
    address = parts.netloc.rpartition("@")[2]
    connect = f"{parts.scheme or 'bolt'}://{settings.user}@{address}"
    url = f"{browser}?dbms={quote(connect, safe=':/@')}&db={quote(settings.database, safe='')}"
    return BrowserLink(url, browser, settings.uri, settings.user, settings.database, local)


# -- small helpers ----------------------------------------------------------------------------


def _native_date(value: Any) -> date | None:
    """A Neo4j Date (or a Python date) as a Python date."""
    if value is None:
        return None
    if hasattr(value, "to_native"):
        native = value.to_native()
        return native if isinstance(native, date) else None
    return value if isinstance(value, date) else None


def _text(value: Any) -> str:
    """A property value as text: lists ``;``-joined, dates ISO, booleans true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ID_LIST_SEPARATOR.join(_text(v) for v in value)
    if hasattr(value, "iso_format"):  # neo4j.time types
        return str(value.iso_format())
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cell(value: Any) -> str:
    """A CSV cell in the import format: None empty, floats exact, the rest like `_text`."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return _text(value)


def _xml(value: str) -> str:
    """Text without the control characters XML 1.0 cannot represent."""
    return _XML_INVALID.sub("", value)


@contextmanager
def _writing(target: Target) -> Iterator[None]:
    """Turn a failed write (missing folder, no permission, disk full) into one sentence."""
    try:
        yield
    except OSError as e:
        raise KBError(f"Cannot write {_name(target)}: {e.strerror or e}.") from e


def _destination(target: Target) -> str | IO[bytes]:
    return str(target) if isinstance(target, str | Path) else target


def _name(target: Target) -> str:
    return str(target) if isinstance(target, str | Path) else "-"
