"""The case over time as `kb view` shows it: the network at every change date, with the
measures, evidence, reforms and stages the page needs.

Nothing here is re-implemented for the page: the network is `network.fetch` (types and
evidence selected as every command selects them), the ties of date D are
``whole.during(Period(D, D))`` (`Period.overlaps`, kb's one rule of time: the ties
``--at D`` selects), measures are `kb.measures`' (as ``kb centrality --at D`` and ``kb
brokerage --at D`` compute them), and the evidence of a tie is what `provenance.why` (``kb
why``) gives for its two actors. The page only looks values up.

A **change date** is a day of the case's period of observation on which the selected ties
differ from the day before: the first day of a spell, or the day after its last. Between
two change dates the network is the one of the earlier; before the first, it is the ties
that have no start ("since before observation").
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from kb.analyses.network import NO_GROUP, Network, Tie, fetch
from kb.analyses.observation import observation
from kb.analyses.reforms import broken_ties
from kb.analyses.reforms import reforms as case_reforms
from kb.analyses.selection import ALL_TIES, Coverage, Selection
from kb.analyses.stages import stages as case_stages
from kb.dates import PartialDate
from kb.errors import ValidationError
from kb.periods import Period
from kb.store import Reader

# Actor properties the page can colour by, when actors have them (plus ``kind``).
COLOUR_ATTRIBUTES = ("sector", "territory")
# The grouping of brokerage (Gould and Fernandez roles need groups), as `kb brokerage`.
BROKERAGE_GROUP = "sector"
# The window of the reforms' broken ties (the default of kb reforms broken-ties).
BROKEN_WITHIN = "12m"
EVIDENCE_KEYS = (
    "id",
    "kind",
    "date",
    "quote",
    "location",
    "coder",
    "note",
    "document",
    "document_title",
)


@dataclass(frozen=True)
class Frame:
    """The network from ``day`` until the next change date.

    Attributes:
        day: the change date (None: before the first one).
        ties: ids of the ties ``--at day`` selects, sorted.
        measures: per measure name, its value per actor id (every actor of the case).
    """

    day: date | None
    ties: list[str]
    measures: dict[str, dict[str, float]]


@dataclass
class CaseView:
    """Everything the page shows, computed by kb.

    Attributes:
        network: every actor and every selected tie whatever its spell (the page lays
            actors out on it, so that they keep their place across dates).
        attributes: per actor id, ``kind`` and the `COLOUR_ATTRIBUTES` the case has.
        frames: the network before the first change date, then at each change date.
        evidence: per tie id, its evidence items as ``kb why`` gives them (plus ``source``).
        reforms: ``{id, name, date, day, organizations: [{id, effect}], broken: [tie ids]}``
            in time order.
        stages: ``{id, name, first, last}`` in time order.
        selection: the tie selection the view was made with (types, evidence).
        observed: the case's period of observation (`kb.analyses.observation`), the
            slider's range; None when the case holds no date.
        memberships: ``{id, member, organization, role, start, end}`` (dates as the
            data gives them), for the actor panel.
    """

    network: Network
    attributes: dict[str, dict[str, str]]
    frames: list[Frame]
    evidence: dict[str, list[dict[str, Any]]]
    reforms: list[dict[str, Any]] = field(default_factory=list)
    stages: list[dict[str, Any]] = field(default_factory=list)
    selection: dict[str, Any] = field(default_factory=dict)
    observed: tuple[date, date] | None = None
    memberships: list[dict[str, Any]] = field(default_factory=list)

    @property
    def dates(self) -> list[date]:
        """The change dates, in order."""
        return [f.day for f in self.frames if f.day is not None]

    def frame_at(self, day: date) -> Frame:
        """The frame showing ``day``: the last change date on or before it."""
        return self.frames[bisect_right(self.dates, day)]


def change_dates(ties: list[Tie]) -> list[date]:
    """The days on which the set of ties ``--at`` a day selects changes."""
    days = {t.start for t in ties if t.start is not None}
    days |= {t.end + timedelta(days=1) for t in ties if t.end is not None and t.end < date.max}
    return sorted(days)


def case_view(db: Reader, selection: Selection = ALL_TIES) -> CaseView:
    """The view of the case: its network at every change date, with measures and evidence.

    Args:
        db: the reader.
        selection: the ties to show (`kb.analyses.selection.Selection`: types and
            evidence; every tie by default). It has no period: the view shows every date.

    Raises:
        ValidationError: the selection has a period, names an unknown tie type, or keeps
            no tie (the message lists what exists).
    """
    if selection.period is not None:
        raise ValidationError(
            f"The view shows the case at every date; give a selection without a period "
            f"(not {selection.period.label})."
        )
    properties = {r["property"] for r in db.read("vocabulary/actor_properties")}
    group_by = BROKERAGE_GROUP if BROKERAGE_GROUP in properties else None
    whole = fetch(db, selection, group_by=group_by)
    attributes = _attributes(db, properties)
    seen = observation(db)
    days = change_dates(whole.ties)
    if seen is not None:
        # kb answers --at only inside the period of observation (`check_period`); a tie
        # ending with the observation does not make a change date after it.
        days = [d for d in days if seen.first <= d <= seen.last]
    frames = [_frame(whole, None, days)]
    for day in days:
        frames.append(_frame(whole, day, days))
    return CaseView(
        network=whole,
        attributes=attributes,
        frames=frames,
        evidence=_evidence(db, whole.ties),
        reforms=_reforms(db, selection),
        stages=[
            {
                "id": s.id,
                "name": s.name,
                "first": s.period.first.isoformat() if s.period.first else None,
                "last": s.period.last.isoformat() if s.period.last else None,
            }
            for s in case_stages(db)
        ],
        selection={"types": selection.type_list, **selection.evidence_params()},
        observed=(seen.first, seen.last) if seen is not None else None,
        memberships=[
            {key: None if row[key] is None else str(row[key]) for key in row}
            for row in db.read("network/memberships")
        ],
    )


def _frame(whole: Network, day: date | None, days: list[date]) -> Frame:
    """The ties of ``day`` and their measures; before the first change date (None), the
    ties of the day before it, which are those without a start."""
    if day is None:
        first = min(days, default=None)
        at = first - timedelta(days=1) if first is not None and first > date.min else None
        network = whole.during(Period("before", at, at)) if at else whole
    else:
        network = whole.during(Period(day.isoformat(), day, day))
    return Frame(day, sorted(t.id for t in network.ties), _measures(network))


# The frame of a day, for views made again from changed ties (pseudonymised dates).
frame_of = _frame


def _measures(network: Network) -> dict[str, dict[str, float]]:
    """Degree and betweenness as ``kb centrality --at D`` computes them, and total
    brokerage as ``kb brokerage --at D`` does (when actors have a sector)."""
    from kb.measures.brokerage import brokerage
    from kb.measures.centrality import centrality

    mode = "undirected" if network.all_undirected else "directed"
    scores = centrality(network.nodes, network.arcs, mode=mode)
    measures: dict[str, dict[str, float]] = {
        "degree": {n: float(s.degree) for n, s in scores.items()},
        "betweenness": {n: round(float(s.betweenness), 6) for n, s in scores.items()},
    }
    if set(network.groups.values()) != {NO_GROUP}:
        result = brokerage(network.nodes, network.arcs, groups=network.groups)
        measures["brokerage"] = {n: float(roles["total"].raw) for n, roles in result.actors.items()}
    return measures


def _attributes(db: Reader, properties: set[str]) -> dict[str, dict[str, str]]:
    """``kind`` and the colour attributes of every actor (`NO_GROUP` where missing)."""
    found: dict[str, dict[str, str]] = {}
    for row in db.read("network/actors", group_by=None):
        found[row["id"]] = {"kind": str(row["kind"])}
    for name in COLOUR_ATTRIBUTES:
        if name not in properties:
            continue
        for row in db.read("network/actors", group_by=name):
            found[row["id"]][name] = NO_GROUP if row["group"] is None else str(row["group"])
    return found


def _evidence(db: Reader, ties: list[Tie]) -> dict[str, list[dict[str, Any]]]:
    """Per tie, the evidence ``kb why`` shows for it, each item with its ``source``."""
    wanted = {t.id for t in ties}
    pairs = sorted({tuple(sorted((t.source, t.target))) for t in ties})
    found: dict[str, list[dict[str, Any]]] = {}
    for a, b in pairs:
        # The query `kb why` runs (`provenance.why`), without its name resolution: these
        # are ids already.
        for tie in db.read("evidence/why", a=a, b=b, at_first=None, at_last=None):
            if tie["tie"] in wanted:
                found[tie["tie"]] = [_item(item) for item in tie["evidence"] or []]
    return found


def _item(item: dict[str, Any]) -> dict[str, Any]:
    kept = {key: item.get(key) for key in EVIDENCE_KEYS}
    parts = (item.get("document_title") or item.get("document"), item.get("location"))
    kept["source"] = ", ".join(str(p) for p in parts if p)
    return kept


def coverage(items: list[dict[str, Any]]) -> Coverage:
    """How well the items of a tie (as `_evidence` gives them) evidence it: the page's
    evidence filters apply `Selection.selects` to it (`evidence_filter`)."""
    return Coverage(evidence=len(items), kinds=frozenset(str(i["kind"]) for i in items))


def _reforms(db: Reader, selection: Selection) -> list[dict[str, Any]]:
    """The reforms, each with the ties it broke as ``kb reforms broken-ties --reform ID``
    gives them (active on its date, ended within `BROKEN_WITHIN` after it, touching an
    organization it affected), for the same tie selection."""
    found = []
    for reform in case_reforms(db):
        day = PartialDate.parse(reform["date"]).first if reform.get("date") else None
        broken = (
            broken_ties(db, selection, reform=reform["id"], window=BROKEN_WITHIN) if day else []
        )
        found.append(
            {
                "id": reform["id"],
                "name": reform["name"],
                "date": reform["date"],
                "day": day.isoformat() if day else None,
                "organizations": reform["organizations"],
                "broken": sorted({t["tie"] for t in broken}),
            }
        )
    return found
