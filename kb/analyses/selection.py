"""The tie selection: which ties a command reads (`Selection`), and the evidence behind a tie.

`Selection` is one value for the tie types, the period and the evidence rule
(``--min-evidence N``, ``--triangulated``, ``--coder NAME``) of every analysis, export and
picture; the CLI
builds it once (`kb.cli.selection`). Its Cypher is one fragment,
kb/cypher/_fragments/selected.cypher, which every query selecting ties splices in;
tests/integration/test_evidence_selection.py and test_time_selection.py check that the
queries agree with `Selection.keeps`.

A tie lists evidence ids (docs/model.md); its **evidence** is the items among them that an
Evidence node has (an id without one does not count). A tie is **triangulated** when
evidence of two or more of the kinds interview, observation and document supports it;
"other" evidence counts as evidence, not as a kind. `Coverage` measures one tie (``kb
evidence coverage`` reports it) and `Selection.selects` is kb's one rule of which ties an
evidence selection keeps.

**Coders.** With ``coders`` (``--coder NAME``, repeatable) a tie's evidence is only the
items those coders coded (names compared in any case): the tie is kept when at least one
of them supports it, ``min_evidence`` counts only their items and ``triangulated`` asks
that their items alone span two kinds. ``--coder A --coder B`` is the union of A's and B's
items; robustness by coder (`kb.analyses.robustness_coders`) selects one coder at a time.

Lives apart from `kb.analyses.evidence` because `kb.analyses.network.fetch` needs it and
`evidence` imports `network`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from kb.errors import ParameterError
from kb.model import TIE_TYPE_PATTERN
from kb.periods import Period, parse_at, time_params
from kb.periods import between as between_dates
from kb.store import Reader

if TYPE_CHECKING:
    from kb.coders import CoderAliases

# The kinds whose agreement triangulates a tie (the Cypher predicate spells them out too).
TRIANGULATING_KINDS: tuple[str, ...] = ("interview", "observation", "document")
TRIANGULATED_AT = 2  # distinct triangulating kinds a triangulated tie has
_CODE_SEPARATORS = re.compile(r"[\s\-]+")


def parse_types(types: str | Sequence[str] | None) -> list[str] | None:
    """Tie types to keep, normalised like the import's ``type`` column; None keeps all.

    ``"collaboration, conflict"`` and ``["Collaboration", "CONFLICT"]`` both give
    ``["COLLABORATION", "CONFLICT"]``.

    Args:
        types: comma-separated text (the CLI's ``--types``) or a sequence of names.

    Returns:
        The distinct types in the order given, or None for every type.

    Raises:
        ValidationError: an item is not a valid tie type, or nothing is left.
    """
    if types is None:
        return None
    items = types.split(",") if isinstance(types, str) else list(types)
    cleaned: list[str] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        code = _CODE_SEPARATORS.sub("_", text).upper()
        if not TIE_TYPE_PATTERN.fullmatch(code):
            raise ParameterError.sentence(
                "{types} {_text!r} is not a tie type; give names such as "
                "COLLABORATION,INFORMATION (letters, digits and _).",
                _text=text,
            )
        if code not in cleaned:
            cleaned.append(code)
    if not cleaned:
        raise ParameterError.sentence("{types} is empty; give tie types separated by commas.")
    return cleaned


def parse_coders(coders: str | Sequence[str]) -> tuple[str, ...]:
    """Coder names as given (trimmed, duplicates in any case dropped, order kept).

    Raises:
        ValidationError: a name is empty, or none is given.
    """
    items = [coders] if isinstance(coders, str) else list(coders)
    cleaned: list[str] = []
    for item in items:
        name = str(item).strip()
        if not name:
            raise ParameterError("coders", item, "give a coder's name (kb evidence coders).")
        if name.lower() not in {c.lower() for c in cleaned}:
            cleaned.append(name)
    if not cleaned:
        raise ParameterError("coders", "", "give a coder's name (kb evidence coders).")
    return tuple(cleaned)


@dataclass(frozen=True)
class Coverage:
    """How well one tie is evidenced.

    Attributes:
        evidence: evidence items behind it (ids that resolve to an Evidence node).
        kinds: their distinct kinds.
        sources: distinct source documents of those items.
        coders: distinct coders.
    """

    evidence: int
    kinds: frozenset[str]
    sources: int = 0
    coders: int = 0

    @property
    def triangulating_kinds(self) -> int:
        """How many of interview, observation and document support the tie."""
        return len(self.kinds & set(TRIANGULATING_KINDS))

    @property
    def triangulated(self) -> bool:
        """Two or more of interview, observation and document support the tie."""
        return self.triangulating_kinds >= TRIANGULATED_AT


@dataclass(frozen=True)
class Selection:
    """Which ties a command reads: kb's one tie selection, built once (by the CLI's option
    bundle, `kb.cli.selection`, or by a notebook) and passed as one argument to every
    analysis, export and picture. The default keeps every tie.

    Its Cypher twin is kb/cypher/_fragments/selected.cypher (``@selected(t)`` in a query),
    whose parameters are exactly `params`; `keeps` is the same rule in Python, and a test
    checks that they agree. A new way of selecting ties is a field here, an option in
    `kb.cli.selection` and a line of that fragment.

    Attributes:
        types: tie types to keep, normalised (`parse_types`); None keeps every type. Text
            (``"collaboration, conflict"``) or any sequence is accepted and normalised.
        period: keep the ties whose spell overlaps it (`Period.overlaps`); None keeps
            every tie whatever its spell (the aggregated network). A partial date (text)
            is accepted and parsed as ``--at`` is.
        min_evidence: keep ties with at least this many evidence items (0: every tie).
        triangulated: keep only triangulated ties.
        coders: keep the ties evidenced by these coders' items (any case), counting only
            their items for ``min_evidence`` and ``triangulated``; None: every coder.
        period_parameter: the parameter the period came from, named in errors (``at``,
            ``between``).

    Raises:
        ValidationError: a tie type, date or evidence count is malformed.
    """

    types: tuple[str, ...] | None = None
    period: Period | None = None
    min_evidence: int = 0
    triangulated: bool = False
    coders: tuple[str, ...] | None = None
    period_parameter: str = field(default="at", compare=False)
    # The case as it was known at a data version (``@SEQ``) or UTC date-time (kb.journal);
    # None: as it stands. Not a query parameter: the reads run in a past state instead.
    known_at: str | None = None

    def __post_init__(self) -> None:
        if self.types is not None:
            object.__setattr__(self, "types", tuple(parse_types(self.types) or ()))
        if self.period is not None and not isinstance(self.period, Period):
            period = parse_at(self.period, parameter=self.period_parameter)
            object.__setattr__(self, "period", period)
        if isinstance(self.min_evidence, bool) or not isinstance(self.min_evidence, int):
            raise ParameterError("min_evidence", self.min_evidence, "give a whole number.")
        if self.min_evidence < 0:
            raise ParameterError(
                "min_evidence", self.min_evidence, "give 0 (every tie) or more evidence items."
            )
        if not isinstance(self.triangulated, bool):
            raise ParameterError("triangulated", self.triangulated, "give true or false.")
        if self.coders is not None:
            object.__setattr__(self, "coders", parse_coders(self.coders))

    @classmethod
    def build(
        cls,
        *,
        types: str | Sequence[str] | None = None,
        at: str | Period | None = None,
        between: tuple[str, str] | None = None,
        min_evidence: int = 0,
        triangulated: bool = False,
        coders: Sequence[str] | None = None,
        known_at: str | None = None,
    ) -> Selection:
        """The selection of the command-line options (``--between`` gives a period from
        the start of one partial date to the end of another).

        Raises:
            ValidationError: a value is malformed, or both ``at`` and ``between`` are given.
        """
        if at and between:
            raise ParameterError.sentence("Give {at} or {between}, not both.")
        period = between_dates(*between) if between else parse_at(at)
        return cls(
            types=parse_types(types),  # type: ignore[arg-type]  # normalised to a tuple
            period=period,
            min_evidence=min_evidence,
            triangulated=triangulated,
            coders=tuple(coders) if coders else None,
            period_parameter="between" if between else "at",
            known_at=known_at,
        )

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Selection:
        """The selection whose `params` these are (query parameters, as a fake reader
        receives them); a missing parameter takes its default."""
        first, last = params.get("at_first"), params.get("at_last")
        period = None if first is None and last is None else Period("period", first, last)
        return cls(
            types=params.get("types"),
            period=period,
            min_evidence=int(params.get("min_evidence") or 0),
            triangulated=bool(params.get("triangulated")),
            coders=params.get("coders"),
        )

    @property
    def type_list(self) -> list[str] | None:
        """The tie types as a list (results and queries take lists), None for every type."""
        return list(self.types) if self.types is not None else None

    @property
    def at(self) -> str | None:
        """The period's label (``2016``, ``2015..2018``), None without a period."""
        return self.period.label if self.period else None

    @property
    def active(self) -> bool:
        """Whether the selection leaves any tie out by its evidence."""
        return self.min_evidence > 0 or self.triangulated or self.coders is not None

    def during(self, period: Period | None) -> Selection:
        """The same selection over ``period`` (None: whatever the spell)."""
        return replace(self, period=period, period_parameter="at")

    def selects(self, coverage: Coverage) -> bool:
        """kb's one rule of evidence: at least ``min_evidence`` items (one at least with
        ``coders``), and triangulated if asked. With ``coders``, ``coverage`` measures only
        their items (`codes`)."""
        least = max(self.min_evidence, 1) if self.coders is not None else self.min_evidence
        return coverage.evidence >= least and (not self.triangulated or coverage.triangulated)

    def codes(self, coder: str | None) -> bool:
        """Whether an evidence item of ``coder`` counts for this selection (every item
        without ``coders``; names compared in any case)."""
        if self.coders is None:
            return True
        return coder is not None and coder.lower() in {c.lower() for c in self.coders}

    def keeps(self, tie: Mapping[str, Any], coverage: Coverage) -> bool:
        """kb's one rule of tie selection, as kb/cypher/_fragments/selected.cypher applies
        it to a tie's stored properties ``tie`` (``type``, ``start_first``, ``end_last``...)
        and its evidence (``coverage`` of the items `codes` counts): the type, the spell
        overlapping the period, the evidence."""
        spell = (tie.get("start_first"), tie.get("end_last"))
        return (
            (self.types is None or tie.get("type") in self.types)
            and (self.period is None or self.period.overlaps(*spell))
            and (not self.active or self.selects(coverage))
        )

    def params(self) -> dict[str, Any]:
        """The query parameters of kb/cypher/_fragments/selected.cypher (``$types``,
        ``$at_first``, ``$at_last``, ``$min_evidence``, ``$triangulated``, ``$coders``)."""
        return {
            "types": self.type_list,
            **time_params(self.period),
            **self.evidence_params(),
        }

    def evidence_params(self) -> dict[str, Any]:
        """``$min_evidence`` / ``$triangulated`` / ``$coders``; results record the evidence
        selection under the same keys (the one place that says what a result selected)."""
        return {
            "min_evidence": self.min_evidence,
            "triangulated": self.triangulated,
            "coders": list(self.coders) if self.coders is not None else None,
        }

    def describe(self) -> str:
        """The evidence selection in words: ``all ties``, ``triangulated ties with at
        least 2 evidence items``..."""
        if not self.active:
            return "all ties"
        words = "triangulated ties" if self.triangulated else "ties"
        if self.min_evidence:
            plural = "s" if self.min_evidence != 1 else ""
            words += f" with at least {self.min_evidence} evidence item{plural}"
        if self.coders is not None:
            words += " coded by " + " or ".join(self.coders)
        return words

    def words(self) -> str:
        """`` (triangulated ties)``... for a title when the evidence selection leaves ties
        out; empty otherwise."""
        return f" ({self.describe()})" if self.active else ""

    def mentions(self) -> str:
        """The parameters that make this selection, as a `kb.errors.Wording` template
        (empty for every tie): ``{min_evidence:_min_evidence} {triangulated}``."""
        parts = ["{min_evidence:_min_evidence}"] if self.min_evidence else []
        parts += ["{triangulated}"] if self.triangulated else []
        return " ".join(parts + (["{coders:_coders}"] if self.coders is not None else []))


