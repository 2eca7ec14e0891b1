"""What every export shares: its result record, writing files or streams, and value text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from kb.case_files import case_file
from kb.errors import KBError

Target = str | Path | IO[bytes]

# Characters XML 1.0 cannot hold at all, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class ExportResult:
    """What an export wrote.

    Attributes:
        path: the file or folder written (``-`` for a stream).
        format: ``gexf``, ``graphml`` or ``csv``.
        counts: what was written: actors / ties / memberships, or rows per CSV table.
        warnings: properties left out, and why.
        risk: for a pseudonymised export, its re-identification risk report (data).
        risk_files: the risk report's files, beside the export.
        researcher_file: the actors at risk, for the researcher only (never shared).
    """

    path: str
    format: str
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    risk: dict[str, Any] | None = None
    risk_files: list[str] = field(default_factory=list)
    researcher_file: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The result as plain data (for ``--format json``)."""
        return asdict(self)


def day_or_none(value: Any) -> date | None:
    """``value`` if it is a day (a date property, as kb.rows gives it), else None."""
    return value if isinstance(value, date) else None


# A spreadsheet reads a cell starting with one of these as a formula (tab and carriage
# return as well: some programs skip them and read the formula behind). OWASP's list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"


def spreadsheet_safe(text: str) -> str:
    """A CSV cell no spreadsheet evaluates: a formula-like text gets a leading apostrophe.

    The apostrophe is what spreadsheets themselves use to mark text. Text that already
    starts with an apostrophe followed by such a character gets a second one, so kb's
    import (kb.imports.sources.unescape_formula) gives back exactly the original.
    """
    if text.startswith(FORMULA_STARTS) or (
        text.startswith(FORMULA_ESCAPE) and text[1:2] in (*FORMULA_STARTS, FORMULA_ESCAPE)
    ):
        return FORMULA_ESCAPE + text
    return text


def xml(value: str) -> str:
    """Text without the control characters XML 1.0 cannot represent."""
    return _XML_INVALID.sub("", value)


def xml_warnings(texts: Iterable[tuple[str, str]]) -> list[str]:
    """A warning naming the values `xml` will change, if any.

    Args:
        texts: ``(what it belongs to, value)`` pairs, e.g. ``("tie t-1 note", "...")``.
    """
    found = [where for where, value in texts if _XML_INVALID.search(value)]
    if not found:
        return []
    more = " ..." if len(found) > 3 else ""
    return [
        f"{len(found)} value(s) hold control characters XML cannot represent; they are "
        f"written without them: {', '.join(found[:3])}{more}."
    ]


def unique_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted~2``, ``~3``... if taken; the result is added to ``taken``.

    Gephi drops an edge whose id is taken, and networkx keys parallel edges by id.
    """
    unique, number = wanted, 1
    while unique in taken:
        number += 1
        unique = f"{wanted}~{number}"
    taken.add(unique)
    return unique


@contextmanager
def opened(target: Target) -> Iterator[IO[bytes]]:
    """A binary stream to ``target``: a case file (`kb.case_files`: private, complete or
    absent, parents created) for a path, or the stream itself (``-``)."""
    if isinstance(target, str | Path):
        with case_file(target, binary=True) as stream:
            yield stream
    else:
        with writing(target):
            yield target


@contextmanager
def writing(target: Target) -> Iterator[None]:
    """Turn a failed write (missing folder, no permission, disk full) into one sentence."""
    try:
        yield
    except OSError as e:
        raise KBError(f"Cannot write {target_name(target)}: {e.strerror or e}.") from e


def target_name(target: Target) -> str:
    return str(target) if isinstance(target, str | Path) else "-"
