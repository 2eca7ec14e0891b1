"""The domain: node labels, relationship types, the import tables and their rules.

Import validation (`kb.imports.validate`) is driven by the `Table` specs below, so a new
column or rule is a change here, not new code. The label and relationship-type constants are
the allow-list that Cypher building must pick from (they cannot be query parameters).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

# --- graph vocabulary -------------------------------------------------------------------

ACTOR = "Actor"  # extra label on every Person and Organization
PERSON = "Person"
ORGANIZATION = "Organization"
# References to an actor, which `kb add` also accepts as the actor's name.
ACTOR_KINDS = frozenset({ACTOR, PERSON, ORGANIZATION})
MEETING = "Meeting"
DOCUMENT = "Document"
REFORM_EVENT = "ReformEvent"
STAGE = "Stage"
TERRITORY = "Territory"
EVIDENCE = "Evidence"
PROBLEM = "Problem"
CASE = "Case"  # the study itself: its end of observation (one per database)
LABELS: frozenset[str] = frozenset(
    {
        ACTOR,
        PERSON,
        ORGANIZATION,
        MEETING,
        DOCUMENT,
        REFORM_EVENT,
        STAGE,
        TERRITORY,
        EVIDENCE,
        PROBLEM,
        CASE,
    }
)

TIE = "TIE"  # actor -> actor; the tie's own type is data, in the `type` property
MEMBER_OF = "MEMBER_OF"  # person -> organization
ATTENDED = "ATTENDED"  # actor -> meeting
AUTHORED = "AUTHORED"  # actor -> document
AFFECTED = "AFFECTED"  # reform -> organization
SUCCEEDED_BY = "SUCCEEDED_BY"  # organization -> successor organization
TAKES_POSITION = "TAKES_POSITION"  # actor -> problem
IN_TERRITORY = "IN_TERRITORY"  # organization / person / meeting -> territory
PART_OF = "PART_OF"  # territory -> parent territory
FROM_DOCUMENT = "FROM_DOCUMENT"  # evidence -> document
MENTIONS = "MENTIONS"  # evidence -> an actor the passage names (coded in a QDA program)
RELATIONSHIP_TYPES: frozenset[str] = frozenset(
    {
        TIE,
        MEMBER_OF,
        ATTENDED,
        AUTHORED,
        AFFECTED,
        SUCCEEDED_BY,
        TAKES_POSITION,
        IN_TERRITORY,
        PART_OF,
        FROM_DOCUMENT,
        MENTIONS,
    }
)


def id_space(kind: str) -> str:
    """The id namespace of a kind: persons and organizations share "Actor"."""
    return ACTOR if kind in (ACTOR, PERSON, ORGANIZATION) else kind


# --- how import tables become relationships ----------------------------------------------

# Columns that name the two ends of a relationship row; they are not copied as properties.
ENDPOINTS: dict[str, tuple[str, str]] = {
    "ties": ("source", "target"),
    "memberships": ("person", "organization"),
    "attendance": ("actor", "meeting"),
    "positions": ("actor", "problem"),
    "reform_effects": ("reform", "organization"),
    "mentions": ("evidence", "actor"),
}
# The relationship type each link table is stored as (kb/cypher/import/*.cypher).
LINK_TYPES: dict[str, str] = {
    "ties": TIE,
    "memberships": MEMBER_OF,
    "attendance": ATTENDED,
    "reform_effects": AFFECTED,
    "positions": TAKES_POSITION,
    "mentions": MENTIONS,
}
# Node tables whose reference column also becomes a relationship, and that column.
NODE_LINKS: dict[str, str] = {
    "territories": "parent",
    "organizations": "territory",
    "actors": "territory",
    "documents": "author",
    "evidence": "document",
    "meetings": "territory",
}


# --- allow-lists and patterns -----------------------------------------------------------

EVIDENCE_KINDS: tuple[str, ...] = ("interview", "observation", "document", "other")
EFFECTS: tuple[str, ...] = ("abolished", "merged_into", "created", "restructured")
STANCES: tuple[str, ...] = ("agree", "disagree", "neutral")
# What an actor agreed to (docs/ethics.md); an actor without a status counts as "full".
CONSENT_FULL = "full"
CONSENT_STATUSES: tuple[str, ...] = (CONSENT_FULL, "no-quotes", "structure-only", "withdrawn")
TIE_TYPE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")
PROPERTY_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MAX_ID_LENGTH = 200
# Neo4j's range indexes (range-1.0, 5.x's successor of the btree index) hold keys of at most
# 8167 bytes; a single string takes its UTF-8 length plus 3 bytes. Measured on Neo4j 5.26.30
# (tests/safety/test_limits.py): 8164 bytes are indexed, 8165 fail the transaction.
MAX_INDEXED_TEXT_BYTES = 8164
ID_LIST_SEPARATOR = ";"
TRUE_WORDS: frozenset[str] = frozenset({"true", "yes", "1", "oui", "vrai"})
FALSE_WORDS: frozenset[str] = frozenset({"false", "no", "0", "non", "faux"})

# Suggested (not enforced) vocabularies, documented in docs/data-format.md.
SUGGESTED_TIE_TYPES = (
    "INFORMATION",
    "COLLABORATION",
    "FUNDING",
    "REPRESENTATION",
    "ADVICE",
    "CONFLICT",
)
SUGGESTED_ORGANIZATION_KINDS = (
    "community organization",
    "public institution",
    "working group",
    "ministry",
    "citizen group",
    "agency",
)
SUGGESTED_SECTORS = ("community", "public", "citizen", "private")

# Property names kb keeps for itself: extra columns may not use them.
RESERVED_PROPERTY_NAMES: frozenset[str] = frozenset({"id", "extra", "labels", "element_id"})
RESERVED_PROPERTY_PREFIX = "kb_"
DATE_PROPERTY_SUFFIXES: tuple[str, ...] = ("_first", "_last", "_precision")


# --- stable ids ---------------------------------------------------------------------------

# Ids cannot contain control characters, so the unit separator joins fields unambiguously.
_JOIN = "\x1f"


def _digest(prefix: str, *fields: str | None) -> str:
    joined = _JOIN.join(field or "" for field in fields)
    return f"{prefix}-{hashlib.sha1(joined.encode('utf-8')).hexdigest()[:12]}"


def tie_id(
    source: str, target: str, type: str, start_text: str | None, *, directed: bool = True
) -> str:
    """Stable id of a tie without an explicit id: "t-" + 12 hex digits of a SHA-1.

    An undirected tie sorts its ends first, so A-B and B-A are the same tie.
    """
    if not directed:
        source, target = sorted((source, target))
    return _digest("t", source, target, type, start_text)


def membership_id(person: str, organization: str, role: str | None, start_text: str | None) -> str:
    """Stable id of a membership: "m-" + 12 hex digits."""
    return _digest("m", person, organization, role, start_text)


def attendance_id(meeting: str, actor: str) -> str:
    """Stable id of an attendance: "a-" + 12 hex digits."""
    return _digest("a", meeting, actor)


def position_id(actor: str, problem: str, date_text: str | None) -> str:
    """Stable id of a position on a problem: "p-" + 12 hex digits."""
    return _digest("p", actor, problem, date_text)


def effect_id(reform: str, organization: str, effect: str) -> str:
    """Stable id of a reform's effect on an organization: "r-" + 12 hex digits."""
    return _digest("r", reform, organization, effect)


