"""An in-memory `kb.store.CachingReader`: kb's canned read queries answered in Python.

The graph is built from a case folder through kb.imports' own parsing and validation
(`open_dataset`, `validate`, `records`, `date_properties`), with the labels and
relationship types the import queries give (kb/cypher/import/). Each query the analyses
run is implemented from its documented semantics: time selection by
`kb.periods.Period.overlaps`, evidence selection by
`kb.analyses.selection.Selection.keeps` (a query taking the selection's parameters
builds the `Selection` they are, so a new way of selecting ties needs no change here).
tests/integration/test_memory_reader.py
runs every query implemented here against Neo4j with the same case and compares the rows,
so a fake that drifts from the Cypher fails there.

A query it does not implement is an error naming the ones it does.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from kb import queries
from kb.analyses.selection import TRIANGULATING_KINDS, Coverage, Selection
from kb.imports import open_dataset, records, validate
from kb.imports.writer import record_properties
from kb.model import ENDPOINTS, LINK_TYPES, NODE_LINKS
from kb.periods import Period, add_window
from kb.schema import SCHEMA_VERSION

T = TypeVar("T")

# The node labels of each node table (kb/cypher/import/<table>.cypher).
NODE_LABELS: dict[str, tuple[str, ...]] = {
    "case": ("Case",),
    "territories": ("Territory",),
    "organizations": ("Actor", "Organization"),
    "actors": ("Actor", "Person"),
    "documents": ("Document",),
    "evidence": ("Evidence",),
    "meetings": ("Meeting",),
    "stages": ("Stage",),
    "reforms": ("ReformEvent",),
    "problems": ("Problem",),
}
# The relationship a node table's reference column becomes, and whether it points from the
# referenced node (documents: (author)-[:AUTHORED]->(document)).
NODE_LINK_TYPES: dict[str, tuple[str, bool]] = {
    "territories": ("PART_OF", False),
    "organizations": ("IN_TERRITORY", False),
    "actors": ("IN_TERRITORY", False),
    "documents": ("AUTHORED", True),
    "evidence": ("FROM_DOCUMENT", False),
    "meetings": ("IN_TERRITORY", False),
}
MAX_PATH_HOPS = 12  # paths/shortest searches up to 12 hops


@dataclass
class Node:
    labels: set[str]
    props: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.props["id"])


@dataclass
class Rel:
    type: str
    start: Node
    end: Node
    props: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        return self.props.get(key)


def _stored(props: dict[str, Any]) -> dict[str, Any]:
    """Properties as Neo4j keeps them: setting a property to null removes it."""
    return {k: v for k, v in props.items() if v is not None}


def _properties(table: str, record: dict[str, Any]) -> dict[str, Any]:
    """A validated record's properties, as the import stores them."""
    return _stored(record_properties(table, record))


def _last_key(value: Any) -> tuple[bool, Any]:
    """Sort key putting nulls last, as Cypher's ascending ORDER BY does."""
    return (value is None, value if value is not None else 0)


def _iso_plus(day: date, duration: str) -> date:
    """``day + duration('P..')`` as Cypher computes it: months (clamped), then days."""
    match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", duration)
    if not match or duration == "P":
        raise ValueError(f"unsupported duration {duration!r}")
    years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
    if years or months:
        day = add_window(day, f"{12 * years + months}m")
    return day + timedelta(weeks=weeks, days=days)


