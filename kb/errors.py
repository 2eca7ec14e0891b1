"""Errors raised by kb, and the Location/Issue records that import validation reports.

Every expected failure is a `KBError`; each class names the exit code the CLI ends with
(`ExitCode`, documented in docs/commands.md).
`Location` and `Issue` live here (not in `kb.imports`) so that `ValidationError` can carry
them without an import cycle.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


class ExitCode(enum.IntEnum):
    """The documented exit codes of the ``kb`` command."""

    OK = 0
    ERROR = 1
    USAGE = 2
    UNAVAILABLE = 3
    AUTH = 4
    INVALID_INPUT = 5
    MISSING_DEPENDENCY = 6
    PORT_IN_USE = 7
    SERVER_FAILED = 8
    NOT_FOUND = 9
    # kb verify: the output's data version is not today's, and kb cannot compute an answer
    # as the case stood then.
    CANNOT_REPRODUCE = 10
    # sysexits.h EX_SOFTWARE: kb itself failed (an exception that is not a KBError), not the
    # input, the database or the machine; the message asks for a report.
    DEFECT = 70
    INTERRUPTED = 130
    # 128 + SIGPIPE, as a shell reports a program whose reader went away (`kb ... | head`).
    BROKEN_PIPE = 141


@dataclass(frozen=True)
class Location:
    """Where a value sits in an import: display file name, spreadsheet row, column."""

    file: str
    row: int | None
    column: str | None


@dataclass(frozen=True)
class Issue:
    """One validation problem, located as precisely as the input allows."""

    file: str
    row: int | None
    column: str | None
    message: str
    hint: str = ""

    @property
    def location(self) -> Location:
        """The place of the problem without the message."""
        return Location(self.file, self.row, self.column)

    def __str__(self) -> str:
        # Compiler-style "file:row:column: message" so editors and grep can jump to it.
        parts = [self.file]
        if self.row is not None:
            parts.append(str(self.row))
        if self.column is not None:
            parts.append(self.column)
        text = ":".join(parts) + ": " + self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class KBError(Exception):
    """Base class of every error kb raises on purpose."""

    exit_code: int = ExitCode.ERROR


class DatabaseUnavailableError(KBError):
    """Neo4j cannot be reached at the configured address."""

    exit_code = ExitCode.UNAVAILABLE


class DatabaseNotFoundError(KBError):
    """The Neo4j server has no database with the requested name."""

    exit_code = ExitCode.NOT_FOUND


class SettingsError(KBError):
    """The connection settings cannot work (a URI that is not a Bolt URI, ...)."""

    exit_code = ExitCode.USAGE


class AuthenticationError(KBError):
    """Neo4j rejected the user name or password."""

    exit_code = ExitCode.AUTH


class QueryNotFoundError(KBError):
    """No packaged Cypher query has the requested name."""

    exit_code = ExitCode.USAGE


class QueryParameterError(KBError):
    """A query was called with missing or undeclared parameters."""

    exit_code = ExitCode.USAGE


class ImportFileError(KBError):
    """An import file or folder cannot be read at all (missing, unsupported, corrupt)."""

    exit_code = ExitCode.INVALID_INPUT


class ValidationError(KBError, ValueError):
    """Input breaks the format rules, or names something the case does not have; `.issues`
    lists every problem found (may be empty). A ValueError too, for library callers."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(self, message: str, issues: Iterable[Issue] = (), summary: str = "") -> None:
        super().__init__(message)
        self.issues: list[Issue] = list(issues)
        # The message without the issues it quotes, for a reader shown every issue below
        # it (the CLI): a single bad field is then reported once, not twice.
        self.summary = summary or message

    @classmethod
    def from_issues(cls, issues: Iterable[Issue], source: str = "the input") -> ValidationError:
        """An error whose message counts the issues and quotes the first."""
        found = list(issues)
        count = len(found)
        first = f"; first: {found[0]}" if found else ""
        summary = f"{count} problem{'s' if count != 1 else ''} in {source}"
        return cls(f"{summary}{first}", found, summary=f"{summary}:" if found else summary)


