"""The tie network as plain data, selected by tie type, time and evidence, and the case's
periods.

Analyses that need more than Cypher (z-scores, betweenness, constraint, time-respecting
paths) run on this. Undirected ties become arcs in both directions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kb.analyses.selection import ALL_TIES, Selection, check_selection, resolve_coders
from kb.analyses.vocabulary import check_group_by, check_period, check_types, check_weight
from kb.errors import ParameterError, ValidationError
from kb.model import PROPERTY_NAME_PATTERN
from kb.periods import Period, split
from kb.store import Reader

NO_GROUP = "(none)"
WEIGHT_COMBINE = ("sum", "max")


def check_attribute(name: str | None, *, parameter: str = "group_by") -> str | None:
    """An actor or tie property name given for ``parameter``, checked against a strict
    pattern."""
    if name is not None and not PROPERTY_NAME_PATTERN.fullmatch(name):
        raise ParameterError(parameter, name, "expected a property name such as sector.")
    return name


@dataclass(frozen=True)
class Tie:
    """One tie as fetched: spell bounds are the first and last day it may be active."""

    id: str
    source: str
    target: str
    type: str
    directed: bool
    weight: float | None
    start: date | None
    end: date | None


@dataclass
class Network:
    """Actors (isolates included), their groups, and the selected ties (``selection``: the
    selection they were fetched with)."""

    nodes: list[str]
    names: dict[str, str]
    groups: dict[str, str]
    ties: list[Tie] = field(default_factory=list)
    selection: Selection = ALL_TIES

    @property
    def arcs(self) -> list[tuple[str, str]]:
        """Directed arcs; an undirected tie gives both directions."""
        arcs: list[tuple[str, str]] = []
        for tie in self.ties:
            arcs.append((tie.source, tie.target))
            if not tie.directed:
                arcs.append((tie.target, tie.source))
        return arcs

    def during(self, period: Period | None) -> Network:
        """The same actors with only the ties whose spell overlaps ``period`` (all without)."""
        if period is None:
            return self
        return Network(
            nodes=self.nodes,
            names=self.names,
            groups=self.groups,
            ties=[t for t in self.ties if period.overlaps(t.start, t.end)],
            selection=self.selection.during(period),
        )

    def weights(self, combine: str = "sum") -> dict[tuple[str, str], float]:
        """One weight per arc: a tie without the weight property counts 1, and the ties
        between the same two actors (spells of a re-formed tie, ties of several types)
        combine by ``sum`` or ``max`` (docs/analyses.md, "Weights")."""
        if combine not in WEIGHT_COMBINE:
            raise ParameterError("combine", combine, f"use one of {', '.join(WEIGHT_COMBINE)}.")
        merged: dict[tuple[str, str], float] = {}
        for tie in self.ties:
            w = 1.0 if tie.weight is None else float(tie.weight)
            pairs = [(tie.source, tie.target)]
            if not tie.directed:
                pairs.append((tie.target, tie.source))
            for pair in pairs:
                old = merged.get(pair)
                merged[pair] = w if old is None else (old + w if combine == "sum" else max(old, w))
        return merged

    @property
    def all_undirected(self) -> bool:
        """Whether there are ties and every one is undirected."""
        return bool(self.ties) and not any(t.directed for t in self.ties)


def _number(value: Any, tie: str, weight: str | None) -> float | None:
    """A weight as a number; text such as ``"2,5"`` (French decimal comma) is accepted."""
    if value is None or isinstance(value, int | float):
        return value
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        message = f"Tie {tie} has {weight} = {value!r}, which is not a number."
        raise ValidationError(message) from None


def fetch(
    base: Reader,
    selection: Selection = ALL_TIES,
    *,
    group_by: str | None = None,
    weight: str | None = None,
) -> Network:
    """The network of the ties ``selection`` keeps (every tie by default): of its types,
    whose spell overlaps its period, with its evidence.

    Raises:
        ValidationError: ``group_by`` or ``weight`` is a property no actor (tie) has, a
            type of the selection is one no tie has, its period lies outside the case's
            time range, or its evidence rule keeps no tie of its types; each message lists
            what exists.
    """
    check_attribute(group_by)
    check_attribute(weight, parameter="weight")
    check_group_by(base, group_by)
    check_weight(base, weight)
    check_types(base, selection.type_list)
    check_period(base, selection.period, parameter=selection.period_parameter)
    selection = resolve_coders(base, selection)
    actors = base.read("network/actors", group_by=group_by)
    columns = base.read_one("network/ties", weight=weight, **selection.params())
    ids = columns["ids"]
    if not ids:
        check_selection(base, selection)
    weights = (
        [_number(w[0], tie, weight) for w, tie in zip(columns["weights"], ids, strict=True)]
        if weight
        else [None] * len(ids)
    )
    ties = [
        Tie(
            id=tie,
            source=source,
            target=target,
            type=kind,
            directed=bool(directed),
            weight=w,
            start=date.fromisoformat(start) if start else None,
            end=date.fromisoformat(end) if end else None,
        )
        for tie, source, target, kind, directed, w, start, end in zip(
            ids,
            columns["sources"],
            columns["targets"],
            columns["types"],
            columns["directed"],
            weights,
            columns["starts"],
            columns["ends"],
            strict=True,
        )
    ]
    return Network(
        nodes=[a["id"] for a in actors],
        names={a["id"]: a["name"] for a in actors},
        groups={a["id"]: NO_GROUP if a["group"] is None else str(a["group"]) for a in actors},
        ties=ties,
        selection=selection,
    )


def case_periods(base: Reader, by: str, *, types: Sequence[str] | None = None) -> list[Period]:
    """The periods of ``by``: the case's stages, or the years / quarters with dated ties.

    Raises:
        ValidationError: unknown ``by``; no stages; no dated tie.
    """
    stages = base.read("network/stages") if by == "stage" else []
    chosen = list(types) if types is not None else None
    span = base.read_one("network/date_range", types=chosen) if by != "stage" else {}
    return split(by, stages=stages, first=span.get("first"), last=span.get("last"))
