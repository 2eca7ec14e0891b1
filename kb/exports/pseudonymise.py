"""Pseudonymised exports: the case's records with people renamed, names masked in text,
free text dropped, dates coarsened and attributes generalised (docs/ethics.md).

One entry point serves every format: build a `Pseudonymiser` for the case
(`Pseudonymiser.for_case`), then turn the import tables (`tables`) or the actor network
(`network`) into pseudonymised ones; the writers write what it returns. ``kb publish`` calls
the same functions.

Pseudonyms are ``P-`` (person) or ``O-`` (organisation) and eight base-32 characters of
HMAC-SHA-256(key, id): stable across runs and waves for one key, unrelated to the id (no
prefix of it, not reversible without the key). The key is the case's, 32 random bytes in
``$KB_HOME/keys/`` (mode 0600, created on first use); kb never writes it anywhere else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import stat
from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from kb.analyses.view import CaseView

from kb.errors import SettingsError, ValidationError
from kb.exports.files import ExportResult, Target
from kb.exports.network import ActorNetwork, NetworkEdge, NetworkNode
from kb.masking import Masker, masker_for
from kb.model import (
    CASE,
    DOCUMENT,
    ID_LIST_SEPARATOR,
    MEETING,
    ORGANIZATION,
    PERSON,
    TABLES_BY_NAME,
    TERRITORY,
)
from kb.provenance import mask_command
from kb.settings import kb_home
from kb.store import Reader
from kb.text import fold

SCOPES = ("persons", "all")
DATE_LEVELS = ("month", "year")
# Free text: dropped unless keep_text (then masked). Titles, names and other short text
# stay, masked.
FREE_TEXT = frozenset({"quote", "note", "description", "location", "venue", "path"})
KEY_FOLDER = "keys"
T = TypeVar("T")
SHARED_NAME = "[name]"
_PARTICLES = frozenset({"des", "del", "van", "von", "der", "den", "bin", "ben", "abu", "dos"})
_HOLDS_DAY = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class Pseudonymisation:
    """How to pseudonymise an export.

    Attributes:
        scope: ``persons`` renames people; ``all`` organisations too.
        dates: ``month`` or ``year`` coarsens every exact date to that level (partial
            dates coarser already stay as they are); None keeps them.
        generalise: actor attributes to generalise: ``territory`` becomes the parent
            territory the case defines (suppressed where there is none); any other
            attribute is suppressed.
        keep_text: keep free text (quotes, notes, descriptions, locations, venues, paths),
            masked; by default it is dropped.
    """

    scope: str = "persons"
    dates: str | None = None
    generalise: tuple[str, ...] = ()
    keep_text: bool = False

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValidationError(f"scope={self.scope!r}: give one of {', '.join(SCOPES)}.")
        if self.dates is not None and self.dates not in DATE_LEVELS:
            raise ValidationError(f"dates={self.dates!r}: give one of {', '.join(DATE_LEVELS)}.")

    def describe(self) -> str:
        """One line saying what was done (for the risk report)."""
        parts = ["persons" if self.scope == "persons" else "persons and organisations"]
        parts.append(f"dates to the {self.dates}" if self.dates else "exact dates kept")
        if self.generalise:
            parts.append(f"generalised: {', '.join(self.generalise)}")
        parts.append("free text kept, masked" if self.keep_text else "free text dropped")
        return "; ".join(parts)


def case_key(case_id: str, *, home: Path | None = None) -> bytes:
    """The case's pseudonym key, created (mode 0600) on first use.

    Raises:
        SettingsError: the key file is readable by others, or not a key.
    """
    folder = (home or kb_home()) / KEY_FOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"pseudonyms-{re.sub(r'[^A-Za-z0-9_.-]', '_', case_id)}.key"
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(handle, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SettingsError(
            f"The pseudonym key {path} is readable by others (mode {mode:04o}): chmod 600 {path}."
        )
    text = path.read_text(encoding="ascii").strip()
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise SettingsError(f"{path} is not a pseudonym key (64 hex digits).")
    return bytes.fromhex(text)


def pseudonym(key: bytes, kind: str, value: str, *, length: int = 8) -> str:
    """``kind``-prefixed keyed hash of ``value``: ``P-K3M9X2QA``."""
    digest = hmac.new(key, f"{kind}\0{value}".encode(), hashlib.sha256).digest()
    return f"{kind}-{base64.b32encode(digest).decode()[:length]}"


def coarse_date(value: str, level: str | None) -> str:
    """A partial date as written, cut to ``month`` or ``year``; other text unchanged."""
    found = _PARTIAL.match(value.strip())
    if level is None or not found:
        return value
    year, month = found.group(1), found.group(2)
    return year if level == "year" or month is None else f"{year}-{month}"


def coarse_day(day: date | None, level: str | None, *, last: bool) -> date | None:
    """A spell's first (or ``last``) day widened to its month's or year's first (last)."""
    if day is None or level is None:
        return day
    if level == "year":
        return date(day.year, 12, 31) if last else date(day.year, 1, 1)
    end = monthrange(day.year, day.month)[1]
    return date(day.year, day.month, end if last else 1)


