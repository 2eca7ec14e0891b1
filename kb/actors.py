"""Actors as people name them: by id, or by a name that belongs to one actor.

Every place that takes an actor (``kb why``, ``timeline``, ``paths``, ``legitimacy
--source``, ``search --actor``, the actor columns of ``kb add``) resolves it here, so
``Louise Simard``, ``louise simard`` and ``p-lsimard`` name the same actor everywhere.
"""

from __future__ import annotations

import difflib
from typing import Any

from kb.errors import NotFoundError, ValidationError, Wording
from kb.store import Reader
from kb.text import fold

# How many near misses a "no such actor" error suggests.
SUGGESTIONS = 3


class AmbiguousActorError(ValidationError):
    """A name that several actors share: the error lists them, with their ids."""


def resolve_actor(db: Reader, given: str, *, parameter: str = "") -> str:
    """The id of the actor ``given`` names: its id, or its name (case, accents and extra
    spaces do not matter) when exactly one actor has that name or id.

    Args:
        db: the knowledge base.
        given: an actor id or name, as typed.
        parameter: the parameter it was given for, named in errors (``source``).

    Raises:
        AmbiguousActorError: several actors have that name (all are listed, with ids).
        NotFoundError: no actor has that id or name (the closest ids and names are
            suggested).
    """
    if db.read_optional("actors/get", id=given) is not None:
        return given
    actors = db.read("network/actors", group_by=None)
    key = fold(given)
    matches = [a for a in actors if key and key in (fold(a["id"]), fold(a["name"] or ""))]
    where = "{" + parameter + "}: " if parameter else ""
    if len(matches) == 1:
        return str(matches[0]["id"])
    if matches:
        raise AmbiguousActorError(
            Wording(
                where + "{_given!r} names {_count} actors: {_actors}. "
                "Give the id of the one you mean.",
                _given=given,
                _count=len(matches),
                _actors=_listed(matches),
            )
        )
    close = _near_misses(key, actors)
    hint = f" Did you mean {_listed(close, ' or ')}?" if close else ""
    raise NotFoundError(
        Wording(
            where + "{_no} actor with id or name {_given!r}.{_hint} "
            "Every actor: kb query run network/actors",
            _no="no" if where else "No",
            _given=given,
            _hint=hint,
        )
    )


def _listed(actors: list[dict[str, Any]], sep: str = ", ") -> str:
    return sep.join(
        f"{a['id']} ({a['name']})" if a["name"] and a["name"] != a["id"] else str(a["id"])
        for a in actors
    )


def _near_misses(key: str, actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Actors whose id or name is close to ``key`` (folded), or whose name contains it as
    a word (``simard`` suggests Louise Simard), closest first."""
    by_text: dict[str, dict[str, Any]] = {}
    for a in actors:
        for text in (fold(a["id"]), fold(a["name"] or "")):
            by_text.setdefault(text, a)
    close = difflib.get_close_matches(key, list(by_text), n=SUGGESTIONS, cutoff=0.6)
    found = [by_text[c] for c in close]
    if key:
        found += [a for a in actors if key in fold(a["name"] or "").split()]
    unique = {a["id"]: a for a in found}
    return list(unique.values())[:SUGGESTIONS]
