"""What participants agreed to, applied where rows leave the graph.

An actor's ``consent`` (docs/ethics.md) is ``full`` (the default: an actor without one),
``no-quotes`` (their words, the quotes of the evidence items they are the informant of, are
never shown), ``structure-only`` (they appear only as an anonymous node: no name, no text
attribute, no words, their name masked in what others said) or ``withdrawn`` (read as
structure-only until `kb.withdraw` erases or anonymises them).

`ConsentPolicy.apply` is run by `kb.graph.KnowledgeBase` on the rows of every read query
(except the bookkeeping folders in `UNFILTERED`), so every output (CLI tables, JSON, CSV,
the report, the view, every export and picture) gets the same treatment without knowing of
it. Anonymous actors are called ``anonymous-N``; a query parameter naming one is read as
that actor (`ConsentPolicy.unmask`), so ``kb why anonymous-2`` works.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kb.model import CONSENT_STATUSES, ID_LIST_SEPARATOR
from kb.store import Reader

if TYPE_CHECKING:
    from kb.masking import Masker

NO_QUOTES, STRUCTURE_ONLY, WITHDRAWN = CONSENT_STATUSES[1:]
# Statuses under which the actor is shown only as an anonymous node.
ANONYMOUS_STATUSES = frozenset({STRUCTURE_ONLY, WITHDRAWN})
# What stands for withheld words.
WITHHELD = "[withheld: the informant did not consent to quotes]"
ANONYMOUS_PREFIX = "anonymous-"
# Query folders whose rows are kb's own bookkeeping and must see the data as stored: the
# import (its checks and idempotent writes), backups and restores, the full-text filler,
# `kb add`'s read-back of the record it updates, the content fingerprint (a hash of the data
# as stored), and this module's own query.
UNFILTERED = frozenset(
    {"import", "qda", "backup", "restore", "meta", "journal", "consent", "search", "admin"}
    | {"records", "fingerprint"}
)
# Keys of an anonymous actor's own record that stay: what makes it a node of the network.
_STRUCTURAL_KEYS = frozenset({"id", "labels", "consent"})
_WORD_KEYS = ("quote", "kb_search")


@dataclass(frozen=True)
class Restricted:
    """An actor whose consent restricts what kb shows."""

    id: str
    name: str | None
    consent: str
    person: bool = True
    aliases: str | None = None
    evidence: tuple[str, ...] = ()

    def names(self) -> list[str]:
        """What others may call them (`names_of`)."""
        return names_of(self.name, person=self.person, aliases=self.aliases)


def names_of(name: str | None, *, person: bool, aliases: str | None = None) -> list[str]:
    """What others may call an actor: the name, its aliases (an ``aliases`` property,
    ``;``-separated), and for a person each word of the name of three letters or more
    (``François``, ``Ouellet``: interviewees say first names). A first name masks every
    namesake too: for privacy, masking too much is the safe side."""
    others = [a.strip() for a in (aliases or "").split(ID_LIST_SEPARATOR) if a.strip()]
    if not name:
        return others
    parts = [w for w in name.replace("-", " ").split() if len(w) >= 3]
    return [name, *others, *(parts if person and len(parts) > 1 else [])]


@dataclass
class ConsentPolicy:
    """The consent of a case's actors, ready to apply to rows (empty: nothing to do)."""

    restricted: tuple[Restricted, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)  # anonymous actor id -> label
    _masker: Masker | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._silent = {r.id for r in self.restricted}  # informants whose words are withheld
        self._evidence = {e for r in self.restricted for e in r.evidence}
        self._exact: dict[str, str] = {}
        for actor in self.restricted:
            label = self.labels.get(actor.id)
            if label is not None:
                self._exact[actor.id] = label
                if actor.name:
                    self._exact[actor.name] = label
        self._unmask = {label: actor for actor, label in self.labels.items()}
        entries = [
            (r.names(), self.labels[r.id])
            for r in self.restricted
            if r.id in self.labels and r.names()
        ]
        if entries:
            from kb.masking import masker_for

            self._masker = masker_for(entries)

    @property
    def empty(self) -> bool:
        """Whether every actor agreed to everything (rows pass unchanged)."""
        return not self.restricted

    def apply(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``rows`` as consent allows them to be shown (new rows; the given ones untouched)."""
        if self.empty:
            return rows
        return [self._value(row) for row in rows]

    def unmask(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Query parameters with each anonymous label read as the actor it stands for."""
        if not self._unmask:
            return dict(params)
        return {name: self._unmasked(value) for name, value in params.items()}

    def _unmasked(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._unmask.get(value, value)
        if isinstance(value, list):
            return [self._unmasked(v) for v in value]
        return value

    def _value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, dict):
            return self._record(value)
        if isinstance(value, list | tuple):
            return [self._value(v) for v in value]
        return value

    def _record(self, record: dict[str, Any]) -> dict[str, Any]:
        out = {key: self._value(value) for key, value in record.items()}
        if record.get("informant") in self._silent or record.get("id") in self._evidence:
            for key in _WORD_KEYS:
                if out.get(key) is not None:
                    out[key] = WITHHELD if key == "quote" else None
        label = self.labels.get(record.get("id"))  # type: ignore[arg-type]
        if label is not None:
            for key, value in record.items():
                if key not in _STRUCTURAL_KEYS and _is_text(value):
                    out[key] = label if key == "name" else None
        return out

    def _text(self, text: str) -> str:
        exact = self._exact.get(text)
        if exact is not None:
            return exact
        if self._masker is not None and len(text) > 1:
            return self._masker.mask(text)
        return text


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and any(isinstance(v, str) for v in value)
    )


def anonymous_labels(ids: Iterable[str]) -> dict[str, str]:
    """``anonymous-N`` for each id, numbered in the order of a hash of the id: stable while
    the set of anonymous actors does not change, and telling nothing of the id's spelling."""
    ordered = sorted(ids, key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest())
    return {ident: f"{ANONYMOUS_PREFIX}{n}" for n, ident in enumerate(ordered, start=1)}


def policy(db: Reader) -> ConsentPolicy:
    """The case's consent policy, read in one query (kb/cypher/consent/restricted)."""
    restricted = tuple(
        Restricted(
            id=row["id"],
            name=row["name"],
            consent=row["consent"],
            person=bool(row["person"]),
            aliases=row["aliases"] if isinstance(row["aliases"], str) else None,
            evidence=tuple(row["evidence"]),
        )
        for row in db.read("consent/restricted")
    )
    labels = anonymous_labels(r.id for r in restricted if r.consent in ANONYMOUS_STATUSES)
    return ConsentPolicy(restricted=restricted, labels=labels)


def filtered(query_name: str) -> bool:
    """Whether the rows of the query ``query_name`` go through the consent policy."""
    return query_name.split("/", 1)[0] not in UNFILTERED
