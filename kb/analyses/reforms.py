"""Reforms: the ties they broke, and the brokerage kept, lost and gained across them."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from kb.analyses.network import Network, fetch
from kb.analyses.selection import ALL_TIES, Selection, check_selection
from kb.analyses.vocabulary import check_period, check_types
from kb.errors import ValidationError, unknown
from kb.measures.brokerage import brokerage_pairs, role_of
from kb.periods import Period, add_window, parse_at, parse_window
from kb.results import Records, Result, Rows
from kb.store import Reader

EFFECT_KEYS = ("organization", "effect", "successor", "effect_date", "via")


class BrokenTies(Rows):
    """`broken_ties`' answer (``kb reforms broken-ties``): one record per tie, with its
    ``effects`` and ``evidence``."""


@dataclass(frozen=True, eq=False, kw_only=True)
class BrokerageChange(Result):
    """`brokerage_change`'s answer (``kb reforms brokerage-change``): one record per actor."""

    RECORDS = Records(key="actors")

    reform: str
    reform_date: Any
    group_by: str
    types: list[str] | None
    min_evidence: int
    triangulated: bool
    coders: list[str] | None
    before: str
    after: str
    actors: list[dict[str, Any]]


class Reforms(Rows):
    """`reforms`' answer (``kb reforms list``): one record per reform, in time order (id,
    name, date, jurisdiction, description, effects), with the ``organizations`` it
    affected (``{id, effect}``; their ids in the flat records)."""


def reforms(db: Reader) -> Reforms:
    """The reforms of the case with the organizations each affected (a `Reforms`)."""
    return Reforms(tuple(db.read("reforms/list")))


def get_reform(db: Reader, reform_id: str) -> dict[str, Any]:
    """One reform (id, name, date, first).

    Raises:
        ValidationError: no reform has that id (the message lists those that exist), or it
            has no date.
    """
    row = db.read_optional("reforms/get", reform=reform_id)
    if row is None:
        known = (r["id"] for r in db.read("reforms/list"))
        raise unknown("the case has no reform", reform_id, known, parameter="reform")
    if row["first"] is None:
        raise ValidationError(f"Reform {reform_id} has no date.")
    return row


def broken_ties(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    reform: str,
    window: str = "12m",
) -> BrokenTies:
    """Ties active on the reform date that ended within ``window`` after it, touching an
    organization the reform affected (directly or through a member), with evidence.

    Among the ties ``selection`` keeps (`kb.analyses.selection.Selection`); every tie row
    records its evidence rule.
    """
    get_reform(db, reform)
    check_types(db, selection.type_list)
    rows = db.read(
        "reforms/broken_ties",
        reform=reform,
        window=parse_window(window),
        **selection.params(),
    )
    if not rows:
        check_selection(db, selection)
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        tie = merged.setdefault(row["tie"], {**row, "effects": []})
        tie["effects"].append({k: row[k] for k in EFFECT_KEYS})
    for tie in merged.values():
        for key in EFFECT_KEYS:
            tie.pop(key)
        tie.update(selection.evidence_params())
    return BrokenTies(tuple(merged.values()))


def brokerage_change(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    reform: str,
    group_by: str = "sector",
    before: str | None = None,
    after: str | None = None,
    window: str = "12m",
) -> BrokerageChange:
    """Brokerage opportunities kept, lost and gained between two dates around a reform.

    Defaults: ``before`` is the day before the reform, ``after`` the end of ``window``.
    An opportunity is an ordered pair (a, c) an actor b brokers (a->b->c, no a->c), among
    the ties ``selection`` keeps (`kb.analyses.selection.Selection`; ``before`` and
    ``after`` replace its period).
    """
    found = get_reform(db, reform)
    day = found["first"]
    parse_window(window)
    eve = day - timedelta(days=1)
    before_period = parse_at(before, parameter="before") or Period(str(eve), eve, eve)
    end = add_window(day, window)
    after_period = parse_at(after, parameter="after") or Period(str(end), end, end)
    check_period(db, parse_at(before, parameter="before"), parameter="before")
    check_period(db, parse_at(after, parameter="after"), parameter="after")
    network = fetch(db, selection.during(None), group_by=group_by)
    open_before = _pairs_by_broker(network.during(before_period))
    open_after = _pairs_by_broker(network.during(after_period))
    actors: list[dict[str, Any]] = []
    for node in network.nodes:
        was, now = open_before.get(node, set()), open_after.get(node, set())
        if not was and not now:
            continue
        roles_lost = Counter(_role(network, a, node, c) for a, c in was - now)
        roles_gained = Counter(_role(network, a, node, c) for a, c in now - was)
        actors.append(
            {
                "id": node,
                "name": network.names.get(node),
                "group": network.groups[node],
                "before": len(was),
                "after": len(now),
                "kept": len(was & now),
                "lost": len(was - now),
                "gained": len(now - was),
                "lost_by_role": dict(sorted(roles_lost.items())),
                "gained_by_role": dict(sorted(roles_gained.items())),
            }
        )
    actors.sort(key=lambda a: (-a["lost"], -a["before"], a["id"]))
    return BrokerageChange(
        reform=reform,
        reform_date=found["date"],
        group_by=group_by,
        types=selection.type_list,
        **selection.evidence_params(),
        before=before_period.label,
        after=after_period.label,
        actors=actors,
    )


def _pairs_by_broker(network: Network) -> dict[str, set[tuple[str, str]]]:
    by_broker: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for a, b, c in brokerage_pairs(network.nodes, network.arcs):
        by_broker[b].add((a, c))
    return by_broker


def _role(network: Network, a: str, b: str, c: str) -> str:
    return role_of(network.groups[a], network.groups[b], network.groups[c])
