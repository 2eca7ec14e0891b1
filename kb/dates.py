"""Partial dates: a year, a month or a day, as qualitative field notes record them.

A partial date denotes the closed interval of days [first, last]: "2016" is 2016-01-01 to
2016-12-31. Spells use the generous reading of each bound, so a tie that "started in 2016 and
ended in 2016" is active all year:

* a spell start uses `first` and a spell end uses `last`;
* an end is before its start only when ``end.last < start.first`` (see `end_before_start`);
* partial dates sort by ``(first, precision)`` with year < month < day, so "2016" sorts
  before "2016-01" before "2016-01-01" (`PartialDate.sort_key`).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

Precision = Literal["year", "month", "day"]

MIN_YEAR = 1900
MAX_YEAR = 2100
EXPECTED = "expected YYYY, YYYY-MM or YYYY-MM-DD"

_PRECISION_RANK: dict[str, int] = {"year": 0, "month": 1, "day": 2}

# Exactly YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits: `\d` would also take full-width
# (２０１６) and Arabic-Indic (٢٠١٦) digits, which int() reads silently.
_ISO = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?")
# Near misses that have one right spelling, which the error message gives.
_SHORT = re.compile(r"([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?")
_MIDNIGHT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]0?0:00(?::00(?:\.0+)?)?Z?")
_CLOCK = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[ T][0-9]{1,2}:[0-9]{2}.*")
_SLASHED = re.compile(r"([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})")
_YEAR_FIRST_SLASHED = re.compile(r"([0-9]{4})[/.]([0-9]{1,2})(?:[/.]([0-9]{1,2}))?")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Attributes:
        text: canonical form, ``2016``, ``2016-03`` or ``2016-03-14``.
        precision: ``"year"``, ``"month"`` or ``"day"``.
        first: first day of the period.
        last: last day of the period.
    """

    text: str
    precision: Precision
    first: date
    last: date

    def __str__(self) -> str:
        return self.text

    @classmethod
    def parse(cls, value: str | date | datetime) -> PartialDate:
        """Read a partial date from text or from a spreadsheet date cell.

        Args:
            value: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` in ASCII digits and nothing else
                (no surrounding space, no time part, no one-digit month: the error names the
                right spelling when there is one), or a `date`/`datetime` (day precision; a
                datetime must be at midnight), as spreadsheet cells hold them.

        Returns:
            The partial date.

        Raises:
            ValueError: the value is not exactly one of the three forms, names a day that
                does not exist, has a time of day, or has a year outside 1900-2100.
        """
        if isinstance(value, datetime):
            if value.time() != time(0, 0):
                raise ValueError(
                    f"{value.isoformat(sep=' ')} has a time of day; kb records dates only "
                    f"({EXPECTED})"
                )
            return cls._day(value.year, value.month, value.day)
        if isinstance(value, date):
            return cls._day(value.year, value.month, value.day)
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a date ({EXPECTED})")
        return _parse_text(value)

    @classmethod
    def _from_text(cls, text: str) -> PartialDate:
        match = _ISO.fullmatch(text)
        if match is None:
            raise ValueError(_format_problem(text))
        year = int(match["year"])
        if match["month"] is None:
            return cls._year(year)
        month = int(match["month"])
        if match["day"] is None:
            return cls._month(year, month)
        return cls._day(year, month, int(match["day"]))

    @classmethod
    def _year(cls, year: int) -> PartialDate:
        _check_year(year)
        return cls(f"{year:04d}", "year", date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def _month(cls, year: int, month: int) -> PartialDate:
        _check_year(year)
        if not 1 <= month <= 12:
            raise ValueError(f"{year:04d}-{month:02d} does not exist (months are 01 to 12)")
        days = calendar.monthrange(year, month)[1]
        return cls(
            f"{year:04d}-{month:02d}", "month", date(year, month, 1), date(year, month, days)
        )

    @classmethod
    def _day(cls, year: int, month: int, day: int) -> PartialDate:
        _check_year(year)
        text = f"{year:04d}-{month:02d}-{day:02d}"
        try:
            when = date(year, month, day)
        except ValueError:
            raise ValueError(f"{text} does not exist") from None
        return cls(text, "day", when, when)

    def sort_key(self) -> tuple[date, int]:
        """Key that orders partial dates by first day, then coarser before finer."""
        return (self.first, _PRECISION_RANK[self.precision])

    def overlaps(self, lo: date, hi: date) -> bool:
        """Whether the period shares at least one day with the closed window [lo, hi]."""
        return self.first <= hi and self.last >= lo


# Imports repeat the same few thousand dates; PartialDate is immutable, so share them.
@functools.lru_cache(maxsize=4096)
def _parse_text(text: str) -> PartialDate:
    return PartialDate._from_text(text)


def end_before_start(start: PartialDate, end: PartialDate) -> bool:
    """Whether a spell's end certainly precedes its start (``end.last < start.first``)."""
    return end.last < start.first


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")


def _format_problem(text: str) -> str:
    """Explain why `text` is not a partial date, suggesting the ISO form when we can."""
    shown = repr(text)
    if text != text.strip():
        return f"{shown} is not a date: {EXPECTED} with no space or line break around it"
    short = _SHORT.fullmatch(text)
    if short:
        year, month, day = short.groups()
        iso = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
        return f"{shown} is not a date: {EXPECTED}, with two-digit months and days (write {iso})"
    midnight = _MIDNIGHT.fullmatch(text)
    if midnight:
        return f"{shown} is not a date: {EXPECTED} (write {midnight[1]}, without the time)"
    if _CLOCK.fullmatch(text):
        return f"{shown} has a time of day; kb records dates only ({EXPECTED})"
    slashed = _SLASHED.fullmatch(text)
    if slashed:
        a, b, year = slashed.groups()
        return (
            f"{shown} is ambiguous (day/month or month/day?); {EXPECTED}, "
            f"e.g. {year}-{int(b):02d}-{int(a):02d} if it means day {int(a)}, month {int(b)}"
        )
    year_first = _YEAR_FIRST_SLASHED.fullmatch(text)
    if year_first:
        year, month, day = year_first.groups()
        iso = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
        return f"{shown} is not a date: {EXPECTED} (write {iso})"
    if any(ch.isdigit() and ch not in "0123456789" for ch in text):
        return f"{shown} is not a date: {EXPECTED} in ASCII digits 0-9"
    return f"{shown} is not a date: {EXPECTED}"
