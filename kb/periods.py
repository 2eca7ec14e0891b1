"""Time selection shared by every command: ``--at DATE`` and ``--by stage|year|quarter``.

``--at`` takes a partial date and means its whole period: ``--at 2016-06-01`` is that day,
``--at 2016`` is any time in 2016. A tie is in the network at a period when its spell
overlaps it (docs/model.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
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


def parse_at(value: str | None, *, option: str = "--at") -> Period | None:
    """The period of an ``--at`` value; None when not given.

    Raises:
        ValidationError: the value is not a partial date.
    """
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
