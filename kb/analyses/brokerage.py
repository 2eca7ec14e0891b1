"""Gould & Fernandez brokerage of the case's actors, at a date or per period."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from kb.analyses.inference import as_data, check_options
from kb.analyses.network import Network, case_periods, fetch
from kb.analyses.selection import ALL_TIES, Selection
from kb.measures import brokerage as measure
from kb.results import OMIT_NONE, Records, Result, Rows
from kb.store import Reader

TOP_BROKERS = 5  # brokers a picture or the report highlights


@dataclass(frozen=True, eq=False, kw_only=True)
class BrokerageResult(Result):
    """`brokerage`'s answer: the network's roles and every actor's (``kb brokerage``).

    Attributes:
        period: the period of a `brokerage_by` result (its label; also in ``at``).
        at: the date or period the ties overlap (None: every tie).
        network: per role ``{raw, expected, sd, z}``.
        actors: ``{"id", "name", "group", "roles": {role: {raw, expected, sd, z}}}``, by
            total brokerage; under a ``labels`` test each also has its ``test``.
        test: the null-model test of every role (`inference.as_data`), with permutations.
    """

    RECORDS = Records(key="actors")

    period: str | None = field(default=None, metadata=OMIT_NONE)
    at: str | None
    group_by: str
    types: list[str] | None
    min_evidence: int
    triangulated: bool
    coders: list[str] | None
    network: dict[str, dict[str, Any]]
    actors: list[dict[str, Any]]
    test: dict[str, Any] | None = field(default=None, metadata=OMIT_NONE)

    def network_records(self) -> list[dict[str, Any]]:
        """The network level, one record per role: ``{role, raw, expected, sd, z}`` (with
        the role's test, when tested, as ``p_greater``/``p_less``)."""
        tests = (self.test or {}).get("tests", {})
        return [
            {
                "role": role,
                **stats,
                **({k: tests[role][k] for k in ("p_greater", "p_less")} if role in tests else {}),
            }
            for role, stats in self.network.items()
        ]


@dataclass(frozen=True, eq=False)
class BrokerageByPeriod(Rows):
    """`brokerage_by`'s answer: one `BrokerageResult` per period (``kb brokerage --by``)."""

    RECORDS = Records(key="actors", carry=("period",))
    rows: tuple[BrokerageResult, ...] = ()


def brokerage(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    group_by: str = "sector",
    permutations: int = 0,
    seed: int | None = None,
    null: str = "labels",
) -> BrokerageResult:
    """Gould & Fernandez brokerage roles with sna's expected values and z-scores.

    With ``permutations`` > 0, each role is also tested against a null model (``null``:
    ``labels`` permutes the groups over the actors, ``cug-edges`` draws uniform graphs with
    as many arcs), exactly when the distinct draws are few; ``seed`` fixes the draws.
    ``selection`` chooses the ties (`kb.analyses.selection.Selection`), as in every
    analysis.

    Returns:
        a `BrokerageResult`: the ``network`` roles and the ``actors`` sorted by total
        brokerage; with permutations also its ``test`` (`inference.as_data`) and, under
        ``labels``, each actor's ``test``.
    """
    check_options(permutations, null, seed=seed)
    network = fetch(db, selection, group_by=group_by)
    result = brokerage_result(network, group_by, selection.type_list, selection.at)
    if permutations:
        result = add_test(result, network, permutations=permutations, seed=seed, null=null)
    return result


def add_test(
    result: BrokerageResult,
    network: Network,
    *,
    permutations: int,
    seed: int | None,
    null: str,
) -> BrokerageResult:
    """``result`` with the null-model test of every role (and of every actor's roles)."""
    from kb.measures.permutation import brokerage_test

    test = brokerage_test(
        network.nodes,
        network.arcs,
        groups=network.groups,
        null=null,
        draws=permutations,
        seed=seed,
    )
    actors = result.actors
    if test.actors is not None:
        actors = [
            {**actor, "test": {role: asdict(t) for role, t in test.actors[actor["id"]].items()}}
            for actor in actors
        ]
    return dataclasses.replace(result, actors=actors, test=as_data(test))


def brokerage_by(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    by: str,
    group_by: str = "sector",
    permutations: int = 0,
    seed: int | None = None,
    null: str = "labels",
) -> BrokerageByPeriod:
    """``brokerage`` for each stage, year or quarter (each period tested with ``seed``), each
    result with its ``period`` (the stage id, year or quarter; also in ``at``). The periods
    replace the selection's own."""
    check_options(permutations, null, seed=seed)
    chosen = selection.type_list
    network = fetch(db, selection.during(None), group_by=group_by)
    results = []
    for period in case_periods(db, by, types=chosen):
        snapshot = network.during(period)
        result = dataclasses.replace(
            brokerage_result(snapshot, group_by, chosen, period.label), period=period.label
        )
        if permutations:
            result = add_test(result, snapshot, permutations=permutations, seed=seed, null=null)
        results.append(result)
    return BrokerageByPeriod(tuple(results))


def brokerage_result(
    network: Network, group_by: str, types: list[str] | None, at: str | None
) -> BrokerageResult:
    """The brokerage of a fetched network, as `brokerage` returns it (with the evidence
    selection the network was fetched with)."""
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
    return BrokerageResult(
        at=at,
        group_by=group_by,
        types=types,
        **network.selection.evidence_params(),
        network={role: asdict(stats) for role, stats in result.network.items()},
        actors=actors,
    )


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
