"""Time selection shared by every command: ``--at DATE`` and ``--by stage|year|quarter``.

``--at`` takes a partial date and means its whole period: ``--at 2016-06-01`` is that day,
``--at 2016`` is any time in 2016. A tie is in the network at a period when its spell
overlaps it (docs/model.md).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kb.dates import MAX_YEAR, MIN_YEAR, PartialDate
from kb.errors import ParameterError, ValidationError


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
        """Whether ``day`` falls in the period (an open side contains every day)."""
        if day is None:
            return False
        return (self.first is None or self.first <= day) and (self.last is None or day <= self.last)

    def overlaps(self, start: date | None, end: date | None) -> bool:
        """Whether a spell ``[start, end]`` shares a day with the period.

        This is kb's one rule of time selection (docs/model.md), which every query taking
        ``$at_first`` / ``$at_last`` applies in Cypher too (a test checks they agree): the
        spell's first day is on or before the period's last, and its last day on or after
        the period's first; a missing bound (of the spell or the period) is open.
        """
        starts_in_time = start is None or self.last is None or start <= self.last
        ends_in_time = end is None or self.first is None or end >= self.first
        return starts_in_time and ends_in_time


def parse_at(value: str | Period | None, *, parameter: str = "at") -> Period | None:
    """The period of an ``at`` value (a Period, e.g. a stage, passes through); None when
    not given. ``parameter`` is the parameter it was given for, named in the error.

    Raises:
        ParameterError: the value is not a partial date (an empty or blank value too: it
            is a mistake, not "no filter").
    """
    if isinstance(value, Period):
        return value
    if value is None:
        return None
    try:
        when = PartialDate.parse(value)
    except ValueError as error:
        raise ParameterError(parameter, value, f"{error}.") from None
    return Period(when.text, when.first, when.last)


def time_params(period: Period | None) -> dict[str, Any]:
    """The ``$at_first`` / ``$at_last`` parameters of a period; without one (None), every
    spell is selected (the aggregated network)."""
    return period.params() if period else {"at_first": None, "at_last": None}


def in_time(start: date | None, end: date | None, period: Period | None) -> bool:
    """Whether a spell is selected by ``period`` (always, without one): `Period.overlaps`."""
    return period is None or period.overlaps(start, end)


def between(first_text: str, last_text: str, *, parameter: str = "between") -> Period:
    """The period from the start of one partial date to the end of another.

    Raises:
        ParameterError: a value is not a partial date, or the end is before the start.
    """
    first, last = (parse_at(v, parameter=parameter) for v in (first_text, last_text))
    assert first is not None and last is not None
    if last.last is not None and first.first is not None and last.last < first.first:
        raise ParameterError.sentence(
            "{" + parameter + "} {_first} {_last}: the end is before the start.",
            _first=first_text,
            _last=last_text,
        )
    return Period(f"{first.label}..{last.label}", first.first, last.last)


# ASCII digits only: `\d` would take ２ or ٢, which int() reads silently.
_WINDOW = re.compile(r" *([0-9]+) *([dwmy]) *", re.IGNORECASE)
# The longest window: kb's dates lie in 1900-2100 (kb.dates), so a window of more than 200
# years reaches outside any case; longer ones would also overflow Python's dates.
MAX_WINDOW_YEARS = 200
_DAYS_PER_UNIT = {"d": 1.0, "w": 7.0, "m": 365.25 / 12, "y": 365.25}
WINDOW_HELP = f"a number and d, w, m or y (12m, 1y, 90d, 6w), at most {MAX_WINDOW_YEARS} years"


def _window_parts(window: str, parameter: str) -> tuple[int, str]:
    match = _WINDOW.fullmatch(window) if isinstance(window, str) else None
    if not match:
        raise ParameterError(parameter, window, f"expected {WINDOW_HELP}.")
    number, unit = int(match[1]), match[2].lower()
    if number * _DAYS_PER_UNIT[unit] > MAX_WINDOW_YEARS * 365.25:
        raise ParameterError(
            parameter,
            window,
            f"longer than {MAX_WINDOW_YEARS} years; kb's dates lie between {MIN_YEAR} and "
            f"{MAX_YEAR}, so expected {WINDOW_HELP}.",
        )
    return number, unit


def parse_window(window: str, *, parameter: str = "window") -> str:
    """``12m`` / ``1y`` / ``90d`` / ``6w`` -> an ISO-8601 duration (``P12M``).

    Args:
        window: the window.
        parameter: the parameter it was given for, named in the error.

    Raises:
        ParameterError: the window is not a number followed by d, w, m or y, or is longer
            than `MAX_WINDOW_YEARS`.
    """
    number, unit = _window_parts(window, parameter)
    return f"P{number}{unit.upper()}"


def add_window(day: date, window: str, *, sign: int = 1, parameter: str = "window") -> date:
    """``day`` plus a window such as ``12m`` (month ends clamp: Jan 31 + 1m = Feb 28/29);
    with ``sign=-1``, minus it."""
    number, unit = _window_parts(window, parameter)
    n = number * (1 if sign >= 0 else -1)
    if unit == "d":
        return day + timedelta(days=n)
    if unit == "w":
        return day + timedelta(weeks=n)
    months = n * (12 if unit == "y" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    last_day = calendar.monthrange(day.year + year, month + 1)[1]
    return date(day.year + year, month + 1, min(day.day, last_day))


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
            raise ParameterError.sentence(
                "The case has no stages; add stages.csv or use {by} year."
            )
        return [Period(str(s["id"]), s["first"], s["last"]) for s in stages]
    if by not in BY_CHOICES:
        raise ParameterError("by", by, f"use one of {', '.join(BY_CHOICES)}.")
    if first is None or last is None:
        raise ValidationError("No tie has a date, so there are no years or quarters to compare.")
    if by == "year":
        return [
            Period(str(y), date(y, 1, 1), date(y, 12, 31)) for y in range(first.year, last.year + 1)
        ]
    return _quarter_periods(first, last)


ONE_DAY = timedelta(days=1)
