"""The case's stages (e.g. problem definition, mobilization): named periods of the case."""

from __future__ import annotations

from dataclasses import dataclass

from kb.analyses.network import case_periods
from kb.errors import ParameterError, unknown
from kb.periods import Period
from kb.store import Reader


@dataclass(frozen=True)
class Stage:
    """A stage: its period (labelled by the stage id), name and description."""

    period: Period
    name: str
    description: str | None = None

    @property
    def id(self) -> str:
        """The stage id."""
        return self.period.label


def stages(db: Reader) -> list[Stage]:
    """The case's stages in time order; empty when the case has none."""
    rows = {str(s["id"]): s for s in db.read("network/stages")}
    if not rows:
        return []
    return [
        Stage(p, str(rows[p.label].get("name") or p.label), rows[p.label].get("description"))
        for p in case_periods(db, "stage")
    ]


def stage(db: Reader, stage_id: str) -> Stage:
    """The stage with id ``stage_id``.

    Raises:
        ValidationError: the case has no stages, or none has that id (the message lists
            those that exist).
    """
    known = stages(db)
    if not known:
        raise ParameterError.sentence("The case has no stages; add stages.csv or use {at}.")
    for found in known:
        if found.id == stage_id:
            return found
    raise unknown("the case has no stage", stage_id, (s.id for s in known), parameter="stage")
