"""The network of one period, ready to be drawn: its ties, actors and top brokers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kb.analyses.brokerage import TOP_BROKERS, BrokerageResult, brokerage_result, top_brokers
from kb.analyses.network import Network, check_attribute, fetch
from kb.analyses.selection import ALL_TIES, Selection
from kb.analyses.stages import stage as find_stage
from kb.errors import ParameterError
from kb.periods import Period
from kb.store import Reader


@dataclass(frozen=True)
class Snapshot:
    """One period of the network as a picture shows it.

    Attributes:
        period: the period (None: every tie whatever its spell).
        title: what the picture is of, in words.
        network: the actors and the ties whose spell overlaps the period.
        whole: the same actors with every tie of the selected types, whatever its spell
            (a picture lays actors out on it, so they keep their place across periods).
        brokers: the top brokers of the period (`kb.analyses.brokerage.top_brokers`).
        kinds: ``person`` or ``organization`` per actor id.
        group_by: the actor property that defines groups.
        types: the tie types selected (None: all).
    """

    period: Period | None
    title: str
    network: Network
    whole: Network
    brokers: list[dict[str, Any]]
    kinds: dict[str, str]
    group_by: str
    types: list[str] | None = None
    actors_with_ties: list[str] = field(default_factory=list)

    @property
    def broker_ids(self) -> list[str]:
        """Ids of the top brokers, highest total brokerage first."""
        return [b["id"] for b in self.brokers]


def network_snapshot(
    db: Reader,
    selection: Selection = ALL_TIES,
    *,
    stage: str | None = None,
    group_by: str = "sector",
    top: int = TOP_BROKERS,
) -> Snapshot:
    """The network in the selection's period, in a stage, or over all time, with its top
    brokers.

    ``stage`` uses the stage's period (first..last day); without it, the period of
    ``selection`` (`kb.analyses.selection.Selection`), or every tie whatever its spell. The
    rest of the selection (types, evidence) holds in the picture and its layout alike.

    Raises:
        ValidationError: both a period and ``stage``; no stages.
        NotFoundError: no stage has the id ``stage``.
    """
    if selection.period and stage:
        raise ParameterError.sentence("Give {at} or {stage}, not both.")
    check_attribute(group_by)
    chosen = selection.type_list
    whole = fetch(db, selection.during(None), group_by=group_by)
    if stage:
        found = find_stage(db, stage)
        first, last = found.period.first or "…", found.period.last or "…"
        return snapshot_of(
            db,
            whole,
            found.period,
            f"Network in stage {found.name}, {first} to {last}",
            group_by=group_by,
            types=chosen,
            top=top,
        )
    period = selection.period
    title = f"Network at {_period_text(period)}" if period else "Network, all ties"
    return snapshot_of(db, whole, period, title, group_by=group_by, types=chosen, top=top)


def snapshot_of(
    db: Reader,
    whole: Network,
    period: Period | None,
    title: str,
    *,
    group_by: str,
    types: list[str] | None,
    top: int = TOP_BROKERS,
    brokerage: BrokerageResult | None = None,
    kinds: dict[str, str] | None = None,
) -> Snapshot:
    """The snapshot of ``period`` from an already fetched network (and its brokerage in that
    period and the actors' kinds, when the caller has them)."""
    network = whole.during(period)
    if brokerage is None:
        brokerage = brokerage_result(network, group_by, types, period.label if period else None)
    if kinds is None:
        kinds = actor_kinds(db)
    return Snapshot(
        period=period,
        title=title,
        network=network,
        whole=whole,
        brokers=top_brokers(brokerage, top),
        kinds=kinds,
        group_by=group_by,
        types=types,
        actors_with_ties=sorted({n for t in network.ties for n in (t.source, t.target)}),
    )


def _period_text(period: Period) -> str:
    if period.first == period.last:
        return period.label
    return f"{period.label} ({period.first or '…'} to {period.last or '…'})"


def actor_kinds(db: Reader) -> dict[str, str]:
    """``person`` or ``organization`` per actor id."""
    return {row["id"]: row["kind"] for row in db.read("network/actors", group_by=None)}
