"""Inter-coder agreement on ties (``kb evidence agreement``), the units where coders differ
(``kb evidence disagreements``) and how the team settled them (``kb evidence settle``).

**The unit** is (source document, unordered actor pair, tie type), for every such triple
that at least one coder coded in that source: a coder coded it when one of their evidence
items drawn from the source supports a tie of that type between the two actors. A coder's
value for the unit is 1 if they coded it, 0 if they coded the source (have an evidence item
from it) but not that tie, and missing if they did not code the source. Triples nobody
coded are not units, so the many pairs no one saw cannot inflate agreement. Evidence items
without a source document or a coder belong to no unit; they are counted in the warnings.

Coder names go through `kb.coders.CoderAliases` first, so ``JL`` and ``Julie Lavallée``
can be one coder; names that look like one person but were not declared are warned about.

Settled units (``settle``) are reported apart; the raw agreement never changes with them.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from kb.coders import CoderAliases, lookalikes
from kb.errors import ParameterError, unknown
from kb.measures.agreement import (
    alpha_interval,
    krippendorff_alpha,
    pair_agreement,
    undefined_alpha,
)
from kb.results import Records, Result, Rows
from kb.store import Reader, Store

By = Literal["type", "source", "stage"]
BY_CHOICES: tuple[str, ...] = ("type", "source", "stage")
NO_STAGE = "(no stage)"


@dataclass(frozen=True)
class Coding:
    """One coder's evidence item for a unit."""

    coder: str
    evidence: str
    quote: str | None


@dataclass(frozen=True)
class Unit:
    """An agreement unit and each coder's value (1, 0, or None: did not code the source).

    Attributes:
        id: ``u-`` and ten hex digits, stable for (source, actors, type).
        source, source_title: the document.
        date: the document's first day, else the earliest of its items' (for stages).
        actors: the two actor ids, in id order.
        type: the tie type.
        values: coder -> 1, 0 or None, for every coder considered.
        codings: the evidence items behind the 1s.
    """

    id: str
    source: str
    source_title: str | None
    date: date | None
    actors: tuple[str, str]
    type: str
    values: dict[str, int | None]
    codings: tuple[Coding, ...]

    @property
    def disagreement(self) -> bool:
        """Whether two coders who both coded the source differ on the unit."""
        return len({v for v in self.values.values() if v is not None}) > 1


def unit_id(source: str, low: str, high: str, type_: str) -> str:
    """The stable id of a unit: a hash of its source, actors and type."""
    digest = hashlib.sha1("\x1f".join((source, low, high, type_)).encode()).hexdigest()
    return f"u-{digest[:10]}"


@dataclass(frozen=True)
class Units:
    """The units, the coders they involve, and what was left out."""

    units: tuple[Unit, ...]
    coders: tuple[str, ...]
    warnings: tuple[str, ...]


def agreement_units(
    db: Reader,
    *,
    coders: Sequence[str] | None = None,
    types: Sequence[str] | None = None,
    aliases: CoderAliases | None = None,
) -> Units:
    """Build the agreement units (see the module docstring).

    Args:
        db: the knowledge base.
        coders: keep these coders only (names or aliases, any case); None: every coder.
        types: keep ties of these types only.
        aliases: coder aliases.

    Raises:
        ValidationError: a coder or a tie type the case does not have (the message lists
            those it has), or fewer than two coders given.
    """
    from kb.analyses.vocabulary import check_types, require_case

    require_case(db)
    check_types(db, list(types) if types else None)
    aliases = aliases or CoderAliases()
    sources: dict[str, set[str]] = {}
    raw_names: set[str] = set()
    for row in db.read("evidence/agreement_sources"):
        raw_names.add(row["coder"])
        sources.setdefault(row["source"], set()).add(aliases.resolve(row["coder"]) or "")
    known = sorted({n for names in sources.values() for n in names})
    wanted = _wanted_coders(coders, known, aliases)
    warnings = [found.warning() for found in lookalikes(raw_names, aliases)]

    codings: dict[tuple[str, str, str, str], list[Coding]] = {}
    meta: dict[str, tuple[str | None, date | None]] = {}
    no_source = no_coder = 0
    for row in db.read("evidence/agreement_codings", types=list(types) if types else None):
        if row["source"] is None:
            no_source += 1
            continue
        coder = aliases.resolve(row["coder"])
        if coder is None:
            no_coder += 1
            continue
        if coder not in wanted:
            continue
        source_date = _day(row["source_date"])
        title, seen = meta.get(row["source"], (row["source_title"], None))
        day = source_date or min(
            (d for d in (seen, _day(row["evidence_date"])) if d is not None), default=None
        )
        meta[row["source"]] = (title, day)
        key = (row["source"], row["low"], row["high"], row["type"])
        codings.setdefault(key, []).append(Coding(coder, row["evidence"], row["quote"]))
    if no_source:
        warnings.append(
            f"{no_source} evidence item(s) supporting ties have no source document: they "
            "belong to no agreement unit."
        )
    if no_coder:
        warnings.append(f"{no_coder} evidence item(s) drawn from a source have no coder: left out.")
    units = []
    for (source, low, high, type_), items in sorted(codings.items()):
        coded = {c.coder for c in items}
        present = sources.get(source, set())
        values = {
            coder: (1 if coder in coded else 0) if coder in present else None for coder in wanted
        }
        title, day = meta[source]
        units.append(
            Unit(
                unit_id(source, low, high, type_),
                source,
                title,
                day,
                (low, high),
                type_,
                values,
                tuple(sorted(items, key=lambda c: (c.coder, c.evidence))),
            )
        )
    return Units(tuple(units), tuple(wanted), tuple(warnings))


