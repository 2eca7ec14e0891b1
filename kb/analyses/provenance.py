"""Provenance: who an actor is, the ties between two actors with their evidence, an
actor's timeline."""

from __future__ import annotations

from typing import Any

from kb.analyses.vocabulary import check_period
from kb.errors import NotFoundError
from kb.periods import parse_at, time_params
from kb.store import Reader


def actor(db: Reader, actor_id: str) -> dict[str, Any]:
    """One actor's identity.

    Raises:
        NotFoundError: no actor has that id.
    """
    rows = db.read("actors/get", id=actor_id)
    if not rows:
        import difflib

        ids = [r["id"] for r in db.read("network/actors", group_by=None)]
        close = difflib.get_close_matches(actor_id, ids, n=3, cutoff=0.6)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise NotFoundError(
            f"No actor with id {actor_id!r}.{hint} Every actor: kb query run network/actors"
        )
    return rows[0]


def why(db: Reader, a: str, b: str, *, at: str | None = None) -> list[dict[str, Any]]:
    """The ties between two actors, with spells and the evidence behind each.

    Raises:
        NotFoundError: an actor does not exist.
    """
    actor(db, a)
    actor(db, b)
    period = parse_at(at)
    check_period(db, period)
    return db.read("evidence/why", a=a, b=b, **time_params(period))


def timeline(db: Reader, actor_id: str) -> list[dict[str, Any]]:
    """An actor's ties, memberships, meetings, positions and reform effects, in time order.

    Raises:
        NotFoundError: the actor does not exist.
    """
    actor(db, actor_id)
    return db.read("actors/timeline", actor=actor_id)
