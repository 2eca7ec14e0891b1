"""Time selection shared by every command: ``--at DATE`` and ``--by stage|year|quarter``.

``--at`` takes a partial date and means its whole period: ``--at 2016-06-01`` is that day,
``--at 2016`` is any time in 2016. A tie is in the network at a period when its spell
overlaps it (docs/model.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kb.dates import PartialDate
from kb.errors import ValidationError


@dataclass(frozen=True)
class Period:
    """A named, closed interval of days; None bounds are open (before/after observation)."""

    label: str
    first: date | None
    last: date | None

    def params(self) -> dict[str, Any]:
        """Query parameters ``$at_first`` / ``$at_last``."""
        return {"at_first": self.first, "at_last": self.last}

    def contains(self, day: date | None) -> bool:
        if day is None:
            return False
        return (self.first is None or self.first <= day) and (self.last is None or day <= self.last)


def parse_at(value: str | Period | None, *, option: str = "--at") -> Period | None:
    """The period of an ``--at`` value (a Period, e.g. a stage, passes through); None when
    not given.

    Raises:
        ValidationError: the value is not a partial date.
    """
    if isinstance(value, Period):
        return value
    if value is None or not value.strip():
        return None
    try:
        when = PartialDate.parse(value)
    except ValueError as error:
        raise ValidationError(f"{option} {value!r}: {error}.") from None
    return Period(when.text, when.first, when.last)


def whole_time() -> dict[str, Any]:
    """Parameters selecting every tie whatever its spell (the aggregated network)."""
    return {"at_first": None, "at_last": None}


BY_CHOICES = ("stage", "year", "quarter")


def _quarter_periods(first: date, last: date) -> list[Period]:
    periods = []
    year, quarter = first.year, (first.month - 1) // 3
    while (year, quarter) <= (last.year, (last.month - 1) // 3):
        start = date(year, 3 * quarter + 1, 1)
        end_month = 3 * quarter + 3
        end = date(year, 12, 31) if end_month == 12 else date(year, end_month + 1, 1) - ONE_DAY
        periods.append(Period(f"{year}-Q{quarter + 1}", start, end))
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
    return periods


def split(
    by: str, *, stages: list[dict[str, Any]], first: date | None, last: date | None
) -> list[Period]:
    """The periods of ``--by stage|year|quarter``.

    Args:
        by: stage, year or quarter.
        stages: the case's stages (id, first, last), for ``stage``.
        first: earliest observed date, for ``year`` / ``quarter``.
        last: latest observed date.

    Raises:
        ValidationError: unknown ``by``, or nothing to split (no stages, no dated ties).
    """
    if by == "stage":
        if not stages:
            raise ValidationError("The case has no stages; add stages.csv or use --by year.")
        return [Period(str(s["id"]), s["first"], s["last"]) for s in stages]
    if by not in BY_CHOICES:
        raise ValidationError(f"--by {by!r}: use one of {', '.join(BY_CHOICES)}.")
    if first is None or last is None:
        raise ValidationError("No tie has a date, so there are no years or quarters to compare.")
    if by == "year":
        return [
            Period(str(y), date(y, 1, 1), date(y, 12, 31)) for y in range(first.year, last.year + 1)
        ]
    return _quarter_periods(first, last)


ONE_DAY = timedelta(days=1)