ALL_TIES = Selection()
TRIANGULATED = Selection(triangulated=True)


def check_selection(db: Reader, selection: Selection) -> None:
    """Raise ValidationError when the selection keeps no tie (of its types) at all,
    whatever their spell.

    An analysis on no ties would print zeros that look like a result; the message says
    what the case has instead. Nothing is read for the default selection. Analyses call it
    when a selection gave them no tie (the check reads every tie's evidence, so it runs
    only then): the period, not the evidence, may be what left nothing.
    """
    if not selection.active:
        return
    check_coders(db, selection)
    types = selection.type_list
    found = db.read_one("evidence/selected_ties", **selection.during(None).params())
    if found["selected"]:
        return
    of_types = f" of type {', '.join(types)}" if types else ""
    if not found["ties"]:
        return  # no tie to select from: the analyses say so themselves
    if selection.coders is not None:
        raise ParameterError.sentence(
            selection.mentions() + ": no tie{_of_types} has evidence of that kind coded by "
            "{_coders}; see kb evidence coverage and kb evidence list --coder NAME.",
            _of_types=of_types,
            _coders=" or ".join(selection.coders),
            _min_evidence=selection.min_evidence,
        )
    if selection.triangulated and not found["triangulated"]:
        raise ParameterError.sentence(
            "{triangulated}: no tie{_of_types} is triangulated (supported by evidence of two "
            "of {_kinds}); see kb evidence coverage.",
            _of_types=of_types,
            _kinds=", ".join(TRIANGULATING_KINDS),
        )
    if selection.triangulated:
        raise ParameterError.sentence(
            selection.mentions() + ": no triangulated tie{_of_types} has {_min_evidence} "
            "evidence items; the most any has is {_most}.",
            _of_types=of_types,
            _min_evidence=selection.min_evidence,
            _most=found["most_triangulated"],
        )
    raise ParameterError(
        "min_evidence",
        selection.min_evidence,
        f"no tie{of_types} has {selection.min_evidence} evidence items; the most any has is "
        f"{found['most']}.",
    )