def _wanted_coders(
    coders: Sequence[str] | None, known: list[str], aliases: CoderAliases
) -> list[str]:
    if not coders:
        return known
    by_fold = {name.casefold(): name for name in known}
    wanted: list[str] = []
    for name in coders:
        resolved = aliases.resolve(name) or ""
        found = by_fold.get(resolved.casefold())
        if found is None:
            raise unknown("no source was coded by", name, known, parameter="coders")
        if found not in wanted:
            wanted.append(found)
    if len(wanted) < 2:
        raise ParameterError("coders", list(coders), "give two coders or more to compare.")
    return wanted


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    to_native = getattr(value, "to_native", None)
    return to_native() if to_native else None


# --- agreement ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, kw_only=True)
class AgreementRow:
    """Agreement in one group of units: all coders (alpha) or one pair (kappa, percent).

    Attributes:
        group: ``all``, or the tie type, source or stage.
        coders: ``all coders``, or ``A / B``.
        units: units in the group with at least two values (all coders), or coded by both
            (a pair).
        percent: share of those units where the values agree (pairs; all coders: share of
            pairable units without disagreement).
        kappa: Cohen's kappa (pairs only).
        alpha, alpha_low, alpha_high: Krippendorff's alpha and its bootstrap interval (all
            coders only).
        undefined: why a statistic is not given, or None.
    """

    group: str
    coders: str
    units: int
    percent: float | None = None
    kappa: float | None = None
    alpha: float | None = None
    alpha_low: float | None = None
    alpha_high: float | None = None
    undefined: str | None = None


@dataclass(frozen=True, eq=False, kw_only=True)
class Agreement(Result):
    """``kb evidence agreement``: raw agreement, with the settled units counted apart.

    Attributes:
        coders: the coders compared (after aliases).
        by: the grouping (``type``, ``source``, ``stage``) or None (overall only).
        units: every unit; double_coded: units with two values or more (the ones that
            count); disagreements: those where coders differ.
        settled: settled units among them; kept / dropped: how.
        seed: the bootstrap's seed.
        rows: the agreement rows, overall first.
        warnings: look-alike coder names, items that belong to no unit.
    """

    RECORDS = Records(key="rows")

    coders: tuple[str, ...]
    by: str | None
    units: int
    double_coded: int
    disagreements: int
    settled: int
    kept: int
    dropped: int
    seed: int | None
    rows: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...] = field(default=())


def agreement(
    db: Reader,
    *,
    coders: Sequence[str] | None = None,
    types: Sequence[str] | None = None,
    by: By | None = None,
    seed: int | None = None,
    aliases: CoderAliases | None = None,
) -> Agreement:
    """Inter-coder agreement on ties: Krippendorff's alpha (nominal, missing values) with a
    bootstrap interval, and per pair of coders Cohen's kappa and percent agreement, overall
    and (``by``) per tie type, source document or stage.

    Args:
        db: the knowledge base.
        coders: the coders to compare (at least two); None: every coder.
        types: tie types to keep.
        by: also per ``type``, ``source`` or ``stage`` (the stage holding the source's date).
        seed: seed of the bootstrap (the same seed gives the same interval).
        aliases: coder aliases.

    Raises:
        ValidationError: unknown coder, tie type or ``by``.
    """
    if by is not None and by not in BY_CHOICES:
        raise ParameterError("by", by, f"choose one of {', '.join(BY_CHOICES)}.")
    found = agreement_units(db, coders=coders, types=types, aliases=aliases)
    groups: list[tuple[str, list[Unit]]] = [("all", list(found.units))]
    if by is not None:
        # A group where no unit was coded by two coders has nothing to report: left out.
        groups += [
            (name, units)
            for name, units in _groups(db, found.units, by)
            if any(sum(v is not None for v in u.values.values()) >= 2 for u in units)
        ]
    rows: list[dict[str, Any]] = []
    for name, units in groups:
        rows += [_plain(r) for r in _group_rows(name, units, found.coders, seed)]
    settled = {s["unit"]: s for s in db.read("evidence/settlements")}
    ids = {u.id for u in found.units}
    decisions = [s["decision"] for unit, s in settled.items() if unit in ids]
    return Agreement(
        coders=found.coders,
        by=by,
        units=len(found.units),
        double_coded=sum(
            1 for u in found.units if sum(v is not None for v in u.values.values()) >= 2
        ),
        disagreements=sum(1 for u in found.units if u.disagreement),
        settled=len(decisions),
        kept=decisions.count("keep"),
        dropped=decisions.count("drop"),
        seed=seed,
        rows=tuple(rows),
        warnings=found.warnings,
    )


