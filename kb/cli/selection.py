"""The tie selection's command-line options, declared once: `selection_options`.

Every command that reads ties takes the same options (``--types``, ``--at``,
``--min-evidence``, ``--triangulated``, ``--coder`` (with ``--coder-alias``), and
``--between`` where a period of two dates makes sense). A command declares one parameter,
``selection: Selection``, and decorates itself with `selection_options`: Typer sees the options in
its place, and the command receives
the one `kb.analyses.selection.Selection` they build (validated, with errors naming the
options). A new way of selecting ties is an option here, a field of `Selection` and a
line of kb/cypher/_fragments/selected.cypher: every such command then has it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from kb.cli.base import ANALYSIS

F = TypeVar("F", bound=Callable[..., Any])
# The default a command gives its ``selection`` parameter (Python wants one after options
# with defaults); `selection_options` always passes the value.
SELECTED: Any = None

TypesOption = Annotated[
    str | None,
    typer.Option(
        "--types",
        help="Tie types to include, comma-separated (default: all).",
        rich_help_panel=ANALYSIS,
    ),
]
AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="Only ties whose spell overlaps this date: YYYY, YYYY-MM or "
        "YYYY-MM-DD (default: all ties, whatever their spell).",
        rich_help_panel=ANALYSIS,
    ),
]
BetweenOption = Annotated[
    tuple[str, str] | None,
    typer.Option(
        "--between",
        help="A period: two dates (for time-respecting paths).",
        rich_help_panel=ANALYSIS,
    ),
]
# No min=0 on --min-evidence: a negative count is invalid input (exit 5, the library's
# ValidationError), not a usage error.
MinEvidenceOption = Annotated[
    int,
    typer.Option(
        "--min-evidence",
        metavar="N",
        help="Only ties with at least N evidence items (ids that resolve to an evidence "
        "item; default 0: every tie).",
        rich_help_panel=ANALYSIS,
    ),
]
TriangulatedOption = Annotated[
    bool,
    typer.Option(
        "--triangulated",
        help="Only triangulated ties: supported by evidence of two or more of interview, "
        "observation and document (kb evidence coverage).",
        rich_help_panel=ANALYSIS,
    ),
]
KnownAtOption = Annotated[
    str | None,
    typer.Option(
        "--known-at",
        metavar="WHEN",
        help="Answer as the case was known then: a data version @SEQ (kb changes lists "
        "them) or a UTC date-time such as 2026-03-01T12:00 (default: as it stands).",
        rich_help_panel=ANALYSIS,
    ),
]

CoderOption = Annotated[
    list[str] | None,
    typer.Option(
        "--coder",
        metavar="NAME",
        help="Only ties evidenced by this coder's items (repeat for several; any case); "
        "--min-evidence and --triangulated then count only their items.",
        rich_help_panel=ANALYSIS,
    ),
]

CoderAliasOption = Annotated[
    list[str] | None,
    typer.Option(
        "--coder-alias",
        metavar="ALIAS=NAME",
        help='--coder under another name: --coder-alias "JL=Julie Lavallée" (repeatable; '
        "names are also matched without case or accents).",
        rich_help_panel=ANALYSIS,
    ),
]

# (name, annotation, default, part): `part` is what a command may leave out; an option of
# part "always" is one every command that reads ties takes (a new selection option goes here).
_OPTIONS: tuple[tuple[str, Any, Any, str], ...] = (
    ("types", TypesOption, None, "always"),
    ("at", AtOption, None, "at"),
    ("between", BetweenOption, None, "between"),
    ("min_evidence", MinEvidenceOption, 0, "evidence"),
    ("triangulated", TriangulatedOption, False, "evidence"),
    ("coders", CoderOption, None, "evidence"),
    ("coder_alias", CoderAliasOption, None, "evidence"),
    ("known_at", KnownAtOption, None, "always"),
)
# Options that only help build the selection; they are not fields of `Selection`.
_HELPERS = ("coder_alias",)


def selection_options(
    *, at: bool | Any = True, between: bool = False, evidence: bool = True
) -> Callable[[F], F]:
    """Give a command the selection options in place of its ``selection`` parameter.

    Args:
        at: whether the command takes ``--at``; or the annotation of its own ``--at``
            (another help text), still building the selection's period.
        between: whether it takes ``--between`` (two dates).
        evidence: whether it takes ``--min-evidence`` / ``--triangulated`` / ``--coder`` /
            ``--coder-alias``.

    The command is called with ``selection=Selection.build(...)`` instead of the options;
    a malformed value is a `kb.errors.ValidationError` before anything is read.
    """
    parts = {"always", "at"} if at is not False else {"always"}
    parts |= {"between"} if between else set()
    parts |= {"evidence"} if evidence else set()
    options = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=default,
            annotation=at if name == "at" and at is not True else annotation,
        )
        for name, annotation, default, part in _OPTIONS
        if part in parts
    ]
    names = [option.name for option in options]

    def decorate(command: F) -> F:
        signature = inspect.signature(command)
        # Keyword-only, all of them: Typer passes every value by name, and the options
        # (with defaults) may come before parameters without one.
        own = [
            p.replace(
                annotation=_evaluated(command, p.annotation), kind=inspect.Parameter.KEYWORD_ONLY
            )
            for p in signature.parameters.values()
        ]
        place = [p.name for p in own].index("selection")
        parameters = own[:place] + options + own[place + 1 :]

        @functools.wraps(command)
        def run(**kwargs: Any) -> Any:
            from kb.analyses.selection import Selection
            from kb.cli.base import use_known_at

            values = {name: kwargs.pop(name) for name in names}
            helpers = {name: values.pop(name, None) for name in _HELPERS}
            use_known_at(values["known_at"])  # also for what the command reads besides ties
            selection = Selection.build(**values)
            return command(**kwargs, selection=_stored_coders(selection, helpers["coder_alias"]))

        # Typer reads the options from the signature and annotations it finds here.
        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in parameters}
        del run.__wrapped__  # not the command's own signature
        return run  # type: ignore[return-value]

    return decorate


def _stored_coders(selection: Any, aliases: list[str] | None) -> Any:
    """``selection`` with its ``--coder`` names resolved once, before any query, to the
    names the case stores (`kb.analyses.selection.resolve_coders`: ``--coder-alias``, then
    without case or accents), so titles, results and queries all name the coders alike."""
    if selection.coders is None:
        if aliases:  # --coder-alias means nothing without --coder: say so, not ignore it
            from kb.errors import ParameterError

            raise ParameterError.sentence("{coder_alias} renames a {coders}; give {coders} too.")
        return selection
    from kb.analyses.selection import resolve_coders
    from kb.cli.base import open_kb
    from kb.coders import CoderAliases

    with open_kb(schema=False) as base:
        return resolve_coders(base, selection, CoderAliases.of(aliases or ()))


def _evaluated(command: Callable[..., Any], annotation: Any) -> Any:
    """A parameter's annotation as an object (modules use ``from __future__ import
    annotations``); ``selection``'s is not needed by Typer, so a name it cannot see stays."""
    if not isinstance(annotation, str):
        return annotation
    try:
        return eval(annotation, getattr(command, "__globals__", {}))  # noqa: S307
    except NameError:
        return annotation