def check_coders(db: Reader, selection: Selection) -> None:
    """Raise ValidationError when a coder of the selection coded no evidence item; the
    message lists the coders the case has."""
    resolve_coders(db, selection)


def resolve_coders(
    db: Reader, selection: Selection, aliases: CoderAliases | None = None
) -> Selection:
    """``selection`` with its coders as the case stores them: each name given is resolved
    through ``aliases`` (`kb.coders`, ``JL`` -> ``Julie Lavallée``), then matched to a coder
    of the case without case or accents (`kb.text.fold`).

    Raises:
        ValidationError: a name matches no coder of the case; the message lists them and
            says when one looks like the name given (initials, abbreviation).
    """
    if selection.coders is None:
        return selection
    from kb.coders import CoderAliases, look_alike
    from kb.errors import unknown
    from kb.text import fold

    aliases = aliases or CoderAliases()
    known = [str(row["coder"]) for row in db.read("vocabulary/coders")]
    by_fold = {fold(name): name for name in known}
    resolved = []
    for given in selection.coders:
        name = aliases.resolve(given) or given
        if fold(name) not in by_fold:
            alike = [f"{k!r}: {why}" for k in known if (why := look_alike(given, k))]
            hint = f"Perhaps {'; '.join(alike)}." if alike else ""
            raise unknown(
                "no evidence item was coded by", given, known, hint=hint, parameter="coders"
            )
        resolved.append(by_fold[fold(name)])
    return replace(selection, coders=tuple(resolved))