def mention_id(evidence: str, actor: str) -> str:
    """Stable id of an evidence item's mention of an actor: "n-" + 12 hex digits."""
    return _digest("n", evidence, actor)


# --- table specs ---------------------------------------------------------------------------

ColumnType = Literal["id", "text", "date", "bool", "float", "idlist", "enum", "code"]


@dataclass(frozen=True)
class Column:
    """One column of an import table.

    Attributes:
        name: lower-case header name.
        type: id (trimmed identifier), text, date (PartialDate), bool, float (> 0), idlist
            (`;`-separated ids), enum (one of `choices`, case-insensitive), code (upper-cased
            identifier such as a tie type).
        required: the header must have the column and every row a value.
        ref: for id/idlist columns, the kind the ids point to (None: the table's own id).
        choices: allowed values of an enum column, lower case.
        default: value used when the cell is empty.
        indexed: the property has a Neo4j index (kb.schema), so its text may not exceed
            MAX_INDEXED_TEXT_BYTES in UTF-8.
    """

    name: str
    type: ColumnType = "text"
    required: bool = False
    ref: str | None = None
    choices: tuple[str, ...] = ()
    default: Any = None
    indexed: bool = False


@dataclass(frozen=True)
class OnlyWith:
    """`column` must have a value exactly when `when_column` equals `value`."""

    column: str
    when_column: str
    value: str


