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

from kb.errors import ValidationError
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
            raise ValidationError(f"--min-evidence {self.min_evidence!r}: give a whole number.")
        if self.min_evidence < 0:
            raise ValidationError(
                f"--min-evidence {self.min_evidence}: give 0 (every tie) or more evidence items."
            )
        if not isinstance(self.triangulated, bool):
            raise ValidationError(f"--triangulated {self.triangulated!r}: give true or false.")

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

    def options(self) -> str:
        """The command-line options that make this selection (empty for every tie)."""
        parts = [f"--min-evidence {self.min_evidence}"] if self.min_evidence else []
        return " ".join(parts + (["--triangulated"] if self.triangulated else []))


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
        raise ValidationError(
            f"--triangulated: no tie{of_types} is triangulated (supported by evidence of two "
            f"of {', '.join(TRIANGULATING_KINDS)}); see kb evidence coverage."
        )
    if selection.triangulated:
        raise ValidationError(
            f"{selection.options()}: no triangulated tie{of_types} has "
            f"{selection.min_evidence} evidence items; the most any has is "
            f"{found['most_triangulated']}."
        )
    raise ValidationError(
        f"--min-evidence {selection.min_evidence}: no tie{of_types} has "
        f"{selection.min_evidence} evidence items; the most any has is {found['most']}."
    )