class MemoryReader:
    """kb's read queries over an in-memory case (see the module docstring)."""

    def __init__(self, folder: str | Path) -> None:
        dataset = open_dataset(folder)
        result = validate(dataset)
        result.raise_for_issues()
        self.nodes: dict[tuple[str, str], Node] = {}
        self.rels: list[Rel] = []
        self.queries: list[tuple[str, dict[str, Any]]] = []
        self.cache: dict[str, Any] = {}
        self.cache_hits = 0
        by_table = {t: list(records(dataset, t)) for t in dataset.tables()}
        for table, rows in by_table.items():
            if table in NODE_LABELS:
                for record in rows:
                    self._node(table, record)
        for table, rows in by_table.items():
            for record in rows:
                if table in NODE_LINK_TYPES and record.get(NODE_LINKS[table]) is not None:
                    self._node_link(table, record)
                if table in LINK_TYPES:
                    self._link(table, record)

    # --- building -----------------------------------------------------------------------

    def _key(self, table: str, ident: str) -> tuple[str, str]:
        return (NODE_LABELS[table][0], ident)

    def _node(self, table: str, record: dict[str, Any]) -> None:
        props = _properties(table, record)
        props["id"] = record["id"]
        self.nodes[self._key(table, record["id"])] = Node(set(NODE_LABELS[table]), props)

    def _find(self, label: str, ident: str) -> Node:
        return self.nodes[(label, ident)]

    def _node_link(self, table: str, record: dict[str, Any]) -> None:
        kind, reverse = NODE_LINK_TYPES[table]
        target_label = {
            "territories": "Territory",
            "organizations": "Territory",
            "actors": "Territory",
            "documents": "Actor",
            "evidence": "Document",
            "meetings": "Territory",
        }[table]
        here = self._find(NODE_LABELS[table][0], record["id"])
        there = self._find(target_label, record[NODE_LINKS[table]])
        start, end = (there, here) if reverse else (here, there)
        self.rels.append(Rel(kind, start, end))

    def _link(self, table: str, record: dict[str, Any]) -> None:
        first, second = ENDPOINTS[table]
        labels = {
            "ties": ("Actor", "Actor"),
            "memberships": ("Actor", "Actor"),
            "attendance": ("Actor", "Meeting"),
            "positions": ("Actor", "Problem"),
            "reform_effects": ("ReformEvent", "Actor"),
            "mentions": ("Evidence", "Actor"),
        }[table]
        start = self._find(labels[0], record[first])
        end = self._find(labels[1], record[second])
        props = _properties(table, record)
        props["id"] = record["id"]
        if table not in ("mentions",):
            props["evidence"] = list(record.get("evidence") or [])
        self.rels.append(Rel(LINK_TYPES[table], start, end, props))
        if table == "reform_effects" and record.get("successor"):
            successor = self._find("Actor", record["successor"])
            succ = {"reform": record["reform"]}
            if "date" in props:
                succ.update(date=props["date"], date_first=props["date_first"])
            self.rels.append(Rel("SUCCEEDED_BY", end, successor, _stored(succ)))

    # --- the Reader protocol ------------------------------------------------------------

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the query ``name`` (``rows: many``; its Python version) with ``params``."""
        return self._rows(name, params, "many")

    def read_one(self, name: str, **params: Any) -> dict[str, Any]:
        """The one row of the query ``name`` (``rows: one``)."""
        return self._rows(name, params, "one")[0]

    def read_optional(self, name: str, **params: Any) -> dict[str, Any] | None:
        """The row of the query ``name`` (``rows: optional``), or None."""
        rows = self._rows(name, params, "optional")
        return rows[0] if rows else None

    def _rows(self, name: str, params: dict[str, Any], form: str) -> list[dict[str, Any]]:
        """The rows of ``name``, held to its header's ``rows:`` as KnowledgeBase holds them."""
        query = QUERIES.get(name)
        if query is None:
            raise KeyError(f"MemoryReader has no query {name!r}; it has {', '.join(QUERIES)}")
        declared = queries.get(name)
        declared.expect(form)
        self.queries.append((name, params))
        return declared.check_rows(query(self, **params))

    def cached(self, parts: list[Any], compute: Callable[[], T]) -> T:
        """``compute()`` once per ``parts`` (the data never changes)."""
        key = repr(parts)
        if key in self.cache:
            self.cache_hits += 1
        else:
            self.cache[key] = compute()
        return self.cache[key]  # type: ignore[no-any-return]

    # --- shared pieces ------------------------------------------------------------------

    def labelled(self, label: str) -> list[Node]:
        return [n for n in self.nodes.values() if label in n.labels]

    def of_type(self, kind: str) -> list[Rel]:
        return [r for r in self.rels if r.type == kind]

    def ties(self) -> list[Rel]:
        return self.of_type("TIE")

    def evidence_of(self, tie: Rel) -> list[Node]:
        """The Evidence nodes whose id the tie lists (each once)."""
        ids = set(tie.get("evidence") or [])
        return [n for n in self.labelled("Evidence") if n.id in ids]

    def coverage(self, tie: Rel, selection: Selection | None = None) -> Coverage:
        """The tie's coverage by the items ``selection`` counts (`Selection.codes`)."""
        items = [
            e
            for e in self.evidence_of(tie)
            if selection is None or selection.codes(e.props.get("coder"))
        ]
        return Coverage(len(items), frozenset(str(e.props["kind"]) for e in items))