@dataclass
class Pseudonymiser:
    """A case's pseudonyms and masks, for one `Pseudonymisation`.

    Attributes:
        settings: what to do.
        renamed: original id -> pseudonym, for every renamed actor (and meeting, when
            dates are coarsened: meeting ids hold their date).
        persons: the ids of the persons among them.
        parents: territory id -> parent territory id (for ``generalise``).
        masker: masks the renamed actors' names, aliases, initials and ids in text.
    """

    settings: Pseudonymisation
    renamed: dict[str, str]
    persons: set[str]
    parents: dict[str, str]
    masker: Masker
    key: bytes = field(repr=False, default=b"")
    names: dict[str, str] = field(repr=False, default_factory=dict)

    def originals(self) -> dict[str, tuple[str, str]]:
        """Pseudonym -> (real id, real name): for the researcher's at-risk file only."""
        return {p: (i, self.names.get(i, "")) for i, p in self.renamed.items()}

    @classmethod
    def for_case(
        cls, kb: Reader, settings: Pseudonymisation, *, home: Path | None = None
    ) -> Pseudonymiser:
        """Read the case's actors and territories; use (or create) its key.

        Args:
            kb: the knowledge base to read.
            settings: what to do.
            home: where keys live (default ``$KB_HOME``).
        """
        case = kb.read("export/nodes", label=CASE)
        case_id = str(case[0]["id"]) if case else "case"
        key = case_key(case_id, home=home)
        people = [(row["id"], row["props"]) for row in kb.read("export/nodes", label=PERSON)]
        organisations = [
            (row["id"], row["props"]) for row in kb.read("export/nodes", label=ORGANIZATION)
        ]
        territories = kb.read("export/nodes", label=TERRITORY)
        meetings = kb.read("export/nodes", label=MEETING) if settings.dates else []
        # Ids that hold a day (``m-2017-02-22``, ``doc-cc-2017-02-22``) are renamed too.
        if settings.dates:
            meetings += [
                d for d in kb.read("export/nodes", label=DOCUMENT) if _HOLDS_DAY.search(d["id"])
            ]
        built = cls.build(
            key,
            settings,
            people=people,
            organisations=organisations,
            parents={
                str(t["id"]): str(t["props"]["parent"])
                for t in territories
                if t["props"].get("parent")
            },
            meetings=[str(m["id"]) for m in meetings],
        )
        # What the command's provenance records was typed by the user and may name
        # people: every output of this command carries it masked.
        mask_command(built.command_word)
        return built

    @classmethod
    def build(
        cls,
        key: bytes,
        settings: Pseudonymisation,
        *,
        people: Iterable[tuple[str, Mapping[str, object]]],
        organisations: Iterable[tuple[str, Mapping[str, object]]] = (),
        parents: Mapping[str, str] | None = None,
        meetings: Iterable[str] = (),
    ) -> Pseudonymiser:
        """A pseudonymiser from actors given as (id, properties: name, aliases...)."""
        actors = [(i, p, "P") for i, p in people]
        if settings.scope == "all":
            actors += [(i, p, "O") for i, p in organisations]
        renamed: dict[str, str] = {}
        taken: set[str] = set()
        entries: list[tuple[list[str], str]] = []
        for actor_id, props, kind in actors:
            name = _unique(key, kind, str(actor_id), taken)
            renamed[str(actor_id)] = name
            entries.append((_names(str(actor_id), props), name))
        # A person's given name or surname alone (``avec Daniel``): masked too, by the
        # person's pseudonym where no other person shares it, else by SHARED_NAME.
        parts: dict[str, set[str]] = {}
        for actor_id, props, kind in actors:
            if kind == "P":
                for part in _name_parts(str(props.get("name") or "")):
                    parts.setdefault(fold(part), set()).add(renamed[str(actor_id)])
        for part, owners in sorted(parts.items()):
            entries.append(([part], next(iter(owners)) if len(owners) == 1 else SHARED_NAME))
        for meeting in meetings:
            renamed[meeting] = _unique(key, "M", meeting, taken)
        return cls(
            settings=settings,
            renamed=renamed,
            persons={str(i) for i, _ in people},
            parents=dict(parents or {}),
            masker=masker_for(entries),
            key=key,
            names={str(i): str(p.get("name") or "") for i, p, _ in actors},
        )

    def rename(self, value: str) -> str:
        """The pseudonym of an id, or the id itself when it is not renamed."""
        return self.renamed.get(value, value)

    def days_in_text(self, value: str) -> str:
        """Every day written in ``value`` (``2017-02-22``) cut to the month or year."""
        if not self.settings.dates:
            return value
        return _HOLDS_DAY.sub(lambda m: coarse_date(m.group(0), self.settings.dates), value)

    def command_word(self, value: str) -> str:
        """A word of the command line (or a parameter): an id renamed, names masked."""
        return self.rename(value) if value in self.renamed else self.text(value)

    def text(self, value: str) -> str:
        """Short text (titles, names, roles): names, initials and ids masked."""
        return self.masker.mask(value)

    def free_text(self, value: str) -> str:
        """Free text: dropped (empty), or masked with ``keep_text``."""
        return self.masker.mask(value) if self.settings.keep_text else ""

    def coder(self, value: str) -> str:
        """A coder's name as a keyed pseudonym (coders are people too)."""
        return pseudonym(self.key, "C", value.strip()) if value.strip() else value

    def attribute(self, name: str, value: str) -> str | None:
        """An actor attribute as exported: generalised, suppressed (None) or masked."""
        if name in self.settings.generalise:
            return self.parents.get(value) if name == "territory" else None
        return self.text(value)

    def tables(
        self, tables: Mapping[str, tuple[list[str], list[dict[str, str]]]]
    ) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
        """Import tables (name -> header, rows of text cells) pseudonymised.

        Ids of renamed actors (and meetings) are replaced wherever they appear; actor
        names become their pseudonyms; free text is dropped or masked; other text masked;
        dates coarsened; attributes generalised (actors and organizations).
        """
        out: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
        for table, (header, rows) in tables.items():
            spec = TABLES_BY_NAME.get(table)
            columns = {c.name: c for c in spec.columns} if spec else {}
            is_actor_table = table in ("actors", "organizations")
            new_rows = []
            for row in rows:
                renamed_row = row.get("id", "") in self.renamed and is_actor_table
                new: dict[str, str] = {}
                for name, value in row.items():
                    column = columns.get(name)
                    new_value: str | None
                    if not value:
                        new_value = value
                    elif column is not None and column.type == "date":
                        new_value = coarse_date(value, self.settings.dates)
                    elif column is not None and column.type == "idlist":
                        new_value = ID_LIST_SEPARATOR.join(
                            self.rename(v) for v in value.split(ID_LIST_SEPARATOR)
                        )
                    elif value in self.renamed:
                        new_value = self.renamed[value]
                    elif name == "name" and renamed_row:
                        new_value = self.renamed[row["id"]]
                    elif name == "coder":
                        new_value = self.coder(value)
                    elif is_actor_table and name in self.settings.generalise:
                        new_value = self.attribute(name, value) or ""
                    elif name in FREE_TEXT or name == "aliases":
                        new_value = self.free_text(value) if name != "aliases" else ""
                    elif column is not None and column.type in ("bool", "float", "enum", "code"):
                        new_value = value
                    else:
                        new_value = self.text(value)
                    new[name] = new_value or ""
                new_rows.append(new)
            out[table] = (list(header), new_rows)
        return out

    def network(self, network: ActorNetwork) -> ActorNetwork:
        """The actor network with renamed nodes, masked text and coarsened spells."""
        nodes = [self._node(node) for node in network.nodes]
        edges = [self._edge(edge) for edge in network.edges]
        return replace(network, nodes=nodes, edges=edges, warnings=list(network.warnings))

    def _node(self, node: NetworkNode) -> NetworkNode:
        attributes: dict[str, str] = {}
        for name, value in node.attributes.items():
            if name in FREE_TEXT or name == "aliases":
                value = self.free_text(value) if name != "aliases" else ""
            else:
                value = self.attribute(name, value) or ""
            if value:
                attributes[name] = value
        if node.id in self.renamed:
            return NetworkNode(self.renamed[node.id], self.renamed[node.id], attributes)
        return NetworkNode(node.id, self.text(node.label), attributes)

    def _edge(self, edge: NetworkEdge) -> NetworkEdge:
        attributes: dict[str, str] = {}
        for name, value in edge.attributes.items():
            if name in ("start", "end"):
                value = coarse_date(value, self.settings.dates)
            elif name == "evidence":
                pass
            elif name in FREE_TEXT:
                value = self.free_text(value)
            else:
                value = self.text(value)
            if value:
                attributes[name] = value
        source, target = self.rename(edge.source), self.rename(edge.target)
        edge_id = edge.id
        if edge.source in self.renamed or edge.target in self.renamed:
            # An id kb made up from the ends (a membership has none of its own).
            edge_id = self.text(edge_id.replace(edge.source, source).replace(edge.target, target))
        return replace(
            edge,
            id=edge_id,
            source=source,
            target=target,
            start=coarse_day(edge.start, self.settings.dates, last=False),
            end=coarse_day(edge.end, self.settings.dates, last=True),
            attributes=attributes,
        )


