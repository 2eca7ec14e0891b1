"""Provenance: who an actor is, the ties between two actors with their evidence, an
actor's timeline."""

from __future__ import annotations

from typing import Any

from kb.actors import resolve_actor
from kb.analyses.vocabulary import check_period
from kb.errors import NotFoundError
from kb.periods import parse_at, time_params
from kb.store import Reader


def actor(db: Reader, actor_id: str) -> dict[str, Any]:
    """One actor's identity, given its id or its name (`resolve_actor`).

    Raises:
        NotFoundError: no actor has that id or name.
        AmbiguousActorError: several actors have that name.
    """
    found = db.read_optional("actors/get", id=resolve_actor(db, actor_id))
    if found is None:  # removed since it was resolved
        raise NotFoundError(f"No actor with id {actor_id!r}.")
    return found


def why(db: Reader, a: str, b: str, *, at: str | None = None) -> list[dict[str, Any]]:
    """The ties between two actors, with spells and the evidence behind each.

    Raises:
        NotFoundError: an actor does not exist (``a`` and ``b`` are ids or names).
    """
    a, b = resolve_actor(db, a), resolve_actor(db, b)
    period = parse_at(at)
    check_period(db, period)
    return db.read("evidence/why", a=a, b=b, **time_params(period))


def timeline(db: Reader, actor_id: str) -> list[dict[str, Any]]:
    """An actor's ties, memberships, meetings, positions and reform effects, in time order.

    Raises:
        NotFoundError: the actor does not exist.
    """
    return db.read("actors/timeline", actor=resolve_actor(db, actor_id))
