"""Degree, betweenness and Burt's structural holes of the case's actors."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kb.analyses.inference import as_data, check_options
from kb.analyses.network import fetch
from kb.analyses.selection import ALL_TIES, Selection
from kb.errors import ParameterError
from kb.measures.centrality import MODES
from kb.results import OMIT_NONE, Records, Result
from kb.store import Reader


@dataclass(frozen=True, eq=False, kw_only=True)
class CentralityResult(Result):
    """`centrality`'s answer (``kb centrality``): one record per actor, and the network's
    centralisation (with its null-model ``test`` when asked for)."""

    RECORDS = Records(key="actors")

    at: str | None
    types: list[str] | None
    min_evidence: int
    triangulated: bool
    coders: list[str] | None
    weight: str | None
    combine: str
    mode: str
    actors: list[dict[str, Any]]
    centralization: dict[str, float | None]
    test: dict[str, Any] | None = field(default=None, metadata=OMIT_NONE)

    def centralization_records(self) -> list[dict[str, Any]]:
        """Freeman's centralisation, one record per measure: ``{measure, value}`` (with
        its test, when tested: ``mean``, ``sd``, ``p_greater``, ``p_less`` of the null)."""
        tests = (self.test or {}).get("tests", {})
        return [
            {
                "measure": name,
                "value": value,
                **(
                    {k: tests[name][k] for k in ("mean", "sd", "p_greater", "p_less")}
                    if name in tests
                    else {}
                ),
            }
            for name, value in self.centralization.items()
        ]


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
) -> CentralityResult:
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
        a `CentralityResult`: ``at``, ``types``, ``min_evidence``, ``triangulated``,
        ``weight``, ``combine``, ``mode``, ``actors``: ``[{"id", "name", "degree",
        "in_degree", "out_degree", "betweenness", "betweenness_normalized", "constraint",
        "effective_size"}]`` sorted by betweenness
        (``mode`` is the one used), and ``"centralization"``: Freeman's degree and
        betweenness centralisation (as ``sna::centralization``); with ``permutations`` > 0,
        ``"test"``: both against uniform graphs with as many arcs (``cug-edges``; permuting
        labels cannot change them).
    """
    check_options(permutations, null, allowed=("cug-edges",), seed=seed)
    from kb.measures.centrality import centrality as centrality_of
    from kb.measures.structural_holes import structural_holes

    if mode not in ("auto", *MODES):
        raise ParameterError("mode", mode, "use auto, directed or undirected.")
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

    test = (
        centralization_test(network.nodes, network.arcs, draws=permutations, seed=seed, null=null)
        if permutations
        else None
    )
    return CentralityResult(
        at=selection.at,
        types=selection.type_list,
        **selection.evidence_params(),
        weight=weight,
        combine=combine,
        mode=mode,
        actors=actors,
        centralization=centralization_of(network.nodes, network.arcs),
        test=as_data(test) if test is not None else None,
    )