def _plain(row: AgreementRow) -> dict[str, Any]:
    return {k: getattr(row, k) for k in AgreementRow.__dataclass_fields__}


def _groups(db: Reader, units: Iterable[Unit], by: str) -> list[tuple[str, list[Unit]]]:
    grouped: dict[str, list[Unit]] = {}
    if by == "stage":
        from kb.analyses.stages import stages

        known = stages(db)
        if not known:
            raise ParameterError.sentence("The case has no stages; {by} stage needs stages.csv.")
        for unit in units:
            stage = next((s.id for s in known if s.period.contains(unit.date)), NO_STAGE)
            grouped.setdefault(stage, []).append(unit)
        order = [s.id for s in known] + [NO_STAGE]
        return [(name, grouped[name]) for name in order if name in grouped]
    for unit in units:
        grouped.setdefault(unit.type if by == "type" else unit.source, []).append(unit)
    return sorted(grouped.items())


def _group_rows(
    name: str, units: list[Unit], coders: Sequence[str], seed: int | None
) -> list[AgreementRow]:
    data = [tuple(u.values[c] for c in coders) for u in units]
    pairable = [row for row in data if sum(v is not None for v in row) >= 2]
    reason = undefined_alpha(data)
    interval = alpha_interval(data, seed=seed) if reason is None else None
    agreed = sum(1 for row in pairable if len({v for v in row if v is not None}) == 1)
    rows = [
        AgreementRow(
            group=name,
            coders="all coders",
            units=len(pairable),
            percent=agreed / len(pairable) if pairable else None,
            alpha=krippendorff_alpha(data),
            alpha_low=interval[0] if interval else None,
            alpha_high=interval[1] if interval else None,
            undefined=reason,
        )
    ]
    for i, j in itertools.combinations(range(len(coders)), 2):
        pair = pair_agreement([row[i] for row in data], [row[j] for row in data])
        rows.append(
            AgreementRow(
                group=name,
                coders=f"{coders[i]} / {coders[j]}",
                units=pair.units,
                percent=pair.percent,
                kappa=pair.kappa,
                undefined=pair.undefined,
            )
        )
    return rows


# --- disagreements and settling -----------------------------------------------------------


class Disagreements(Rows):
    """``kb evidence disagreements``: one record per unit where coders differ, with each
    coder's value and quotes, and the settlement if any (one CSV row per quote)."""

    RECORDS = Records(explode="quotes", prefix="quote")


def disagreements(
    db: Reader,
    *,
    coders: Sequence[str] | None = None,
    types: Sequence[str] | None = None,
    aliases: CoderAliases | None = None,
    settled: bool | None = None,
) -> Disagreements:
    """The units where coders who coded the source differ, with each coder's quotes.

    Args:
        settled: True: only settled units; False: only unsettled ones; None: all.
    """
    found = agreement_units(db, coders=coders, types=types, aliases=aliases)
    decisions = {s["unit"]: s for s in db.read("evidence/settlements")}
    rows = []
    for unit in found.units:
        if not unit.disagreement:
            continue
        decision = decisions.get(unit.id)
        if settled is not None and (decision is not None) != settled:
            continue
        rows.append(
            {
                "unit": unit.id,
                "source": unit.source,
                "source_title": unit.source_title,
                "actors": list(unit.actors),
                "type": unit.type,
                "coded_by": [c for c, v in unit.values.items() if v == 1],
                "not_coded_by": [c for c, v in unit.values.items() if v == 0],
                "settled": decision["decision"] if decision else None,
                "why": decision["why"] if decision else None,
                "quotes": [
                    {"id": c.evidence, "coder": c.coder, "text": c.quote} for c in unit.codings
                ],
            }
        )
    return Disagreements(tuple(rows))


def settle(
    db: Store,
    unit: str,
    *,
    keep: bool,
    why: str,
    aliases: CoderAliases | None = None,
) -> dict[str, Any]:
    """Record how the team settled a unit: keep the tie in that source, or drop it.

    The decision is stored apart from the codings (a ``Settlement`` node): the raw
    agreement does not change; ``kb evidence agreement`` counts settled units apart.

    Raises:
        ValidationError: ``why`` is empty, or no unit has the id ``unit`` (the message
            lists the units where coders differ).
    """
    if not why or not why.strip():
        raise ParameterError("why", why, "say why the unit is kept or dropped.")
    found = agreement_units(db, aliases=aliases)
    match = next((u for u in found.units if u.id == unit), None)
    if match is None:
        differing = [u.id for u in found.units if u.disagreement]
        raise unknown("no agreement unit has the id", unit, differing, parameter="unit")
    return db.write_one(
        "evidence/settle",
        unit=match.id,
        source=match.source,
        low=match.actors[0],
        high=match.actors[1],
        type=match.type,
        decision="keep" if keep else "drop",
        why=why.strip(),
    )
