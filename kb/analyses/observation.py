"""The case's period of observation, and the record that sets each of its bounds.

One rule for every command that needs the case's time range (the ``--at`` / ``--between``
range check, survival's follow-up end): the case's declared ``observed_from`` /
``observed_until`` (case.csv), else the first dated day of a tie and the latest date
recorded anywhere in the case (an interview dated after the last tie still belongs to the
fieldwork; a membership since 1998 is history told, not observed). An open spell (a tie
with no end) is ongoing until the end of observation, so a date after every recorded start
is still observed. Since one late record (an interview added later) moves the end, every
message that uses a bound names the record that sets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kb.errors import ValidationError
from kb.store import Reader


@dataclass(frozen=True)
class Observation:
    """The period the case is observed over; each bound with what sets it.

    Attributes:
        first, last: the first and last observed days.
        first_set_by, last_set_by: what sets each bound, in words (``observed_until of case
            quebec-wg``, ``date of Evidence ev-0507``).
        last_source: ``case`` (declared in case.csv) or ``data`` (the latest date there).
        case: the case's id, or None without a case record.
    """

    first: date
    last: date
    first_set_by: str
    last_set_by: str
    last_source: str
    case: str | None

    def describe(self) -> str:
        """``from 1998-01-01 (start of MEMBER_OF m-…) to 2018-12-31 (date of Document …)``."""
        return f"from {self.first} ({self.first_set_by}) to {self.last} ({self.last_set_by})"


def observation(db: Reader) -> Observation | None:
    """The case's period of observation (see the module's rule); None when the case
    holds no date at all.

    Raises:
        ValidationError: the database holds more than one case.
    """
    row = db.read_one("case/observation")
    cases = row["cases"]
    if len(cases) > 1:
        names = ", ".join(sorted(str(c["id"]) for c in cases))
        raise ValidationError(f"The database holds {len(cases)} cases ({names}); kb keeps one.")
    case = cases[0] if cases else None
    earliest, latest = row["earliest"], row["latest"]
    if earliest is None or latest is None:
        return None
    first, first_by = earliest["day"], _record(earliest)
    last, last_by, source = latest["day"], _record(latest), "data"
    if case is not None and case["observed_from_first"] is not None:
        first, first_by = case["observed_from_first"], f"observed_from of case {case['id']}"
    if case is not None and case["observed_until_last"] is not None:
        last, last_by = case["observed_until_last"], f"observed_until of case {case['id']}"
        source = "case"
    assert first is not None and last is not None  # dates, by the query's contract
    return Observation(first, last, first_by, last_by, source, case["id"] if case else None)


def _record(found: dict[str, Any]) -> str:
    return f"{found['property']} of {found['kind']} {found['id']}"