class _NoValue:
    """The value of a parameter mention that shows no value."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


def shown(value: Any) -> str:
    """A value as an error quotes it: text in quotes (``'2016-13'``), numbers as written."""
    return repr(value) if isinstance(value, str) else str(value)


def python_name(parameter: str, value: Any = NO_VALUE) -> str:
    """How the library names a parameter: its Python name, with ``=value`` when shown."""
    return parameter if value is NO_VALUE else f"{parameter}={shown(value)}"


class Wording(str):
    """An error message that names parameters of the call that failed.

    Built from a literal ``template`` whose ``{fields}`` are either parameters (any field
    not among ``values``) or values to quote (given as keywords, never parsed as a
    template, so user input with braces is safe). ``{name:value_field}`` names a parameter
    with a value shown beside it. As text it reads with Python names (``min_evidence=-1:
    give 0 or more``); `worded` lets another caller name them its way, and the command
    line (`kb.cli.base.KbGroup`) names each by the running command's flag (``--min-evidence
    -1: give 0 or more``). A library message never spells a ``--flag`` itself.

    Any `KBError` takes a Wording as its message; `ParameterError` builds one.
    """

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Wording:
        text = _render(template, values, python_name)
        wording = super().__new__(cls, text)
        wording.template, wording.values = template, values
        return wording

    @property
    def parameters(self) -> list[str]:
        """The Python names of the parameters the message names, in order."""
        import string

        fields = (f for _, f, _, _ in string.Formatter().parse(self.template) if f is not None)
        return list(dict.fromkeys(f for f in fields if f not in self.values))

    def worded(self, name: Callable[..., str]) -> str:
        """The message with each parameter called ``name(parameter)``, or ``name(parameter,
        value)`` where it shows its value."""
        return _render(self.template, self.values, name)


def _render(template: str, values: dict[str, Any], name: Callable[..., str]) -> str:
    import string

    conversions: dict[str | None, Callable[[Any], Any]] = {"r": repr, "s": str, "a": ascii}
    parts: list[str] = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        parts.append(literal)
        if field is None:
            continue
        if field in values:
            value = conversions.get(conversion, lambda v: v)(values[field])
            parts.append(format(value, spec or ""))
        elif spec:
            parts.append(name(field, values[spec]))
        else:
            parts.append(name(field))
    return "".join(parts)


class ParameterError(ValidationError):
    """A value given for a parameter of a library call breaks its rules; the message names
    the parameter (a `Wording`), so the command line can name its flag instead.

    ``ParameterError("max_hops", 0, "give a number from 1 to 12.")`` reads ``max_hops=0:
    give a number from 1 to 12.`` (the value is optional: ``group_by: no actor has ...``);
    ``ParameterError.sentence("Give {at} or {between}, not both.")`` words a sentence that
    names several (see `Wording`).
    """

    def __init__(self, parameter: str, value: Any = NO_VALUE, problem: str = "") -> None:
        mention = "{" + parameter + (":_value" if value is not NO_VALUE else "") + "}"
        template = mention + (": {_problem}" if problem else "")
        self.wording = Wording(template, _value=value, _problem=problem)
        super().__init__(self.wording)

    @classmethod
    def sentence(cls, template: str, /, **values: Any) -> ParameterError:
        """The error worded by ``template`` (see `Wording`).

        Raises:
            ValueError: the template names no parameter.
        """
        wording = Wording(template, **values)
        if not wording.parameters:
            raise ValueError(f"The template {template!r} names no parameter.")
        error = cls(wording.parameters[0])
        error.wording = wording
        ValidationError.__init__(error, wording)
        return error

    @property
    def parameters(self) -> list[str]:
        """The Python names of the parameters the message names."""
        return self.wording.parameters


class ImportInterruptedError(KBError):
    """An import failed in the database after writing part of the data (whole batches)."""

    def __init__(self, message: str, exit_code: int = ExitCode.ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class NotFoundError(KBError):
    """A requested node or relationship does not exist."""

    exit_code = ExitCode.NOT_FOUND


class CannotReproduceError(KBError):
    """An output cannot be computed again as it was (kb verify): its data version is not
    today's and kb cannot answer as the case then stood, or its command cannot run again."""

    exit_code = ExitCode.CANNOT_REPRODUCE


class EmptyCaseError(NotFoundError):
    """The database holds no case: nothing to analyse or export until an import."""


class ServerError(KBError):
    """The local Neo4j server could not be started, stopped or inspected."""

    exit_code: int = ExitCode.SERVER_FAILED

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class MissingDependencyError(ServerError):
    """A program the local server needs (Java 17+, Maven, Docker) is not available."""

    exit_code = ExitCode.MISSING_DEPENDENCY


class PortInUseError(ServerError):
    """A port the local server needs is taken by another program."""

    exit_code = ExitCode.PORT_IN_USE


class ServerStartError(ServerError):
    """Neo4j was launched but did not come up in time, or refused its initial setup."""


def unknown(
    what: str,
    value: str,
    known: Iterable[str],
    *,
    hint: str = "",
    parameter: str | None = None,
) -> ValidationError:
    """The error for a name the case does not have: it lists what exists and suggests the
    closest (``did you mean sector?``), so a typo never gives an empty or degenerate answer.

    Args:
        what: what the value should be, e.g. ``no actor has the property``.
        value: the value given.
        known: the values that exist.
        hint: a sentence to add (how to see them, what else to do).
        parameter: the parameter the value was given for; the message then starts with
            its name (``group_by: no actor has the property 'Sector'. ...``), a
            `ParameterError` the command line words with its flag.
    """
    import difflib

    choices = sorted(set(known))
    by_lower = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(value.lower(), list(by_lower), n=1, cutoff=0.6)
    text = f"{what} {value!r}."
    if close:
        text += f" Did you mean {by_lower[close[0]]}?"
    text += f" Known: {', '.join(choices) if choices else 'none'}."
    if hint:
        text += f" {hint}"
    if parameter is None:
        return ValidationError(text)
    return ParameterError.sentence("{" + parameter + "}: {_text}", _text=text)
