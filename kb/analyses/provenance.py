"""Provenance: who an actor is, the ties between two actors with their evidence, an
actor's timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kb.actors import resolve_actor
from kb.analyses.vocabulary import check_period
from kb.errors import NotFoundError
from kb.periods import parse_at, time_params
from kb.results import Records, Rows
from kb.store import Reader


class TiesBetween(Rows):
    """`why`'s answer (``kb why A B``): one record per tie between the two actors (tie,
    type, source, target, directed, start, end, weight) with its ``evidence`` items; its
    flat records are one per evidence item (``evidence_*`` columns), a tie without any
    keeping one."""

    RECORDS = Records(explode="evidence")


@dataclass(frozen=True, eq=False)
class Timeline(Rows):
    """`timeline`'s answer (``kb timeline ACTOR``): one record per dated fact about the
    actor (date, end, kind, detail, other, other_name, id, evidence), in time order.

    Attributes:
        actor: who the timeline is of (id, name, labels, sector, kind: `actor`); not
            part of the records.
    """

    actor: dict[str, Any] = field(default_factory=dict)


def actor(db: Reader, actor_id: str) -> dict[str, Any]:
    """One actor's identity, given its id or its name (`resolve_actor`).

    Raises:
        NotFoundError: no actor has that id or name.
        AmbiguousActorError: several actors have that name.
    """
    return _identity(db, resolve_actor(db, actor_id), actor_id)


def _identity(db: Reader, resolved: str, given: str) -> dict[str, Any]:
    found = db.read_optional("actors/get", id=resolved)
    if found is None:  # removed since it was resolved
        raise NotFoundError(f"No actor with id {given!r}.")
    return found


def why(db: Reader, a: str, b: str, *, at: str | None = None) -> TiesBetween:
    """The ties between two actors, with spells and the evidence behind each.

    Args:
        db: the knowledge base.
        a, b: the two actors, by id or name (either direction).
        at: only the ties whose spell overlaps this period (a partial date).

    Returns:
        a `TiesBetween`: one record per tie, its evidence items in ``evidence``.

    Raises:
        NotFoundError: an actor does not exist (``a`` and ``b`` are ids or names).
    """
    a, b = resolve_actor(db, a), resolve_actor(db, b)
    period = parse_at(at)
    check_period(db, period)
    return TiesBetween(tuple(db.read("evidence/why", a=a, b=b, **time_params(period))))


def timeline(db: Reader, actor_id: str) -> Timeline:
    """An actor's ties, memberships, meetings, positions and reform effects, in time order.

    Returns:
        a `Timeline`: its records, and the ``actor`` they are about.

    Raises:
        NotFoundError: the actor does not exist.
    """
    resolved = resolve_actor(db, actor_id)
    who = _identity(db, resolved, actor_id)
    return Timeline(tuple(db.read("actors/timeline", actor=resolved)), actor=who)
