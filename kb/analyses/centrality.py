"""Degree, betweenness and Burt's structural holes of the case's actors."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from kb.analyses.inference import as_data, check_options
from kb.analyses.network import fetch
from kb.analyses.selection import ALL_TIES, Selection
from kb.errors import ValidationError
from kb.measures.centrality import MODES
from kb.store import Reader


def centrality(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    weight: str | None = None,
    combine: str = "sum",
    mode: str = "auto",
    permutations: int = 0,
    seed: int | None = None,
    null: str = "cug-edges",
) -> dict[str, Any]:
    """Degree, betweenness (raw and normalised) and Burt's constraint and effective size
    (weighted by the tie property ``weight`` when given).

    Args:
        db: the reader.
        selection: the ties (`kb.analyses.selection.Selection`; every tie by default).
        weight: a tie property holding tie strength, for Burt's measures; a tie without it
            counts 1.
        combine: how the weights of several ties between the same two actors combine
            (spells of one tie, ties of several types): ``sum`` or ``max``.
        mode: betweenness ``directed`` (ordered pairs), ``undirected`` (unordered pairs,
            every tie as a line) or ``auto``: undirected when every selected tie is.

    Returns:
        ``{"at", "types", "min_evidence", "triangulated", "weight", "combine", "mode",
        "actors": [{"id", "name", "degree", "in_degree", "out_degree", "betweenness",
        "betweenness_normalized", "constraint", "effective_size"}]}`` sorted by betweenness
        (``mode`` is the one used), and ``"centralization"``: Freeman's degree and
        betweenness centralisation (as ``sna::centralization``); with ``permutations`` > 0,
        ``"test"``: both against uniform graphs with as many arcs (``cug-edges``; permuting
        labels cannot change them).
    """
    check_options(permutations, null, allowed=("cug-edges",), seed=seed)
    from kb.measures.centrality import centrality as centrality_of
    from kb.measures.structural_holes import structural_holes

    if mode not in ("auto", *MODES):
        raise ValidationError(f"--mode {mode!r}: use auto, directed or undirected.")
    network = fetch(db, selection, weight=weight)
    if mode == "auto":
        mode = "undirected" if network.all_undirected else "directed"
    scores = centrality_of(network.nodes, network.arcs, mode=mode)
    holes = structural_holes(
        network.nodes, network.arcs, weights=network.weights(combine) if weight else None
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
        "at": selection.at,
        "types": selection.type_list,
        **selection.evidence_params(),
        "weight": weight,
        "combine": combine,
        "mode": mode,
        "actors": actors,
        "centralization": centralization_of(network.nodes, network.arcs),
    }
    if permutations:
        test = centralization_test(
            network.nodes, network.arcs, draws=permutations, seed=seed, null=null
        )
        result["test"] = as_data(test)
    return result
