"""`kb withdraw`: a participant leaves the study, and kb forgets them (docs/ethics.md).

``erase`` removes the actor, their ties and every evidence item they are the informant of;
``anonymise`` keeps an anonymous node (``withdrawn-`` and random hex) for the structure
others reported, and removes their words and attributes. Under both, their name and its
initials are masked in every text others gave (quotes, notes, titles...), and their id
wherever a property holds it; the full-text text of what changed is recomputed, so
``kb search`` finds nothing of theirs. The withdrawal is one write transaction, through
`Store.write_one` like every write, and leaves a dated ``KbWithdrawal`` node (the policy
and the reason, masked too) that `kb.backup.list_backups` compares with backup dates. In
the same transaction the journal is purged of them (kb.journal_purge).
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from kb.actors import resolve_actor
from kb.consent import names_of
from kb.errors import NotFoundError, ParameterError
from kb.journal_purge import JournalPurge
from kb.masking import masker_for
from kb.schema import SEARCH_PROPERTY, SEARCHED_COLUMNS
from kb.store import Store
from kb.text import search_text

POLICIES = ("erase", "anonymise")
# What an erased actor's name becomes in what others said.
ERASED = "[withdrawn participant]"
WITHDRAWN_PREFIX = "withdrawn-"
# Nodes whose full-text text (kb_search) is made of some of their properties.
_SEARCHED = {"Evidence": SEARCHED_COLUMNS["evidence"], "Document": SEARCHED_COLUMNS["documents"]}


@dataclass(frozen=True)
class WithdrawalResult:
    """What a withdrawal did (the actor is not named: the result may be shown or logged)."""

    policy: str
    withdrawn_at: datetime
    anonymous_id: str | None  # the node left by ``anonymise``
    evidence_removed: int
    relationships: int  # erased (``erase``) or kept on the anonymous node (``anonymise``)
    texts_masked: int  # nodes and relationships whose text named them

    def as_dict(self) -> dict[str, Any]:
        """The result as plain data."""
        return asdict(self)


def withdraw(store: Store, actor: str, *, policy: str, why: str) -> WithdrawalResult:
    """Withdraw ``actor`` (an id or a name) from the case under ``policy``.

    Args:
        store: the knowledge base.
        actor: the actor's id or name.
        policy: ``erase`` or ``anonymise``.
        why: the reason, kept with the withdrawal's date (their name is masked in it).

    Raises:
        ParameterError: an unknown policy, or an empty reason.
        NotFoundError: no such actor (the error lists near names).
    """
    if policy not in POLICIES:
        raise ParameterError("policy", policy, f"give one of {', '.join(POLICIES)}")
    if not why.strip():
        raise ParameterError("why", why, "say why (the ethics record keeps it)")
    ident = resolve_actor(store, actor)
    record = store.read_optional("consent/actor", id=_stored_id(store, ident))
    if record is None:
        raise NotFoundError(f"No actor {actor!r}.")
    ident = record["id"]
    anonymous = WITHDRAWN_PREFIX + secrets.token_hex(4) if policy == "anonymise" else None
    replacement = anonymous or ERASED
    person = "Person" in record["labels"]
    aliases = record["aliases"] if isinstance(record["aliases"], str) else None
    names = names_of(record["name"], person=person, aliases=aliases)
    masker = masker_for([(names, replacement)])
    nodes, links = _masked_texts(store, ident, masker, anonymous)
    params: dict[str, Any] = {
        "id": ident,
        "evidence": list(record["evidence"]),
        "nodes": nodes,
        "links": links,
        "policy": policy,
        "why": masker.mask(why),
    }
    ties = store.read("consent/links", id=ident)
    if anonymous is not None:
        params["new_id"] = anonymous
        params["link_ids"] = [
            {"element": row["element"], "id": _new_link_id(row["id"])} for row in ties
        ]
    purge = JournalPurge(
        ident=ident,
        replacement=replacement,
        records=frozenset([ident, *record["evidence"], *(row["id"] for row in ties if row["id"])]),
        masker=masker,
        policy=policy,
        why=params["why"],
    )
    row = _write_purging(store, f"consent/{policy}", params, purge)
    return WithdrawalResult(
        policy=policy,
        withdrawn_at=row["date"],
        anonymous_id=anonymous,
        evidence_removed=int(row["evidence"]),
        relationships=int(row["relationships"]),
        texts_masked=len(nodes) + len(links),
    )


def _write_purging(
    store: Store, query: str, params: dict[str, Any], purge: JournalPurge
) -> dict[str, Any]:
    """Run the withdrawal's write with the journal purged in its transaction, under an
    entry whose command and reason are masked too (kb.journal_purge)."""
    entry_of = getattr(store, "journal_entry", None)
    if entry_of is None:  # a store without a journal
        return store.write_one(query, **params)
    with entry_of() as entry:
        entry.command = purge.text(entry.command)
        entry.why = purge.text(entry.why)
        entry.purge = purge
        try:
            return store.write_one(query, **params)
        finally:
            entry.purge = None


def _stored_id(store: Store, ident: str) -> str:
    """The stored id of an actor shown under an anonymous label (kb.consent)."""
    policy = getattr(store, "consent_policy", None)
    if policy is None:
        return ident
    return str(policy().unmask({"id": ident})["id"])


def _new_link_id(old: str | None) -> str | None:
    """A fresh id for a relationship whose stable id was derived from the actor's id (so
    could be recomputed from a guess of it); the kind prefix (``t-``, ``m-``...) stays."""
    if old is None:
        return None
    prefix = old.split("-", 1)[0] + "-" if "-" in old else ""
    return prefix + secrets.token_hex(6)


def _masked_texts(
    store: Store, ident: str, masker: Any, anonymous: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The properties of other nodes and relationships that name the actor, masked."""
    nodes: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for row in store.read("consent/texts", id=ident):
        props = row["props"]
        changed: dict[str, Any] = {}
        for key, value in props.items():
            if key == SEARCH_PROPERTY or (key == "id" and not row["relationship"]):
                continue
            masked = _masked(value, ident, masker, anonymous)
            if masked != value:
                changed[key] = masked
        if not changed:
            continue
        searched = _SEARCHED.get(row["label"]) if not row["relationship"] else None
        if searched is not None:
            merged = {**props, **changed}
            changed[SEARCH_PROPERTY] = search_text(merged.get(c) for c in searched)
        (links if row["relationship"] else nodes).append(
            {"element": row["element"], "props": changed}
        )
    return nodes, links


def _masked(value: Any, ident: str, masker: Any, anonymous: str | None) -> Any:
    if isinstance(value, str):
        if value == ident:
            return anonymous
        return masker.mask(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        kept = [_masked(v, ident, masker, anonymous) for v in value]
        return [v for v in kept if v is not None]
    return value


def withdrawals(store: Store) -> list[dict[str, Any]]:
    """The withdrawals made in the database (date, policy, why), oldest first."""
    return store.read("consent/withdrawals")
