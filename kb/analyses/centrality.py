"""Degree, betweenness and Burt's structural holes of the case's actors."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from kb.analyses.inference import as_data, check_options
from kb.analyses.network import fetch, parse_types
from kb.periods import Period, parse_at
from kb.store import Reader


def centrality(
    db: Reader,
    *,
    types: str | list[str] | None = None,
    at: str | Period | None = None,
    weight: str | None = None,
    permutations: int = 0,
    seed: int | None = None,
    null: str = "cug-edges",
) -> dict[str, Any]:
    """Degree, betweenness (raw, directed; and normalised) and Burt's constraint and
    effective size (weighted by the tie property ``weight`` when given).

    Returns:
        ``{"at", "types", "weight", "actors": [{"id", "name", "degree", "in_degree",
        "out_degree", "betweenness", "betweenness_normalized", "constraint",
        "effective_size"}]}`` sorted by betweenness, and ``"centralization"``: Freeman's
        degree and betweenness centralisation (as ``sna::centralization``); with
        ``permutations`` > 0, ``"test"``: both against uniform graphs with as many arcs
        (``cug-edges``; permuting labels cannot change them).
    """
    check_options(permutations, null, allowed=("cug-edges",))
    from kb.measures.centrality import centrality as centrality_of
    from kb.measures.structural_holes import structural_holes

    period = parse_at(at)
    chosen = parse_types(types)
    network = fetch(db, types=chosen, period=period, weight=weight)
    scores = centrality_of(network.nodes, network.arcs)
    holes = structural_holes(
        network.nodes, network.arcs, weights=network.weights() if weight else None
    )
    actors = [
        {
            "id": node,
            "name": network.names.get(node),
            **asdict(scores[node]),
            **asdict(holes[node]),
        }
        for node in network.nodes
    ]
    actors.sort(key=lambda a: (-a["betweenness"], -a["degree"], a["id"]))
    from kb.measures.permutation import centralization_of, centralization_test

    result: dict[str, Any] = {
        "at": period.label if period else None,
        "types": chosen,
        "weight": weight,
        "actors": actors,
        "centralization": centralization_of(network.nodes, network.arcs),
    }
    if permutations:
        test = centralization_test(
            network.nodes, network.arcs, draws=permutations, seed=seed, null=null
        )
        result["test"] = as_data(test)
    return result