@dataclass(frozen=True)
class Table:
    """An import table and the rules its rows follow.

    Attributes:
        name: file name without ``.csv`` (also the sheet name and JSON key).
        columns: in documentation order.
        kind: node kind whose ids the table's ``id`` column defines (None for link tables).
        labels: node labels of the rows (entity tables only).
        derive_id: computes the stable id of a normalised row when its ``id`` is empty
            (link tables); a record always carries the result under ``id``.
        distinct: pairs of id columns that may not hold the same id.
        period: (start, end) date columns; end may not be before start.
        only_with: conditional columns.
        noun: what one row is, in messages ("tie", "membership").
        duplicate_hint: how to tell two rows with the same derived id apart.
        max_rows: the most rows the table may have (the case table has one).
    """

    name: str
    columns: tuple[Column, ...]
    kind: str | None = None
    labels: tuple[str, ...] = ()
    derive_id: Callable[[Mapping[str, Any]], str] | None = None
    distinct: tuple[tuple[str, str], ...] = ()
    period: tuple[str, str] | None = None
    only_with: tuple[OnlyWith, ...] = ()
    noun: str = "row"
    duplicate_hint: str = ""
    max_rows: int | None = None

    def column(self, name: str) -> Column | None:
        """The column called `name`, if the table has one."""
        return self.columns_by_name.get(name)

    @property
    def columns_by_name(self) -> dict[str, Column]:
        """Column name -> column."""
        return {c.name: c for c in self.columns}

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required columns."""
        return tuple(c.name for c in self.columns if c.required)

    @property
    def record_keys(self) -> tuple[str, ...]:
        """Keys of the records `kb.imports.records` yields for this table."""
        names = tuple(c.name for c in self.columns)
        if self.derive_id is not None and "id" not in names:
            names += ("id",)
        return (*names, "extra")

    def reserved_property(self, name: str) -> bool:
        """Whether an extra column called `name` would collide with kb's own properties."""
        if name in RESERVED_PROPERTY_NAMES or name.startswith(RESERVED_PROPERTY_PREFIX):
            return True
        dated = [c.name for c in self.columns if c.type == "date"]
        return any(name == d + suffix for d in dated for suffix in DATE_PROPERTY_SUFFIXES)

    def signature(self) -> str:
        """Column list as documented, optional columns in brackets."""
        return ", ".join(c.name if c.required else f"[{c.name}]" for c in self.columns)


def _own_id() -> Column:
    return Column("id", "id", required=True)


def _ref(name: str, kind: str, *, required: bool = False) -> Column:
    return Column(name, "id", required=required, ref=kind)


def _date(name: str, *, required: bool = False) -> Column:
    return Column(name, "date", required=required)


def _text_of_date(value: Any) -> str | None:
    return None if value is None else str(value)


def _evidence() -> Column:
    return Column("evidence", "idlist", ref=EVIDENCE)


# Columns of the case table that only `kb publish` reads (docs/ethics.md, Publishing a
# package): kept as text here and checked when publishing, so a case can be imported before
# its record is complete.
PUBLICATION_COLUMNS = (
    "title",
    "creators",
    "publisher",
    "publication_year",
    "licence",
    "keywords",
    "resource_type",
)


def _consent() -> tuple[Column, Column]:
    # No default: an actor imported without a status is stored without one and read as full.
    return (Column("consent", "enum", choices=CONSENT_STATUSES), _date("consent_date"))


_DISTINCT_SPELLS = "add distinct start dates, or give each row its own id"

