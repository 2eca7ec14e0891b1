"""Do the main results hold on triangulated ties? The report's comparison of two selections.

The same measures are computed on every tie of the selected types and again on the
triangulated ties only (`kb.analyses.selection.TRIANGULATED`), per period (all time, then
each stage): network-level Gould-Fernandez brokerage (raw and z), the top brokers and how
many are in both lists, Freeman's degree and betweenness centralisation, the E-I index,
and the share of source-group actors reaching the target group (legitimacy). Nothing is
random, so the same data gives the same comparison.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from kb.analyses.brokerage import TOP_BROKERS, brokerage_result, top_brokers
from kb.analyses.legitimacy import legitimacy, legitimacy_summary
from kb.analyses.network import Network, fetch
from kb.analyses.selection import ALL_TIES, Selection
from kb.errors import ValidationError
from kb.periods import Period
from kb.store import Reader

SELECTIONS = ("all", "triangulated")


@dataclass
class Robustness:
    """The main results on all ties and on triangulated ties.

    Attributes:
        ties: ties of the selected types.
        triangulated: how many of them are triangulated.
        by_type: per tie type: ``type``, ``ties``, ``triangulated``.
        periods: per period (None: all time, then each stage), each measure under
            ``<measure>_all`` and ``<measure>_triangulated``: ``ties``, ``brokerage``
            (network total, raw), ``brokerage_z``, ``degree_centralization``,
            ``betweenness_centralization``, ``ei_index``, ``share_reaching`` (legitimacy;
            None where it was not computed), ``top`` (the top brokers, ``{"id", "name"}``); and
            ``top_shared`` (how many brokers are on both top lists).
        problem: why there is nothing to compare (no triangulated tie), else None.
    """

    ties: int
    triangulated: int
    by_type: list[dict[str, Any]] = field(default_factory=list)
    periods: list[dict[str, Any]] = field(default_factory=list)
    problem: str | None = None


def robustness(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    group_by: str = "sector",
    from_group: str = "community",
    to_group: str = "public",
    periods: list[Period | None] | None = None,
    max_hops: int = 6,
    top: int = TOP_BROKERS,
    all_ties: Network | None = None,
    legitimacy_all: list[dict[str, Any]] | None = None,
) -> Robustness:
    """The main results on every tie ``selection`` keeps whatever its evidence and period
    (its types, say), and on the triangulated ones.

    Args:
        db: the knowledge base.
        group_by: the actor property that defines groups.
        from_group: legitimacy's source group.
        to_group: legitimacy's target group.
        selection: the ties compared; its evidence rule and period are replaced (all
            ties, then triangulated ties; ``periods``).
        periods: the periods compared (default: all time only); legitimacy is computed
            for the stages, or for all time when ``periods`` is all time alone.
        max_hops: legitimacy's longest path.
        top: how many top brokers to compare.
        all_ties: the network of all those ties when the caller has it.
        legitimacy_all: `legitimacy_summary` rows on all ties when the caller has them.

    Returns:
        The comparison; with no triangulated tie, the counts and a ``problem``.
    """
    periods = periods or [None]
    every = replace(selection, period=None, min_evidence=0, triangulated=False)
    types = every.type_list
    whole = all_ties if all_ties is not None else fetch(db, every, group_by=group_by)
    counts = Counter(t.type for t in whole.ties)
    result = Robustness(ties=len(whole.ties), triangulated=0)
    try:
        strong = fetch(db, replace(every, triangulated=True), group_by=group_by)
    except ValidationError as error:
        result.problem = str(error)
        strong = None
    strong_counts = Counter(t.type for t in strong.ties) if strong else Counter()
    result.triangulated = sum(strong_counts.values())
    result.by_type = [
        {"type": kind, "ties": n, "triangulated": strong_counts[kind]}
        for kind, n in sorted(counts.items())
    ]
    if strong is None:
        return result
    stage_periods = [p for p in periods if p is not None]
    reach = {
        "all": legitimacy_all
        if legitimacy_all is not None
        else _reach(db, whole, from_group, to_group, group_by, every, stage_periods, max_hops),
        "triangulated": _reach(
            db,
            strong,
            from_group,
            to_group,
            group_by,
            replace(every, triangulated=True),
            stage_periods,
            max_hops,
        ),
    }
    shares = {name: {row["period"]: row["share"] for row in rows} for name, rows in reach.items()}
    for period in periods:
        label = period.label if period else None
        row: dict[str, Any] = {"period": label}
        tops: dict[str, list[str]] = {}
        for name, network in zip(SELECTIONS, (whole, strong), strict=True):
            snapshot = network.during(period)
            brokerage = brokerage_result(snapshot, group_by, types, label)
            measures = _measures(snapshot, brokerage["network"]["total"])
            row.update({f"{k}_{name}": v for k, v in measures.items()})
            brokers = top_brokers(brokerage, top)
            tops[name] = [b["id"] for b in brokers]
            row[f"top_{name}"] = [{"id": b["id"], "name": b["name"]} for b in brokers]
            row[f"share_reaching_{name}"] = shares[name].get(label)
        row["top_shared"] = len(set(tops["all"]) & set(tops["triangulated"]))
        result.periods.append(row)
    return result


def _measures(network: Network, total: dict[str, Any]) -> dict[str, Any]:
    from kb.measures.evolution import snapshot_metrics
    from kb.measures.permutation import centralization_of

    metrics = snapshot_metrics(network.nodes, network.arcs, groups=network.groups)
    return {
        "ties": len(network.ties),
        "brokerage": total["raw"],
        "brokerage_z": total["z"],
        **centralization_of(network.nodes, network.arcs),
        "ei_index": metrics["ei_index"],
    }


def _reach(
    db: Reader,
    network: Network,
    from_group: str,
    to_group: str,
    group_by: str,
    selection: Selection,
    stage_periods: list[Period],
    max_hops: int,
) -> list[dict[str, Any]]:
    groups = set(network.groups.values())
    if from_group not in groups or to_group not in groups:
        return []
    rows = legitimacy(
        db,
        selection,
        from_group=from_group,
        to_group=to_group,
        group_by=group_by,
        by="stage" if stage_periods else None,
        max_hops=max_hops,
        brokers=None,
    )
    targets = sum(1 for g in network.groups.values() if g == to_group)
    return legitimacy_summary(rows, targets_total=targets, top=0)
