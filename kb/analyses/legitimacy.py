"""Legitimacy paths: how actors of one group reach actors of another, and through whom."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kb.actors import resolve_actor
from kb.analyses.network import Network, case_periods, check_attribute, fetch
from kb.analyses.paths import check_hops
from kb.analyses.selection import ALL_TIES, Selection
from kb.analyses.vocabulary import check_group, check_group_by, check_period, check_types
from kb.errors import ParameterError, ValidationError
from kb.periods import Period
from kb.results import Rows
from kb.store import CachingReader, Reader

if TYPE_CHECKING:
    from kb.measures.bfs import ArcTable


class Legitimacy(Rows):
    """`legitimacy`'s answer (``kb legitimacy``): one record per source actor and period."""


class Reach(Rows):
    """`legitimacy_of_source`'s answer (``kb legitimacy --source``): one record per target
    reached, nearest first, with a shortest path (``actors``, ``ties``)."""


def legitimacy(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    from_group: str,
    to_group: str,
    group_by: str = "sector",
    by: str | None = None,
    max_hops: int = 6,
    brokers: int | None = 10,
) -> Legitimacy:
    """How actors of ``from_group`` reach actors of ``to_group``, per source and period.

    For each source actor (and period): the target-group actors it reaches along ties
    (following direction; ``targets`` nearest first), in how many hops, and the brokers
    on its shortest paths: the actors on some shortest path to a reached target
    (``brokers_total`` of them), the ``brokers`` with the highest dependency listed (all
    with None) with that dependency (how many of the reached targets the source's
    shortest paths route through them; equal paths share a target). ``has_ties`` says
    whether the source has any selected tie in the period, so shares can be taken over
    the sources present then. ``selection`` chooses the ties
    (`kb.analyses.selection.Selection`; with ``by``, the periods replace its own); every
    row records its evidence rule.
    """
    check_hops(max_hops)
    if brokers is not None and brokers < 0:
        raise ValidationError("brokers: give how many to list (0 or more), or None for all.")
    check_attribute(group_by)
    if by and selection.period:
        raise ParameterError.sentence("Give {by} or {at}, not both.")
    network = fetch(db, selection.during(None), group_by=group_by)
    periods: list[Period | None] = (
        list(case_periods(db, by, types=selection.types)) if by else [selection.period]
    )
    sources = [n for n in network.nodes if network.groups[n] == from_group]
    targets = [n for n in network.nodes if network.groups[n] == to_group]
    check_group(network.groups.values(), from_group, group_by=group_by, parameter="from_group")
    check_group(network.groups.values(), to_group, group_by=group_by, parameter="to_group")
    rows: list[dict[str, Any]] = []
    for period in periods:
        snapshot = network.during(period)
        label = period.label if period else None
        rows += _reach_rows(snapshot, sources, targets, max_hops, label, brokers)
    for row in rows:
        row.update(selection.evidence_params())
    return Legitimacy(tuple(rows))


def legitimacy_of_source(
    db: CachingReader,
    source: str,
    selection: Selection = ALL_TIES,
    *,
    to_group: str,
    group_by: str = "sector",
    max_hops: int = 6,
) -> Reach:
    """Single-source legitimacy: the ``to_group`` actors ``source`` reaches, nearest first,
    each with the hop count and one shortest path (actors and tie ids), among the ties
    ``selection`` keeps (every row records its evidence rule).

    A breadth-first search on the selected network in arrays (`kb.measures.bfs`).
    Fetching that network is most of the cost, so it is kept with ``db.cached`` and reused
    until the database changes.
    """
    from kb.measures.bfs import breadth_first

    check_attribute(group_by)
    check_hops(max_hops)
    source = resolve_actor(db, source, parameter="source")
    check_group_by(db, group_by)
    check_types(db, selection.type_list)
    check_period(db, selection.period, parameter=selection.period_parameter)
    table = db.cached(
        ["reach/arc-table", group_by, selection.params()],
        lambda: _arc_table(fetch(db, selection, group_by=group_by)),
    )
    if source not in table.actors:
        return Reach()  # an actor with no tie in the selection reaches no one
    start = table.actors.index(source)
    found = breadth_first(table, start, max_hops)
    rows = []
    for i in found.order:
        if table.groups[i] != to_group:
            continue
        actors, ties = found.path(table, i)
        rows.append(
            {
                "target": table.actors[i],
                "target_name": table.names[i],
                "hops": int(found.hops[i]),
                "actors": actors,
                "ties": ties,
                **selection.evidence_params(),
            }
        )
    return Reach(tuple(rows))


def _arc_table(network: Network) -> ArcTable:
    from kb.measures.bfs import ArcTable

    return ArcTable.build(
        network.nodes,
        [network.names.get(n) for n in network.nodes],
        [network.groups[n] for n in network.nodes],
        [(t.id, t.source, t.target, t.directed) for t in network.ties],
    )