def pseudonymise_view(view: CaseView, pseudonymiser: Pseudonymiser) -> CaseView:
    """The data of ``kb view`` with renamed actors, masked evidence and generalised
    attributes; with ``dates`` set, every date coarsened (`coarsened_view`).

    Args:
        view: what `kb.analyses.view.case_view` computed.
        pseudonymiser: the case's (`Pseudonymiser.for_case`).
    """
    p = pseudonymiser
    if p.settings.dates:
        view = coarsened_view(view, p.settings.dates)
    network = view.network
    renamed_network = replace(
        network,
        nodes=[p.rename(n) for n in network.nodes],
        names={
            p.rename(n): p.rename(n) if n in p.renamed else p.text(name)
            for n, name in network.names.items()
        },
        groups={p.rename(n): p.text(g) for n, g in network.groups.items()},
        ties=[
            replace(t, source=p.rename(t.source), target=p.rename(t.target)) for t in network.ties
        ],
    )
    attributes = {
        p.rename(actor): {
            name: (value if name == "kind" else p.attribute(name, value) or "")
            for name, value in values.items()
        }
        for actor, values in view.attributes.items()
    }
    frames = [
        replace(
            frame,
            measures={
                measure: {p.rename(a): v for a, v in values.items()}
                for measure, values in frame.measures.items()
            },
        )
        for frame in view.frames
    ]
    evidence = {
        tie: [_view_item(item, p) for item in items] for tie, items in view.evidence.items()
    }
    reforms = [
        {
            **reform,
            "organizations": [
                {**o, "id": p.rename(str(o.get("id")))} for o in reform.get("organizations", [])
            ],
        }
        for reform in view.reforms
    ]
    memberships = [
        {
            **m,
            "member": p.rename(str(m["member"])),
            "organization": p.rename(str(m["organization"])),
            "role": p.text(m["role"]) if m.get("role") else m.get("role"),
        }
        for m in view.memberships
    ]
    return replace(
        view,
        network=renamed_network,
        attributes=attributes,
        frames=frames,
        evidence=evidence,
        reforms=reforms,
        memberships=memberships,
    )