TABLE_SPECS: tuple[Table, ...] = (
    Table(
        "case",
        (
            _own_id(),
            Column("name", required=True),
            _date("observed_from"),
            _date("observed_until"),
            Column("description"),
            # The case record that `kb publish` describes the package with (kb.publish).
            *(Column(name) for name in PUBLICATION_COLUMNS),
        ),
        kind=CASE,
        labels=(CASE,),
        period=("observed_from", "observed_until"),
        max_rows=1,
    ),
    Table(
        "territories",
        (_own_id(), Column("name", required=True), Column("kind"), _ref("parent", TERRITORY)),
        kind=TERRITORY,
        labels=(TERRITORY,),
        distinct=(("id", "parent"),),
    ),
    Table(
        "organizations",
        (
            _own_id(),
            Column("name", required=True, indexed=True),
            Column("kind", indexed=True),
            Column("sector", indexed=True),
            _ref("territory", TERRITORY),
            *_consent(),
        ),
        kind=ORGANIZATION,
        labels=(ORGANIZATION, ACTOR),
    ),
    Table(
        "actors",
        (
            _own_id(),
            Column("name", required=True, indexed=True),
            Column("sector", indexed=True),
            _ref("territory", TERRITORY),
            *_consent(),
        ),
        kind=PERSON,
        labels=(PERSON, ACTOR),
    ),
    Table(
        "documents",
        (
            _own_id(),
            Column("title"),
            _date("date"),
            Column("kind"),
            _ref("author", ACTOR),
            Column("path"),
        ),
        kind=DOCUMENT,
        labels=(DOCUMENT,),
    ),
    Table(
        "evidence",
        (
            _own_id(),
            Column("kind", "enum", required=True, choices=EVIDENCE_KINDS),
            _date("date"),
            _ref("document", DOCUMENT),
            Column("quote"),
            Column("location"),
            Column("coder"),
            Column("note"),
            _ref("informant", ACTOR),
        ),
        kind=EVIDENCE,
        labels=(EVIDENCE,),
    ),
    Table(
        "meetings",
        (
            _own_id(),
            _date("date", required=True),
            Column("title"),
            Column("kind"),
            Column("venue"),
            _ref("territory", TERRITORY),
        ),
        kind=MEETING,
        labels=(MEETING,),
    ),
    Table(
        "stages",
        (
            _own_id(),
            Column("name", required=True),
            _date("start", required=True),
            _date("end"),
            Column("description"),
        ),
        kind=STAGE,
        labels=(STAGE,),
        period=("start", "end"),
    ),
    Table(
        "reforms",
        (
            _own_id(),
            Column("name", required=True),
            _date("date", required=True),
            Column("jurisdiction"),
            Column("description"),
        ),
        kind=REFORM_EVENT,
        labels=(REFORM_EVENT,),
    ),
    Table(
        "problems",
        (_own_id(), Column("statement", required=True)),
        kind=PROBLEM,
        labels=(PROBLEM,),
    ),
    Table(
        "ties",
        (
            _ref("source", ACTOR, required=True),
            _ref("target", ACTOR, required=True),
            Column("type", "code", required=True),
            _date("start"),
            _date("end"),
            Column("directed", "bool", default=True),
            Column("weight", "float"),
            _evidence(),
            Column("id", "id"),
        ),
        derive_id=lambda r: tie_id(
            r["source"],
            r["target"],
            r["type"],
            _text_of_date(r["start"]),
            directed=bool(r["directed"]),
        ),
        distinct=(("source", "target"),),
        period=("start", "end"),
        noun="tie",
        duplicate_hint=_DISTINCT_SPELLS,
    ),
    Table(
        "memberships",
        (
            _ref("person", PERSON, required=True),
            _ref("organization", ORGANIZATION, required=True),
            Column("role"),
            _date("start"),
            _date("end"),
            _evidence(),
        ),
        derive_id=lambda r: membership_id(
            r["person"], r["organization"], r["role"], _text_of_date(r["start"])
        ),
        period=("start", "end"),
        noun="membership",
        duplicate_hint="add distinct roles or start dates, or merge the two rows",
    ),
    Table(
        "attendance",
        (
            _ref("meeting", MEETING, required=True),
            _ref("actor", ACTOR, required=True),
            Column("role"),
            _evidence(),
        ),
        derive_id=lambda r: attendance_id(r["meeting"], r["actor"]),
        noun="attendance",
        duplicate_hint="an actor attends a meeting once; merge the two rows",
    ),
    Table(
        "reform_effects",
        (
            _ref("reform", REFORM_EVENT, required=True),
            _ref("organization", ORGANIZATION, required=True),
            Column("effect", "enum", required=True, choices=EFFECTS),
            _ref("successor", ORGANIZATION),
            _date("date"),
        ),
        derive_id=lambda r: effect_id(r["reform"], r["organization"], r["effect"]),
        distinct=(("organization", "successor"),),
        only_with=(OnlyWith("successor", "effect", "merged_into"),),
        noun="reform effect",
        duplicate_hint="each reform has one effect of a kind per organization; merge the rows",
    ),
    Table(
        "positions",
        (
            _ref("actor", ACTOR, required=True),
            _ref("problem", PROBLEM, required=True),
            Column("stance", "enum", required=True, choices=STANCES),
            _date("date"),
            _evidence(),
        ),
        derive_id=lambda r: position_id(r["actor"], r["problem"], _text_of_date(r["date"])),
        noun="position",
        duplicate_hint="date the positions differently, or merge the two rows",
    ),
    Table(
        "mentions",
        (_ref("evidence", EVIDENCE, required=True), _ref("actor", ACTOR, required=True)),
        derive_id=lambda r: mention_id(r["evidence"], r["actor"]),
        noun="mention",
        duplicate_hint="an evidence item mentions an actor once; merge the two rows",
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLE_SPECS}
TABLES: tuple[str, ...] = tuple(t.name for t in TABLE_SPECS)
DATE_COLUMNS: frozenset[str] = frozenset(
    c.name for t in TABLE_SPECS for c in t.columns if c.type == "date"
)