def _keeps(db: MemoryReader, tie: Rel, params: dict[str, Any]) -> bool:
    """Whether the selection whose query parameters ``params`` are keeps ``tie``
    (kb/cypher/_fragments/selected.cypher in Python: `Selection.keeps`)."""
    selection = Selection.from_params(params)
    coverage = db.coverage(tie, selection) if selection.active else Coverage(0, frozenset())
    return selection.keeps(tie.props, coverage)


def _in_types(tie: Rel, types: list[str] | None) -> bool:
    return types is None or tie.get("type") in types


def _directed(tie: Rel) -> bool:
    value = tie.get("directed")
    return True if value is None else bool(value)


def _text(value: Any) -> str:
    return "" if value is None else value.isoformat()


def _project(props: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    return {k: props.get(k) for k in keys}


# --- network/ ---------------------------------------------------------------------------


def network_actors(db: MemoryReader, group_by: str | None = None) -> list[dict[str, Any]]:
    rows = [
        {
            "id": a.id,
            "name": a.props.get("name"),
            "group": None if group_by is None else a.props.get(group_by),
            "kind": "organization" if "Organization" in a.labels else "person",
        }
        for a in db.labelled("Actor")
    ]
    return sorted(rows, key=lambda r: r["id"])


def network_ties(
    db: MemoryReader, weight: str | None = None, **selection: Any
) -> list[dict[str, Any]]:
    chosen = sorted((t for t in db.ties() if _keeps(db, t, selection)), key=lambda t: t.get("id"))
    return [
        {
            "ids": [t.get("id") for t in chosen],
            "sources": [t.start.id for t in chosen],
            "targets": [t.end.id for t in chosen],
            "types": [t.get("type") for t in chosen],
            "directed": [_directed(t) for t in chosen],
            "weights": [] if weight is None else [[t.get(weight)] for t in chosen],
            "starts": [_text(t.get("start_first")) for t in chosen],
            "ends": [_text(t.get("end_last")) for t in chosen],
        }
    ]


def network_stages(db: MemoryReader) -> list[dict[str, Any]]:
    rows = [
        {
            "id": s.id,
            "name": s.props.get("name"),
            "start": s.props.get("start"),
            "end": s.props.get("end"),
            "first": s.props.get("start_first"),
            "last": s.props.get("end_last"),
            "description": s.props.get("description"),
        }
        for s in db.labelled("Stage")
    ]
    return sorted(rows, key=lambda r: (_last_key(r["first"]), r["id"]))


def network_memberships(db: MemoryReader) -> list[dict[str, Any]]:
    rows = [
        (
            (m.start.id, _last_key(m.get("start_first")), m.end.id, m.get("id")),
            {
                "id": m.get("id"),
                "member": m.start.id,
                "organization": m.end.id,
                "role": m.get("role"),
                "start": m.get("start"),
                "end": m.get("end"),
            },
        )
        for m in db.of_type("MEMBER_OF")
    ]
    return [row for _, row in sorted(rows, key=lambda r: r[0])]


def network_date_range(db: MemoryReader, types: list[str] | None = None) -> list[dict[str, Any]]:
    ties = [t for t in db.ties() if _in_types(t, types)]
    firsts, lasts = [], []
    for key in ("start_first", "start_last", "end_last"):
        values = [t.get(key) for t in ties if t.get(key) is not None]
        if values:
            firsts.append(min(values))
            lasts.append(max(values))
    return [{"first": min(firsts, default=None), "last": max(lasts, default=None)}]


# --- vocabulary/ ------------------------------------------------------------------------


def _property_counts(items: Iterable[Node | Rel]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        for key in item.props:
            counts[key] = counts.get(key, 0) + 1
    return counts


def actor_properties(db: MemoryReader) -> list[dict[str, Any]]:
    counts = _property_counts(db.labelled("Actor"))
    return [{"property": k, "actors": counts[k]} for k in sorted(counts)]


def tie_properties(db: MemoryReader) -> list[dict[str, Any]]:
    counts = _property_counts(db.ties())
    return [{"property": k, "ties": counts[k]} for k in sorted(counts)]


def has_actor_property(db: MemoryReader, property: str) -> list[dict[str, Any]]:
    return [{"found": any(property in a.props for a in db.labelled("Actor"))}]


def has_tie_property(db: MemoryReader, property: str) -> list[dict[str, Any]]:
    return [{"found": any(property in t.props for t in db.ties())}]


def tie_types(db: MemoryReader) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for tie in db.ties():
        counts[tie.get("type")] = counts.get(tie.get("type"), 0) + 1
    return [{"type": k, "ties": counts[k]} for k in sorted(counts)]


def has_tie_types(db: MemoryReader, types: list[str]) -> list[dict[str, Any]]:
    present = {t.get("type") for t in db.ties()}
    return [{"type": kind} for kind in types if kind in present]


def coders(db: MemoryReader) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for item in db.labelled("Evidence"):
        if item.props.get("coder") is not None:
            counts[item.props["coder"]] = counts.get(item.props["coder"], 0) + 1
    return [{"coder": k, "items": counts[k]} for k in sorted(counts)]


def has_coder(db: MemoryReader, coder: str) -> list[dict[str, Any]]:
    wanted = coder.lower()
    found = any(
        str(e.props.get("coder")).lower() == wanted
        for e in db.labelled("Evidence")
        if e.props.get("coder") is not None
    )
    return [{"found": found}]


# --- evidence/ --------------------------------------------------------------------------


def selected_ties(db: MemoryReader, **selection: Any) -> list[dict[str, Any]]:
    ties = [t for t in db.ties() if _in_types(t, selection.get("types"))]
    coverages = [db.coverage(t) for t in ties]
    kept = [_keeps(db, t, selection) for t in ties]
    strong = [c.evidence for c in coverages if c.triangulated]
    return [
        {
            "ties": len(ties),
            "selected": sum(kept),
            "most": max((c.evidence for c in coverages), default=0),
            "triangulated": len(strong),
            "most_triangulated": max(strong, default=None),
        }
    ]


def _document_of(db: MemoryReader, item: Node) -> list[Node]:
    return [r.end for r in db.of_type("FROM_DOCUMENT") if r.start is item]


def evidence_coverage(db: MemoryReader, **selection: Any) -> list[dict[str, Any]]:
    rows = []
    for tie in db.ties():
        if not _keeps(db, tie, selection):
            continue
        items = db.evidence_of(tie)
        documents = {d.id for e in items for d in _document_of(db, e)}
        kinds: list[str] = []
        for item in items:
            kind = item.props.get("kind")
            if kind is not None and kind not in kinds:
                kinds.append(kind)
        rows.append(
            {
                "tie": tie.get("id"),
                "type": tie.get("type"),
                "source": tie.start.id,
                "target": tie.end.id,
                "start": tie.get("start"),
                "end": tie.get("end"),
                "start_first": tie.get("start_first"),
                "end_last": tie.get("end_last"),
                "evidence": len(items),
                "kinds": kinds,
                "sources": len(documents),
                "coders": len({e.props["coder"] for e in items if "coder" in e.props}),
            }
        )
    return sorted(rows, key=lambda r: (r["evidence"], r["tie"]))


EVIDENCE_KEYS = ("id", "kind", "date", "quote", "location")


def evidence_of_ties(db: MemoryReader, ties: list[str]) -> list[dict[str, Any]]:
    rows = []
    for tie_id in ties:
        for tie in (t for t in db.ties() if t.get("id") == tie_id):
            listed = [
                {**_project(item.props, EVIDENCE_KEYS), "document": _prop(document, "title")}
                for item, document in _evidence_with_documents(db, tie)
            ]
            rows.append({"tie": tie_id, "evidence": listed})
    return rows


def _evidence_with_documents(db: MemoryReader, tie: Rel) -> Iterator[tuple[Node, Node | None]]:
    """A tie's evidence items, oldest first, each with every document it comes from (None
    without one), as the evidence queries list them."""
    items = sorted(db.evidence_of(tie), key=lambda e: (_last_key(e.props.get("date_first")), e.id))
    for item in items:
        documents: list[Node | None] = [*_document_of(db, item)] or [None]
        for document in documents:
            yield item, document


def _prop(node: Node | None, key: str) -> Any:
    return None if node is None else node.props.get(key)


WHY_KEYS = ("id", "kind", "date", "quote", "location", "coder", "note")


def evidence_why(
    db: MemoryReader,
    a: str,
    b: str,
    at_first: date | None = None,
    at_last: date | None = None,
) -> list[dict[str, Any]]:
    """The ties between two actors in either direction, with their evidence (`kb why`)."""
    chosen = sorted(
        (
            t
            for t in db.ties()
            if {t.start.id, t.end.id} == {a, b}
            and (a != b or t.start.id == t.end.id)
            and _keeps(db, t, {"at_first": at_first, "at_last": at_last})
        ),
        key=lambda t: (_last_key(t.get("start_first")), t.get("id")),
    )
    rows = []
    for tie in chosen:
        listed = [
            {
                **_project(item.props, WHY_KEYS),
                "document": None if document is None else document.id,
                "document_title": _prop(document, "title"),
                "document_path": _prop(document, "path"),
            }
            for item, document in _evidence_with_documents(db, tie)
        ]
        rows.append(
            {
                "tie": tie.get("id"),
                "type": tie.get("type"),
                "source": tie.start.id,
                "target": tie.end.id,
                "directed": tie.get("directed"),
                "start": tie.get("start"),
                "end": tie.get("end"),
                "weight": tie.get("weight"),
                "evidence": listed,
            }
        )
    return rows


# --- consensus/ -------------------------------------------------------------------------


def consensus_positions(db: MemoryReader, group_by: str | None = None) -> list[dict[str, Any]]:
    rows = [
        {
            "problem": p.end.id,
            "statement": p.end.props.get("statement"),
            "actor": p.start.id,
            "name": p.start.props.get("name"),
            "group": None if group_by is None else p.start.props.get(group_by),
            "stance": p.get("stance"),
            "date": p.get("date"),
            "first": p.get("date_first"),
            "evidence": p.get("evidence"),
        }
        for p in db.of_type("TAKES_POSITION")
        if "Actor" in p.start.labels and "Problem" in p.end.labels
    ]
    return sorted(rows, key=lambda r: (r["problem"], _last_key(r["first"]), r["actor"]))


def co_attendance(
    db: MemoryReader, at_first: date | None = None, at_last: date | None = None
) -> list[dict[str, Any]]:
    rows = []
    for meeting in db.labelled("Meeting"):
        problems = meeting.props.get("problems")
        first, last = meeting.props.get("date_first"), meeting.props.get("date_last")
        # Cypher's comparison with a null date is null: such a meeting is left out.
        if problems is None:
            continue
        if at_last is not None and (first is None or first > at_last):
            continue
        if at_first is not None and (last is None or last < at_first):
            continue
        attendees = [r.start.id for r in db.of_type("ATTENDED") if r.end is meeting]
        if not attendees:
            continue
        for problem in (p.strip() for p in str(problems).split(";")):
            if problem:
                rows.append(
                    {
                        "problem": problem,
                        "meeting": meeting.id,
                        "date": meeting.props.get("date"),
                        "attendees": attendees,
                        "_first": first,
                    }
                )
    rows.sort(key=lambda r: (r["problem"], _last_key(r["_first"]), r["meeting"]))
    for row in rows:
        del row["_first"]
    return rows


# --- reforms/ ---------------------------------------------------------------------------


def _reform(db: MemoryReader, reform: str) -> Node | None:
    return db.nodes.get(("ReformEvent", reform))


def reforms_list(db: MemoryReader) -> list[dict[str, Any]]:
    rows = []
    for reform in db.labelled("ReformEvent"):
        effects = sorted(
            (f for f in db.of_type("AFFECTED") if f.start is reform),
            key=lambda f: f.end.id,
        )
        rows.append(
            {
                "id": reform.id,
                "name": reform.props.get("name"),
                "date": reform.props.get("date"),
                "jurisdiction": reform.props.get("jurisdiction"),
                "description": reform.props.get("description"),
                "effects": len(effects),
                "organizations": [{"id": f.end.id, "effect": f.get("effect")} for f in effects],
                "_first": reform.props.get("date_first"),
            }
        )
    rows.sort(key=lambda r: (_last_key(r["_first"]), r["id"]))
    for row in rows:
        del row["_first"]
    return rows


def reforms_get(db: MemoryReader, reform: str) -> list[dict[str, Any]]:
    found = _reform(db, reform)
    if found is None:
        return []
    props = found.props
    return [
        {
            "id": found.id,
            "name": props.get("name"),
            "date": props.get("date"),
            "first": props.get("date_first"),
            "last": props.get("date_last"),
        }
    ]


def _spell_covers(rel: Rel, day: date) -> bool:
    """start_first <= day (or none) and end_last >= day (or none)."""
    return Period("", day, day).overlaps(rel.get("start_first"), rel.get("end_last"))


def _affected(db: MemoryReader, reform: Node) -> list[Rel]:
    return [f for f in db.of_type("AFFECTED") if f.start is reform]


def _member_links(db: MemoryReader, person: Node, day: date) -> list[Rel]:
    if "Person" not in person.labels:
        return []
    return [
        m
        for m in db.of_type("MEMBER_OF")
        if m.start is person and "Organization" in m.end.labels and _spell_covers(m, day)
    ]


def broken_ties(
    db: MemoryReader,
    reform: str,
    window: str = "P12M",
    **selection: Any,
) -> list[dict[str, Any]]:
    found = _reform(db, reform)
    if found is None or found.props.get("date_first") is None:
        return []
    eve = found.props["date_first"] - timedelta(days=1)
    until = _iso_plus(found.props["date_first"], window)
    effects = _affected(db, found)
    rows = []
    for tie in db.ties():
        start, end = tie.get("start_first"), tie.get("end_last")
        if not (
            (start is None or start <= eve)
            and end is not None
            and eve <= end <= until
            and _keeps(db, tie, selection)
        ):
            continue
        matches: list[tuple[Node, Rel, str]] = []
        for x in (tie.start, tie.end):
            for f in effects:
                if f.end is x and "Organization" in x.labels:
                    matches.append((x, f, x.id))
        for x in (tie.start, tie.end):
            for m in _member_links(db, x, eve):
                for f in effects:
                    if f.end is m.end:
                        matches.append((m.end, f, x.id))
        unique: list[tuple[Node, Rel, str]] = []
        for match in matches:  # UNION keeps distinct rows
            if not any(match[0] is u[0] and match[1] is u[1] and match[2] == u[2] for u in unique):
                unique.append(match)
        items = [_project(e.props, EVIDENCE_KEYS) for e in db.evidence_of(tie)]
        for organization, effect, via in unique:
            rows.append(
                {
                    "tie": tie.get("id"),
                    "type": tie.get("type"),
                    "directed": _directed(tie),
                    "source": tie.start.id,
                    "source_name": tie.start.props.get("name"),
                    "target": tie.end.id,
                    "target_name": tie.end.props.get("name"),
                    "start": tie.get("start"),
                    "end": tie.get("end"),
                    "organization": organization.id,
                    "effect": effect.get("effect"),
                    "successor": effect.get("successor"),
                    "effect_date": effect.get("date"),
                    "via": via,
                    "evidence": items,
                    "_end_last": end,
                }
            )
    rows.sort(key=lambda r: (r["_end_last"], r["tie"], r["organization"]))
    for row in rows:
        del row["_end_last"]
    return rows


def ties_at_risk(
    db: MemoryReader,
    reform: str,
    origin: date,
    group_by: str | None = None,
    **selection: Any,
) -> list[dict[str, Any]]:
    found = _reform(db, reform)
    if found is None:
        return []
    effects = _affected(db, found)
    rows = []
    for tie in db.ties():
        if not (_spell_covers(tie, origin) and _keeps(db, tie, selection)):
            continue
        direct = [
            x.id
            for x in (tie.start, tie.end)
            for f in effects
            if f.end is x and "Organization" in x.labels
        ]
        members: list[str] = []
        for x in (tie.start, tie.end):
            for m in _member_links(db, x, origin):
                if any(f.end is m.end for f in effects):
                    if m.end.id not in members:
                        members.append(m.end.id)
        rows.append(
            {
                "tie": tie.get("id"),
                "type": tie.get("type"),
                "directed": _directed(tie),
                "weight": tie.get("weight"),
                "source": tie.start.id,
                "target": tie.end.id,
                "source_group": None if group_by is None else tie.start.props.get(group_by),
                "target_group": None if group_by is None else tie.end.props.get(group_by),
                "start_first": tie.get("start_first"),
                "end": tie.get("end"),
                "end_first": tie.get("end_first"),
                "end_last": tie.get("end_last"),
                "exposed_via": direct + members,
            }
        )
    return sorted(rows, key=lambda r: r["tie"])


# --- paths/ -----------------------------------------------------------------------------


def shortest_paths(
    db: MemoryReader,
    max_hops: int = 6,
    **params: Any,
) -> list[dict[str, Any]]:
    """Every shortest path (1 to 12 hops) along tie direction, undirected ties both ways."""
    source = db.nodes.get(("Actor", params.pop("from")))
    target = db.nodes.get(("Actor", params.pop("to")))
    if source is None or target is None:
        return []
    steps: dict[str, list[tuple[Rel, Node]]] = {}
    for tie in db.ties():
        if not _keeps(db, tie, params):
            continue
        steps.setdefault(tie.start.id, []).append((tie, tie.end))
        if tie.get("directed") is False:
            steps.setdefault(tie.end.id, []).append((tie, tie.start))
    # Breadth-first distances from the source, then every path that descends them.
    distance = {source.id: 0}
    queue = deque([source])
    while queue:
        here = queue.popleft()
        for _, there in steps.get(here.id, []):
            if there.id not in distance:
                distance[there.id] = distance[here.id] + 1
                queue.append(there)
    hops = distance.get(target.id)
    if hops is None or hops == 0 or hops > min(max_hops, MAX_PATH_HOPS):
        return []
    to_target = {target.id: 0}  # distances to the target along the same steps, backwards
    back: dict[str, list[Node]] = {}
    for here_id, outgoing in steps.items():
        for _, there in outgoing:
            back.setdefault(there.id, []).append(db.nodes[("Actor", here_id)])
    queue = deque([target])
    while queue:
        here = queue.popleft()
        for before in back.get(here.id, []):
            if before.id not in to_target:
                to_target[before.id] = to_target[here.id] + 1
                queue.append(before)
    found: list[list[tuple[Rel, Node]]] = []

    def walk(node: Node, path: list[tuple[Rel, Node]]) -> None:
        if node is target:
            found.append(list(path))
            return
        for tie, there in steps.get(node.id, []):
            if len(path) + 1 + to_target.get(there.id, hops + 1) == hops:
                walk(there, [*path, (tie, there)])

    walk(source, [])
    rows = [
        {
            "hops": hops,
            "actors": [source.id] + [n.id for _, n in path],
            "names": [source.props.get("name")] + [n.props.get("name") for _, n in path],
            "ties": [
                _project(t.props, ("id", "type", "start", "end", "directed", "evidence"))
                for t, _ in path
            ],
        }
        for path in found
    ]
    return sorted(rows, key=lambda r: r["actors"])


def actors_get(db: MemoryReader, id: str) -> list[dict[str, Any]]:
    found = db.nodes.get(("Actor", id))
    if found is None:
        return []
    return [
        {
            "id": found.id,
            "name": found.props.get("name"),
            "labels": sorted(found.labels - {"Actor"}),
            "sector": found.props.get("sector"),
            "kind": found.props.get("kind"),
        }
    ]


# --- case/ and meta/ --------------------------------------------------------------------


def case_observation(db: MemoryReader) -> list[dict[str, Any]]:
    keys = (
        "id",
        "name",
        "observed_from",
        "observed_from_first",
        "observed_until",
        "observed_until_last",
    )
    cases = [_project(c.props, keys) for c in db.labelled("Case")]
    starts = [
        {"day": tie.get(k), "id": tie.get("id"), "property": k[: -len("_first")], "kind": "TIE"}
        for tie in db.ties()
        for k in ("start_first", "end_first")
        if tie.get(k) is not None
    ]
    starts.sort(key=lambda d: (d["day"], d["kind"], d["id"], d["property"]))
    ends = []
    for item in [n for n in db.nodes.values() if "Case" not in n.labels] + db.rels:
        if isinstance(item, Node):
            kind = sorted(item.labels - {"Actor"})[0] if item.labels - {"Actor"} else "Actor"
        else:
            kind = item.type
        for key, value in item.props.items():
            if key.endswith("_last"):
                ends.append(
                    {"day": value, "id": item.props.get("id"), "property": key[:-5], "kind": kind}
                )
    # ORDER BY day DESC, kind, id, property (a missing id sorts last)
    ends.sort(key=lambda d: (-d["day"].toordinal(), d["kind"], _last_key(d["id"]), d["property"]))
    return [
        {
            "cases": cases,
            "earliest": starts[0] if starts else None,
            "latest": ends[0] if ends else None,
        }
    ]


def meta_counts(db: MemoryReader) -> list[dict[str, Any]]:
    return [
        {"nodes": len(db.nodes), "relationships": len(db.rels), "schema_version": SCHEMA_VERSION}
    ]


def server_info(db: MemoryReader) -> list[dict[str, Any]]:
    return [{"version": "in-memory", "edition": "test", "database": "memory"}]


QUERIES: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "actors/get": actors_get,
    "case/observation": case_observation,
    "consensus/co_attendance": co_attendance,
    "consensus/positions": consensus_positions,
    "evidence/coverage": evidence_coverage,
    "evidence/of_ties": evidence_of_ties,
    "evidence/selected_ties": selected_ties,
    "evidence/why": evidence_why,
    "meta/counts": meta_counts,
    "meta/server_info": server_info,
    "network/actors": network_actors,
    "network/date_range": network_date_range,
    "network/stages": network_stages,
    "network/memberships": network_memberships,
    "network/ties": network_ties,
    "paths/shortest": shortest_paths,
    "reforms/broken_ties": broken_ties,
    "reforms/get": reforms_get,
    "reforms/list": reforms_list,
    "reforms/ties_at_risk": ties_at_risk,
    "vocabulary/actor_properties": actor_properties,
    "vocabulary/coders": coders,
    "vocabulary/has_actor_property": has_actor_property,
    "vocabulary/has_coder": has_coder,
    "vocabulary/has_tie_property": has_tie_property,
    "vocabulary/has_tie_types": has_tie_types,
    "vocabulary/tie_properties": tie_properties,
    "vocabulary/tie_types": tie_types,
}
# Queries whose answer depends on the server, not the case: the honesty test skips them.
SERVER_QUERIES = frozenset({"meta/server_info"})
__all__ = ["QUERIES", "SERVER_QUERIES", "TRIANGULATING_KINDS", "MemoryReader"]