def coarsened_view(view: CaseView, level: str) -> CaseView:
    """The view made again from ties whose spells are widened to whole months (years):
    a tie starts on the first day of its start's month and ends on the last of its end's,
    so the change dates, the frames and their measures are those of the coarsened case
    and the slider moves month by month (year by year). Reforms, stages, memberships, the
    period of observation and evidence dates are coarsened alike; a day the page needs (a reform's
    mark, a stage's bounds) is the first (last) of its month or year."""
    from kb.analyses.view import change_dates, frame_of

    def widen(day: date, *, last: bool) -> date:
        if day in (date.min, date.max):  # "since before" / "still": no date to hide
            return day
        return coarse_day(day, level, last=last) or day

    def iso(value: Any, *, last: bool) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return widen(date.fromisoformat(value), last=last).isoformat()
        return value

    def partial(value: Any) -> Any:
        return coarse_date(value, level) if isinstance(value, str) else value

    ties = [
        replace(
            t,
            start=widen(t.start, last=False) if t.start else None,
            end=widen(t.end, last=True) if t.end else None,
        )
        for t in view.network.ties
    ]
    network = replace(view.network, ties=ties)
    observed = None
    days = change_dates(ties)
    if view.observed is not None:
        observed = (widen(view.observed[0], last=False), widen(view.observed[1], last=True))
        days = [d for d in days if observed[0] <= d <= observed[1]]
    frames = [frame_of(network, None, days)] + [frame_of(network, d, days) for d in days]
    return replace(
        view,
        network=network,
        frames=frames,
        observed=observed,
        evidence={
            tie: [{**item, "date": partial(item.get("date"))} for item in items]
            for tie, items in view.evidence.items()
        },
        reforms=[
            {**r, "date": partial(r.get("date")), "day": iso(r.get("day"), last=False)}
            for r in view.reforms
        ],
        stages=[
            {**s, "first": iso(s.get("first"), last=False), "last": iso(s.get("last"), last=True)}
            for s in view.stages
        ],
        memberships=[
            {**m, "start": partial(m.get("start")), "end": partial(m.get("end"))}
            for m in view.memberships
        ],
    )