def _reach_rows(
    network: Network,
    sources: list[str],
    targets: list[str],
    max_hops: int,
    period: str | None,
    top: int | None,
) -> list[dict[str, Any]]:
    import numpy as np

    from kb.measures.dependency import directed_graph, distances_from, target_dependency

    nodes = network.nodes
    index = {node: i for i, node in enumerate(nodes)}
    graph = directed_graph(nodes, network.arcs)
    with_ties = {t.source for t in network.ties} | {t.target for t in network.ties}
    edges = np.array(graph.get_edgelist(), dtype=np.intp).reshape(-1, 2)
    tails, heads = edges[:, 0].copy(), edges[:, 1].copy()
    ids = np.array(nodes, dtype=object)
    is_target = np.zeros(len(nodes), dtype=bool)
    is_target[[index[t] for t in targets]] = True
    # Python's order of ids breaks ties in hops and dependency, as sorted() would.
    rank = np.empty(len(nodes), dtype=np.int64)
    rank[sorted(range(len(nodes)), key=nodes.__getitem__)] = np.arange(len(nodes))
    rows = []
    searched: list[tuple[dict[str, Any], int]] = []
    for source in sources:
        row: dict[str, Any] = {
            "period": period,
            "source": source,
            "source_name": network.names.get(source),
            "has_ties": source in with_ties,
            "reached": 0,
            "targets": [],
            "min_hops": None,
            "mean_hops": None,
            "brokers_total": 0,
            "brokers": [],
        }
        rows.append(row)
        if row["has_ties"]:  # a source without ties reaches no one: spare the search
            searched.append((row, index[source]))
    for row, s, distances in distances_from(graph, searched):
        # hops as small integers, max_hops + 1 standing for "further or never"
        hops = np.minimum(distances, max_hops + 1).astype(np.int16)
        reached_mask = is_target & (hops > 0) & (hops <= max_hops)
        reached = np.flatnonzero(reached_mask)
        if not reached.size:
            continue
        depth = hops[reached].astype(np.int64)
        row["reached"] = int(reached.size)
        row["targets"] = ids[reached[np.lexsort((rank[reached], depth))]].tolist()
        row["min_hops"] = int(depth.min())
        row["mean_hops"] = float(depth.mean())
        # rounded, so that equal dependencies summed in different orders tie exactly
        dependency = target_dependency(tails, heads, hops, s, reached_mask, max_hops)
        dependency = np.round(dependency, 6)
        brokers = np.flatnonzero(dependency > 0)
        row["brokers_total"] = int(brokers.size)
        if top is not None and brokers.size > top:
            # keep the top values and everything tied with the last of them, then sort
            cut = np.partition(dependency[brokers], brokers.size - top)[brokers.size - top]
            brokers = brokers[dependency[brokers] >= cut]
        brokers = brokers[np.lexsort((rank[brokers], -dependency[brokers]))][:top]
        row["brokers"] = [
            {
                "id": nodes[i],
                "name": network.names.get(nodes[i]),
                "dependency": float(dependency[i]),
            }
            for i in brokers
        ]
    return rows


def legitimacy_summary(
    rows: Sequence[Mapping[str, Any]], *, targets_total: int, top: int
) -> list[dict[str, Any]]:
    """Per period, what `legitimacy` rows (computed with ``brokers=None``) add up to.

    Returns:
        One row per period, in the rows' order: ``period``, ``sources`` (every actor of the
        source group), ``reaching`` (sources reaching at least one target), ``share``
        (reaching / sources), ``targets_reached`` (distinct targets reached by any source),
        ``targets_total``, ``mean_hops`` (over all source-target pairs reached) and
        ``brokers``: the ``top`` actors with the highest summed dependency — the
        betweenness restricted to paths from the source group to the target group: for
        each reached (source, target) pair, the share of its shortest paths through the
        broker — as ``{"id", "name", "dependency"}``.
    """
    by_period: dict[str | None, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_period.setdefault(row["period"], []).append(row)
    summary = []
    for period, sources in by_period.items():
        reaching = [s for s in sources if s["reached"]]
        pairs = sum(s["reached"] for s in reaching)
        hops = sum(s["mean_hops"] * s["reached"] for s in reaching)
        dependency: dict[str, float] = {}
        names: dict[str, Any] = {}
        for source in reaching:
            for broker in source["brokers"]:
                dependency[broker["id"]] = dependency.get(broker["id"], 0.0) + broker["dependency"]
                names[broker["id"]] = broker["name"]
        ranked = sorted(dependency.items(), key=lambda kv: (-round(kv[1], 6), kv[0]))[:top]
        summary.append(
            {
                "period": period,
                "sources": len(sources),
                "reaching": len(reaching),
                "share": len(reaching) / len(sources) if sources else None,
                "targets_reached": len({t for s in reaching for t in s["targets"]}),
                "targets_total": targets_total,
                "mean_hops": hops / pairs if pairs else None,
                "brokers": [
                    {"id": b, "name": names[b], "dependency": round(d, 6)} for b, d in ranked
                ],
            }
        )
    return summary
