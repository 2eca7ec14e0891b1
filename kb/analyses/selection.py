"""Selecting ties by the evidence behind them: ``--min-evidence N`` and ``--triangulated``.

A tie lists evidence ids (docs/model.md); its **evidence** is the items among them that an
Evidence node has (an id without one does not count). A tie is **triangulated** when
evidence of two or more of the kinds interview, observation and document supports it;
"other" evidence counts as evidence, not as a kind. `Coverage` measures one tie (``kb
evidence coverage`` reports it) and `EvidenceSelection.selects` is kb's one rule of which
ties an evidence selection keeps. Every query taking ``$min_evidence`` / ``$triangulated``
applies the same rule in Cypher (the same predicate, written once per query), and
tests/integration/test_evidence_selection.py checks that each agrees with this one.

Lives apart from `kb.analyses.evidence` because `kb.analyses.network.fetch` needs it and
`evidence` imports `network`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kb.errors import ParameterError
from kb.store import Reader

# The kinds whose agreement triangulates a tie (the Cypher predicate spells them out too).
TRIANGULATING_KINDS: tuple[str, ...] = ("interview", "observation", "document")
TRIANGULATED_AT = 2  # distinct triangulating kinds a triangulated tie has


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
class EvidenceSelection:
    """Which ties an analysis keeps by their evidence; the default keeps every tie.

    Attributes:
        min_evidence: keep ties with at least this many evidence items (0: every tie).
        triangulated: keep only triangulated ties.

    Raises:
        ValidationError: ``min_evidence`` is negative or not a whole number.
    """

    min_evidence: int = 0
    triangulated: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.min_evidence, bool) or not isinstance(self.min_evidence, int):
            raise ParameterError("min_evidence", self.min_evidence, "give a whole number.")
        if self.min_evidence < 0:
            raise ParameterError(
                "min_evidence", self.min_evidence, "give 0 (every tie) or more evidence items."
            )
        if not isinstance(self.triangulated, bool):
            raise ParameterError("triangulated", self.triangulated, "give true or false.")

    @property
    def active(self) -> bool:
        """Whether the selection leaves any tie out (by its evidence)."""
        return self.min_evidence > 0 or self.triangulated

    def selects(self, coverage: Coverage) -> bool:
        """kb's one rule: at least ``min_evidence`` items, and triangulated if asked."""
        return coverage.evidence >= self.min_evidence and (
            not self.triangulated or coverage.triangulated
        )

    def params(self) -> dict[str, Any]:
        """Query parameters ``$min_evidence`` / ``$triangulated``; results record the
        selection under the same keys."""
        return {"min_evidence": self.min_evidence, "triangulated": self.triangulated}

    def describe(self) -> str:
        """The selection in words: ``all ties``, ``triangulated ties with at least 2
        evidence items``..."""
        if not self.active:
            return "all ties"
        words = "triangulated ties" if self.triangulated else "ties"
        if self.min_evidence:
            plural = "s" if self.min_evidence != 1 else ""
            words += f" with at least {self.min_evidence} evidence item{plural}"
        return words

    def mentions(self) -> str:
        """The parameters that make this selection, as a `kb.errors.Wording` template
        (empty for every tie): ``{min_evidence:_min_evidence} {triangulated}``."""
        parts = ["{min_evidence:_min_evidence}"] if self.min_evidence else []
        return " ".join(parts + (["{triangulated}"] if self.triangulated else []))


ALL_TIES = EvidenceSelection()
TRIANGULATED = EvidenceSelection(triangulated=True)


def check_selection(
    db: Reader, selection: EvidenceSelection, types: list[str] | None = None
) -> None:
    """Raise ValidationError when the selection keeps no tie (of ``types``) at all.

    An analysis on no ties would print zeros that look like a result; the message says
    what the case has instead. Nothing is read for the default selection. Analyses call it
    when a selection gave them no tie (the check reads every tie's evidence, so it runs
    only then): the period, not the evidence, may be what left nothing.
    """
    if not selection.active:
        return
    found = db.read_one("evidence/selected_ties", types=types, **selection.params())
    if found["selected"]:
        return
    of_types = f" of type {', '.join(types)}" if types else ""
    if not found["ties"]:
        return  # no tie to select from: the analyses say so themselves
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