def pseudonymise_results(value: T, pseudonymiser: Pseudonymiser) -> T:
    """Any analysis result (``kb report``'s `CaseResults` too) with every actor id and
    name replaced and every text masked; free-text fields (by key) dropped unless
    ``keep_text``. Numbers are untouched, so the results are the same up to renaming.
    With ``dates`` set, every date (and every day written in a text) becomes the first
    day of its month (year), written as the month (year) in text; durations computed
    before (survival times) stay as computed on the exact dates (docs/ethics.md).

    It walks dataclasses, mappings (keys too: measures are keyed by actor id), lists,
    tuples and sets; any other value is kept as it is.
    """
    return cast(T, _walk(value, pseudonymiser))


def _walk(value: Any, p: Pseudonymiser) -> Any:
    if isinstance(value, str):
        value = p.rename(value) if value in p.renamed else p.text(value)
        if p.settings.dates:  # a day inside any text: a title, a period's label
            value = p.days_in_text(value)
        return value
    if p.settings.dates and isinstance(value, date) and not isinstance(value, datetime):
        if value in (date.min, date.max):
            return value
        return coarse_day(value, p.settings.dates, last=False)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name), p) for f in fields(value) if f.init}
        return replace(value, **changes)
    if isinstance(value, Mapping):
        return {
            _walk(k, p): p.free_text(v) if k in FREE_TEXT and isinstance(v, str) else _walk(v, p)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        walked = [_walk(v, p) for v in value]
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*walked)
        return type(value)(walked)
    return value


