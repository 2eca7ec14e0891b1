"""Coders' names: one person under one name.

Teams write a coder's name several ways: ``JL`` in a QDA program's users, ``Julie
Lavallée`` in the evidence CSV, ``julie lavallee`` typed by hand. Every place that reads or
writes coder names (the import, ``kb evidence agreement``, ``--coder`` in the shared
selection, ``kb robustness --by coder``) resolves them through one `CoderAliases`, and
`lookalikes` warns about names that are probably one person but were not declared so.

An alias maps a name as written to the name kept (``JL=Julie Lavallée``); names are compared
without case or accents (`kb.text.fold`), so ``jl`` is ``JL`` too. A mapping file is a CSV
with the columns ``alias`` and ``coder`` (one alias per row), or lines ``ALIAS=NAME``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import ImportFileError, Issue, ParameterError, ValidationError
from kb.text import fold

_PARTS = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class CoderAliases:
    """Names as written -> the name kept, compared without case or accents.

    Attributes:
        names: folded alias -> the name kept (as the user wrote it).
    """

    names: Mapping[str, str] = field(default_factory=dict)

    def resolve(self, name: str | None) -> str | None:
        """The name kept for ``name`` (``name`` itself, trimmed, when it has no alias)."""
        if name is None:
            return None
        name = " ".join(name.split())
        return self.names.get(fold(name), name) if name else None

    def __bool__(self) -> bool:
        return bool(self.names)

    def data(self) -> dict[str, str]:
        """The aliases as plain data: alias (folded) -> the name kept."""
        return dict(self.names)

    @classmethod
    def of(cls, pairs: Iterable[str] = (), *, file: str | Path | None = None) -> CoderAliases:
        """Aliases from ``ALIAS=NAME`` texts (``--coder-alias``) and a mapping file.

        Raises:
            ParameterError: a text without ``=`` or with an empty side, or an alias mapped
                to two different names.
            ImportFileError: the file cannot be read.
            ValidationError: the file has problems (each with its line).
        """
        found: list[tuple[str, str, str]] = []  # alias, name, where
        for text in pairs:
            alias, sep, name = text.partition("=")
            if not sep or not alias.strip() or not name.strip():
                raise ParameterError(
                    "coder_aliases", text, "write ALIAS=NAME, e.g. JL=Julie Lavallée."
                )
            found.append((alias, name, f"coder alias {text!r}"))
        if file is not None:
            found += _read_file(Path(file))
        names: dict[str, str] = {}
        for alias, name, where in found:
            key, kept = fold(alias), " ".join(name.split())
            if key in names and fold(names[key]) != fold(kept):
                raise ParameterError(
                    "coder_aliases",
                    alias.strip(),
                    f"the alias names both {names[key]!r} and {kept!r} ({where}).",
                )
            names[key] = kept
        # An alias of an alias resolves to the end of the chain; a cycle is refused.
        for key in list(names):
            seen = {key}
            while fold(names[key]) in names and fold(names[key]) not in seen:
                seen.add(fold(names[key]))
                names[key] = names[fold(names[key])]
        return cls(names)


def _read_file(path: Path) -> list[tuple[str, str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ImportFileError(f"Cannot read the coder aliases {path}: {e}") from e
    lines = text.splitlines()
    header = (
        [h.strip().lower() for h in next(csv.reader(io.StringIO(lines[0])), [])] if lines else []
    )
    found: list[tuple[str, str, str]] = []
    issues: list[Issue] = []
    if {"alias", "coder"} <= set(header):
        reader = csv.DictReader(io.StringIO(text))
        reader.fieldnames = header
        for number, row in enumerate(reader, start=2):
            alias, name = (row.get("alias") or "").strip(), (row.get("coder") or "").strip()
            if not alias or not name:
                column = "alias" if not alias else "coder"
                issues.append(Issue(str(path), number, column, f"the {column} is empty"))
                continue
            found.append((alias, name, f"{path}:{number}"))
    else:
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            alias, sep, name = line.partition("=")
            if not sep or not alias.strip() or not name.strip():
                issues.append(
                    Issue(
                        str(path),
                        number,
                        None,
                        f"{line.strip()!r} is not ALIAS=NAME",
                        "write one alias a line (JL=Julie Lavallée), or a CSV with the "
                        "columns alias and coder",
                    )
                )
                continue
            found.append((alias, name, f"{path}:{number}"))
    if issues:
        raise ValidationError(f"{len(issues)} problem(s) in {path}.", issues)
    return found


def _initials(parts: list[str]) -> str:
    return "".join(part[0] for part in parts)


def look_alike(first: str, second: str) -> str | None:
    """Why two coder names probably name one person, or None.

    - equal without case, accents, punctuation and spacing (``Julie Lavallée``,
      ``julie lavallee``, ``Lavallée, Julie`` is not caught: word order counts);
    - one is the other's initials (``JL``, ``J.L.`` for ``Julie Lavallée``);
    - one abbreviates the other word by word (``J. Lavallée``).
    """
    a, b = _PARTS.findall(fold(first)), _PARTS.findall(fold(second))
    if not a or not b or first == second:
        return None
    if a == b:
        return "the same name but for case, accents or punctuation"
    for (short, full), (short_name, full_name) in (
        ((a, b), (first, second)),
        ((b, a), (second, first)),
    ):
        if len(full) >= 2 and "".join(short) == _initials(full):
            return f"{short_name!r} are the initials of {full_name!r}"
        if (
            len(short) == len(full) >= 2
            and short != full
            and all(full[i].startswith(short[i]) for i in range(len(full)))
        ):
            return f"{short_name!r} abbreviates {full_name!r}"
    return None


@dataclass(frozen=True)
class Lookalike:
    """Two coder names that probably name one person.

    Attributes:
        first, second: the names, as found.
        reason: why they look alike.
    """

    first: str
    second: str
    reason: str

    def warning(self) -> str:
        """The warning to show, with the alias that would merge them."""
        short, full = sorted((self.first, self.second), key=len)
        return (
            f"The coders {self.first!r} and {self.second!r} look like one person "
            f"({self.reason}); if so, declare it: --coder-alias "
            f'"{short}={full}".'
        )


def lookalikes(names: Iterable[str], aliases: CoderAliases | None = None) -> list[Lookalike]:
    """Pairs of distinct coder names (after ``aliases``) that look like one person."""
    aliases = aliases or CoderAliases()
    kept = sorted({n for n in (aliases.resolve(name) for name in names) if n})
    found: list[Lookalike] = []
    for i, first in enumerate(kept):
        for second in kept[i + 1 :]:
            reason = look_alike(first, second)
            if reason:
                found.append(Lookalike(first, second, reason))
    return found
