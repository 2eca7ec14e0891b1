"""Checks that the names a user gives exist in the case: actor properties, tie types, tie
properties, group values, and dates within the case's time range.

A typo (``--group-by Sector``) must be an error that lists what exists, never a degenerate
answer (every actor in the group "(none)"). The quick checks run one indexed query; the
lists of what exists are read only to word the error.
"""

from __future__ import annotations

from collections.abc import Iterable

from kb.errors import EmptyCaseError, ParameterError, unknown
from kb.periods import Period
from kb.store import Reader


def require_case(db: Reader) -> None:
    """Raise EmptyCaseError when the database holds no case at all (no node but kb's
    bookkeeping): an analysis or export of nothing would print zeros as if they were
    findings. Every analysis of `kb.graph.KnowledgeBase` and every export checks this."""
    if db.read_one("meta/counts")["nodes"] == 0:
        raise EmptyCaseError(
            "The database holds no case (0 nodes): there is nothing to analyse or export. "
            "Import one first: kb import FOLDER (the example case: kb import "
            "examples/quebec-wg); kb status shows what the database holds."
        )


# What kb itself stores on a tie: never a weight, so not offered as one.
_TIE_FIELDS = frozenset({"id", "type", "directed", "evidence", "start", "end"})
_DATE_SUFFIXES = ("_first", "_last", "_precision")


def check_group_by(db: Reader, name: str | None, *, parameter: str = "group_by") -> None:
    """Raise ValidationError unless some actor has the property ``name`` (a case without
    actors has nothing to group: no error)."""
    if name is None or db.read_one("vocabulary/has_actor_property", property=name)["found"]:
        return
    known = [r["property"] for r in db.read("vocabulary/actor_properties")]
    if known:
        raise unknown("no actor has the property", name, known, parameter=parameter)


def check_weight(db: Reader, name: str | None, *, parameter: str = "weight") -> None:
    """Raise ValidationError unless some tie has the property ``name``."""
    if name is None or db.read_one("vocabulary/has_tie_property", property=name)["found"]:
        return
    known = [
        r["property"]
        for r in db.read("vocabulary/tie_properties")
        if r["property"] not in _TIE_FIELDS and not r["property"].endswith(_DATE_SUFFIXES)
    ]
    raise unknown("no tie has the property", name, known, parameter=parameter)


def check_types(db: Reader, types: list[str] | None, *, parameter: str = "types") -> None:
    """Raise ValidationError unless the case has a tie of each type in ``types``."""
    if not types:
        return
    found = {r["type"] for r in db.read("vocabulary/has_tie_types", types=types)}
    missing = [t for t in types if t not in found]
    if missing:
        known = [r["type"] for r in db.read("vocabulary/tie_types")]
        raise unknown("the case has no tie of type", missing[0], known, parameter=parameter)


def check_coder(db: Reader, coder: str | None, *, parameter: str = "coder") -> None:
    """Raise ValidationError unless some evidence item has the coder ``coder`` (any case)."""
    if coder is None or db.read_one("vocabulary/has_coder", coder=coder)["found"]:
        return
    known = [r["coder"] for r in db.read("vocabulary/coders")]
    raise unknown("no evidence item was coded by", coder, known, parameter=parameter)


def check_group(groups: Iterable[str], value: str, *, group_by: str, parameter: str) -> None:
    """Raise ValidationError unless some actor's ``group_by`` is ``value``."""
    known = set(groups)
    if value not in known:
        raise unknown(f"no actor has {group_by} =", value, known, parameter=parameter)


def check_period(db: Reader, period: Period | None, *, parameter: str = "at") -> None:
    """Raise ValidationError when ``period`` lies wholly outside the case's period of
    observation (`kb.analyses.observation`: an open tie is ongoing until its end), naming
    the records that set its bounds."""
    if period is None:
        return
    from kb.analyses.observation import observation

    seen = observation(db)
    if seen is None:
        return  # no date in the case: every tie is undated, any period keeps them
    if (period.last is not None and period.last < seen.first) or (
        period.first is not None and period.first > seen.last
    ):
        declare = (
            ""
            if seen.last_source == "case"
            else " (or declare the case's period: kb add case --id ID --name NAME "
            "--observed-until YYYY-MM-DD)"
        )
        raise ParameterError.sentence(
            "{" + parameter + "} {_label}: the case is observed {_seen}; give a date in that "
            "range{_declare}.",
            _label=period.label,
            _seen=seen.describe(),
            _declare=declare,
        )