def _view_item(item: Mapping[str, Any], p: Pseudonymiser) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in item.items():
        if not isinstance(value, str) or not value:
            kept[key] = value
        elif key in ("quote", "note", "location", "source"):
            kept[key] = p.free_text(value)
        elif key == "coder":
            kept[key] = p.coder(value)
        elif value in p.renamed:
            kept[key] = p.renamed[value]
        else:
            kept[key] = p.text(value)
        if isinstance(kept[key], str):
            kept[key] = p.days_in_text(kept[key])
    return kept


def _names(actor_id: str, props: Mapping[str, object]) -> list[str]:
    """What identifies an actor in text: id, name and aliases (``;``-separated)."""
    names = [actor_id]
    if props.get("name"):
        names.append(str(props["name"]))
    aliases = props.get("aliases")
    if isinstance(aliases, list | tuple):
        names += [str(a) for a in aliases]
    elif aliases:
        names += [a.strip() for a in str(aliases).split(ID_LIST_SEPARATOR)]
    return [n for n in names if n.strip()]


def _name_parts(name: str) -> list[str]:
    """The words of a person's name that identify alone: not particles, three letters up."""
    return [
        word
        for word in name.split()
        if len(word) >= 3 and fold(word) not in _PARTICLES and any(c.isalpha() for c in word)
    ]


def _unique(key: bytes, kind: str, value: str, taken: set[str]) -> str:
    length = 8
    name = pseudonym(key, kind, value, length=length)
    while name in taken:  # a collision of 40 bits: longer for this one
        length += 2
        name = pseudonym(key, kind, value, length=length)
    taken.add(name)
    return name


__all__ = [
    "Pseudonymisation",
    "Pseudonymiser",
    "attach_risk_report",
    "case_key",
    "coarse_date",
    "coarse_day",
    "pseudonym",
    "pseudonymise_network",
    "pseudonymise_results",
    "coarsened_view",
    "pseudonymise_view",
]


def pseudonymise_network(
    kb: Reader, network: ActorNetwork, settings: Pseudonymisation, target: Target
) -> tuple[ActorNetwork, Pseudonymiser]:
    """The network to write instead of ``network``, and the pseudonymiser that made it.

    Raises:
        ValidationError: ``target`` is a stream: the risk report needs a place beside it.
    """
    if not isinstance(target, str | Path):
        raise ValidationError(
            "A pseudonymised export writes a risk report beside it: give a file, not a stream (-)."
        )
    pseudonymiser = Pseudonymiser.for_case(kb, settings)
    return pseudonymiser.network(network), pseudonymiser


def attach_risk_report(
    result: ExportResult,
    network: ActorNetwork,
    pseudonymiser: Pseudonymiser,
    beside: str | Path,
) -> ExportResult:
    """Assess the pseudonymised ``network``, write the risk report beside the export and
    the actors at risk for the researcher; record all of it in ``result``."""
    from kb.exports.risk import assess, write_risk_report

    report = assess(
        network,
        set(pseudonymiser.renamed.values()) & {node.id for node in network.nodes},
        description=pseudonymiser.settings.describe(),
    )
    files, private = write_risk_report(report, Path(beside), originals=pseudonymiser.originals())
    result.risk = report.data() | {"summary": report.summary()}
    result.risk_files = [str(f) for f in files]
    result.researcher_file = str(private)
    return result
