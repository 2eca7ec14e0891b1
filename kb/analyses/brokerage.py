"""Gould & Fernandez brokerage of the case's actors, at a date or per period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from kb.analyses.network import Network, case_periods, fetch, parse_types
from kb.measures import brokerage as measure
from kb.periods import Period, parse_at
from kb.store import Reader

TOP_BROKERS = 5  # brokers a picture or the report highlights


def brokerage(
    db: Reader,
    *,
    group_by: str = "sector",
    types: str | list[str] | None = None,
    at: str | Period | None = None,
) -> dict[str, Any]:
    """Gould & Fernandez brokerage roles with sna's expected values and z-scores.

    Returns:
        ``{"at", "group_by", "types", "network": {role: {raw, expected, sd, z}},
        "actors": [{"id", "name", "group", "roles": {role: {...}}}]}``, actors sorted
        by total brokerage.
    """
    period = parse_at(at)
    chosen = parse_types(types)
    network = fetch(db, types=chosen, period=period, group_by=group_by)
    return brokerage_result(network, group_by, chosen, period.label if period else None)


def brokerage_by(
    db: Reader,
    *,
    by: str,
    group_by: str = "sector",
    types: str | list[str] | None = None,
) -> list[dict[str, Any]]:
    """``brokerage`` for each stage, year or quarter."""
    chosen = parse_types(types)
    network = fetch(db, types=chosen, group_by=group_by)
    return [
        brokerage_result(network.during(period), group_by, chosen, period.label)
        for period in case_periods(db, by, types=chosen)
    ]


def brokerage_result(
    network: Network, group_by: str, types: list[str] | None, at: str | None
) -> dict[str, Any]:
    """The brokerage of a fetched network, as `brokerage` returns it."""
    result = measure.brokerage(network.nodes, network.arcs, groups=network.groups)
    actors: list[dict[str, Any]] = [
        {
            "id": node,
            "name": network.names.get(node),
            "group": network.groups[node],
            "roles": {role: asdict(stats) for role, stats in result.actors[node].items()},
        }
        for node in network.nodes
    ]
    actors.sort(key=lambda a: (-a["roles"]["total"]["raw"], a["id"]))
    return {
        "at": at,
        "group_by": group_by,
        "types": types,
        "network": {role: asdict(stats) for role, stats in result.network.items()},
        "actors": actors,
    }


def top_brokers(brokerage: Mapping[str, Any], top: int = TOP_BROKERS) -> list[dict[str, Any]]:
    """The first ``top`` actors of a `brokerage` result that broker at all.

    Returns:
        ``[{"id", "name", "group", "total", "z", "main_role"}]`` in the analysis's order
        (total brokerage, then id).
    """
    chosen: list[dict[str, Any]] = []
    for actor in brokerage["actors"]:
        total = actor["roles"]["total"]
        if total["raw"] <= 0 or len(chosen) >= top:
            break
        roles = {k: v["raw"] for k, v in actor["roles"].items() if k != "total"}
        main = max(sorted(roles), key=lambda k: roles[k]) if roles else None
        chosen.append(
            {
                "id": actor["id"],
                "name": actor["name"],
                "group": actor["group"],
                "total": total["raw"],
                "z": total["z"],
                "main_role": main,
            }
        )
    return chosen
