"""The ``kb`` app, its global options, error mapping and the connection helper."""

from __future__ import annotations

import inspect
import logging
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.exceptions
from typer.core import TyperCommand, TyperGroup, TyperOption

from kb import errors
from kb.cli import render
from kb.cli.render import Format, message
from kb.errors import ExitCode
from kb.settings import Settings

if TYPE_CHECKING:
    from kb.graph import KnowledgeBase


@dataclass
class State:
    """Global options, set by the app's callback before any command runs."""

    uri: str | None = None
    user: str | None = None
    database: str | None = None
    debug: bool = False
    # The words of the command line (kb.provenance.Command), connection options left out.
    argv: tuple[str, ...] = ()


# Problems listed after an error; the rest are counted in one last line.
MAX_ISSUES_SHOWN = 200


class KbGroup(TyperGroup):
    """The CLI boundary: kb's expected errors become one sentence on stderr and their exit
    code; any other exception is a defect of kb, reported in one sentence with exit code
    `ExitCode.DEFECT` (70), its traceback only with ``--debug``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from kb.journal import take_invocation

        # The command as the journal records it; --why and --analyst are global options.
        args = take_invocation(list(args))
        # A new command (CliRunner runs many in one process): no --known-at of the last one.
        _KNOWN_AT[0] = None
        # `kb brokerage --wide` means `kb --wide brokerage`: --wide is a global option.
        end = args.index("--") if "--" in args else len(args)
        if "--wide" in args[:end]:
            args = ["--wide", *(a for i, a in enumerate(args) if i >= end or a != "--wide")]
        _ARGV[:] = recorded_argv(args)
        return list(super().parse_args(ctx, args))

    def invoke(self, ctx: Any) -> Any:  # typer.core.TyperGroup.invoke; its Context is private
        try:
            return super().invoke(ctx)
        except errors.KBError as error:
            if _STATE.debug:
                raise
            issues = getattr(error, "issues", [])
            # Every issue is listed below: the headline need not quote the first one.
            headline = getattr(error, "summary", None) if issues else None
            wording = error.args[0] if error.args else None
            if not issues and isinstance(wording, errors.Wording):
                headline = in_flags(wording, running_command(error, ctx))
            message(f"Error: {headline or error}", style="red")
            for issue in issues[:MAX_ISSUES_SHOWN]:
                message(str(issue))
            if len(issues) > MAX_ISSUES_SHOWN:
                message(
                    f"... and {len(issues) - MAX_ISSUES_SHOWN} more problem(s) not shown "
                    f"(only the first {MAX_ISSUES_SHOWN} of {len(issues)} are listed)."
                )
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            message("Interrupted.")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            # The reader stopped reading (`kb ... | head`): nothing failed, nothing to say.
            raise typer.Exit(stop_writing_stdout()) from None
        except (typer.exceptions.TyperException, typer.Exit, typer.Abort):
            raise  # usage errors, exits and aborts: Typer reports them itself
        except Exception as error:
            if _STATE.debug:
                raise
            if isinstance(error, OSError) and error.filename is not None:
                # A file or folder the user named (or the disk under it) failed: the
                # system's reason is the sentence, not a defect of kb.
                message(f"Error: {file_problem(error)}", style="red")
                raise typer.Exit(ExitCode.ERROR) from None
            message(defect_sentence(error), style="red")
            raise typer.Exit(ExitCode.DEFECT) from None


# The words of the running command line, as `recorded_argv` keeps them (set when parsed).
_ARGV: list[str] = []
# Global options that hold no part of an answer (and may hold credentials, as a URI can),
# with whether they take a value; --why and --analyst speak of writes (the journal).
_UNRECORDED = {
    "--uri": True,
    "--user": True,
    "--database": True,
    "--debug": False,
    "--why": True,
    "--analyst": True,
}


def recorded_argv(args: list[str]) -> list[str]:
    """``args`` without the connection options and --debug: what an output's provenance
    records of the command line, and what `kb verify` runs again."""
    kept: list[str] = []
    words = iter(args)
    for word in words:
        name = word.split("=", 1)[0]
        if word == "--":
            kept += [word, *words]
            break
        if name in _UNRECORDED:
            if _UNRECORDED[name] and "=" not in word:
                next(words, None)
            continue
        kept.append(word)
    return kept


def _invoke_recorded(self: TyperCommand, ctx: Any) -> Any:
    """Run a command as the running command of `kb.provenance`: its words, its parameters
    as resolved, and the seed of its random draws, drawn here when none was given (so that
    the output can be computed again: `kb verify`)."""
    from kb import provenance

    params = ctx.params
    argv = list(_ARGV)
    seed = params.get("seed")
    if "seed" in params and seed is None and params.get("permutations", 1):
        import secrets

        seed = params["seed"] = secrets.randbelow(2**31)
        end = argv.index("--") if "--" in argv else len(argv)
        argv[end:end] = ["--seed", str(seed)]
    command = provenance.Command(argv=tuple(argv), parameters=dict(params), seed=seed)
    with provenance.running(command):
        return _typer_invoke(self, ctx)


_typer_invoke = TyperCommand.invoke
TyperCommand.invoke = _invoke_recorded  # type: ignore[method-assign,assignment]


def stop_writing_stdout() -> ExitCode:
    """Point stdout at /dev/null once its reader has gone, so that what is still buffered
    (flushed at exit) is dropped instead of failing again; the exit code a shell gives a
    program its reader left."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return ExitCode.BROKEN_PIPE


def running_command(error: BaseException, root: Any) -> Any:
    """The command that was running when ``error`` was raised (``kb export gexf``, not
    ``kb export``): the deepest Click context in the error's traceback, else ``root``'s."""
    deepest, depth = root, 0
    traceback = error.__traceback__
    while traceback is not None:
        for value in traceback.tb_frame.f_locals.values():
            if isinstance(value, type(root)):
                level, parent = 0, value.parent
                while parent is not None:
                    level, parent = level + 1, parent.parent
                if level > depth:
                    deepest, depth = value, level
        traceback = traceback.tb_next
    return deepest.command


def in_flags(wording: errors.Wording, command: Any) -> str:
    """An error's message with each parameter named as ``command`` spells it: the option
    of that Python name (``min_evidence`` -> ``--min-evidence``, ``between_dates`` ->
    ``--between``), an argument's metavar (``PATH``); a name the command lacks reads as the
    option it would be (``--`` and dashes)."""
    spelled: dict[str, str] = {}
    for param in getattr(command, "params", []):
        if param.name is None:
            continue
        if param.param_type_name == "argument":
            spelled[param.name] = param.metavar or param.name.upper()  # as help shows it
        else:
            spelled[param.name] = next((o for o in param.opts if o.startswith("--")), param.opts[0])

    def name(parameter: str, value: Any = errors.NO_VALUE) -> str:
        flag = spelled.get(parameter) or "--" + parameter.replace("_", "-")
        return flag if value is errors.NO_VALUE else f"{flag} {errors.shown(value)}"

    return wording.worded(name)


def file_problem(error: OSError) -> str:
    """``cannot use FILE: REASON.`` for an operating-system error on a named file."""
    name = str(error.filename)
    if len(name) > 80:
        name = name[:79] + "…"
    reason = error.strerror or type(error).__name__
    return f"cannot use {name!r}: {reason}."


def defect_sentence(error: BaseException) -> str:
    """The one sentence for an exception kb did not expect (a defect, not a user mistake)."""
    detail = " ".join(str(error).split())
    if len(detail) > 200:
        detail = detail[:199] + "…"
    what = type(error).__name__ + (f": {detail}" if detail else "")
    return (
        f"Error: kb failed unexpectedly ({what}). This is a defect in kb, not in your input; "
        "rerun it as kb --debug ... to see the traceback, and report it."
    )


app = typer.Typer(
    cls=KbGroup,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold passwords
    help="kb: a temporal knowledge base of community and public actor networks, on Neo4j.",
)
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
CONNECTION = "Connection"
ANALYSIS = "Selection"

GroupByOption = Annotated[
    str,
    typer.Option(
        "--group-by", help="Actor property that defines groups.", rich_help_panel=ANALYSIS
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Repeat per stage, year or quarter.", rich_help_panel=ANALYSIS),
]


_STATE = State()


RECORD = "Research record"


@app.callback()
def main(
    uri: Annotated[
        str | None,
        typer.Option(
            help="Bolt URI (bolt:// or neo4j://); default $NEO4J_URI or the local server.",
            rich_help_panel=CONNECTION,
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(help="User; default $NEO4J_USERNAME or neo4j.", rich_help_panel=CONNECTION),
    ] = None,
    database: Annotated[
        str | None,
        typer.Option(
            help="Database; default $NEO4J_DATABASE or neo4j.", rich_help_panel=CONNECTION
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option(help="Show tracebacks, of expected errors and of defects (exit code 70)."),
    ] = False,
    wide: Annotated[
        bool,
        typer.Option(
            "--wide",
            help="Tables keep every column (as one block per row when the terminal is too "
            "narrow); may also follow the command.",
        ),
    ] = False,
    why: Annotated[
        str | None,
        typer.Option(
            "--why",
            help="Why this change: a note kept in the journal with what a writing command "
            "changes (kb changes, kb history); may also follow the command.",
            rich_help_panel=RECORD,
        ),
    ] = None,
    analyst: Annotated[
        str | None,
        typer.Option(
            "--analyst",
            help="Who makes the change, for the journal; default $KB_ANALYST or the OS "
            "user. May also follow the command.",
            rich_help_panel=RECORD,
        ),
    ] = None,
) -> None:
    """kb: a temporal knowledge base of community and public actor networks, on Neo4j.

    The password comes from $NEO4J_PASSWORD or, for kb's local server, from its
    user-only password file; never from a flag.
    """
    global _STATE
    _STATE = State(uri=uri, user=user, database=database, debug=debug)
    from kb import journal

    if why is not None:  # else a command's own --why, if any (journal.take_invocation)
        journal.INVOCATION.why = why
    journal.INVOCATION.analyst = journal.analyst_name(analyst)
    render.WIDE = wide
    if not debug:
        # The driver logs each retry of a failed transaction ("Transaction failed and will
        # be retried") as a warning; kb reports the outcome itself, in one line.
        logging.getLogger("neo4j").addHandler(logging.NullHandler())
        logging.getLogger("neo4j").propagate = False


def _no_type_after_flags() -> None:
    """Typer (0.29) prints a type after every option in help, flags included (``--help
    <bool>``), as if a flag took a value: a flag has no type to show."""
    shown = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag or self.count else shown(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_no_type_after_flags()
# Option values are checked without pydantic where Typer's check is plain (kb.cli.coercion);
# a Typer without the internals it adjusts keeps its own check.
try:
    from kb.cli.coercion import check_plain_values_first
except ImportError:  # pragma: no cover - pyproject pins the Typer it was written for
    pass
else:
    check_plain_values_first()


class _DeferredMarkdown:
    """Stands for rich's Markdown in typer.rich_utils: the real one loads when first made."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from rich.markdown import Markdown

        return Markdown(*args, **kwargs)


class _DeferredTraceback:
    """Stands for rich's Traceback in typer.rich_utils: the real one loads when first made."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from rich.traceback import Traceback

        return Traceback(*args, **kwargs)

    @classmethod
    def from_exception(cls, *args: Any, **kwargs: Any) -> Any:
        from rich.traceback import Traceback

        return Traceback.from_exception(*args, **kwargs)


def load_help_renderer() -> None:
    """Import typer.rich_utils (what renders help and usage errors) without the rich modules
    it imports for what kb's help never shows: Markdown (kb's help is rich markup, not
    Markdown; it loads markdown-it and pygments) and Traceback (only ``--debug`` shows one;
    it loads attrs). Stand-ins load the real classes when used; the real modules stay
    importable. A third of the time of ``kb --help``."""
    if "typer.rich_utils" in sys.modules:
        return
    stand_ins = {"rich.markdown": ("Markdown", _DeferredMarkdown)}
    stand_ins["rich.traceback"] = ("Traceback", _DeferredTraceback)
    placed = []
    for name, (attribute, stand_in) in stand_ins.items():
        if name not in sys.modules:
            module = types.ModuleType(name)
            setattr(module, attribute, stand_in)
            sys.modules[name] = module
            placed.append(name)
    try:
        import typer.rich_utils
    finally:
        for name in placed:
            del sys.modules[name]

    # Help printed to a reader that went away (`kb --help | head`) ends like every kb
    # command (exit 141), not with the exit 1 of Rich's default.
    from rich.console import Console

    class HelpConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise SystemExit(stop_writing_stdout())

    typer.rich_utils.Console = HelpConsole  # type: ignore[attr-defined]


def command_names(typer_app: typer.Typer) -> list[str]:
    """The names of a Typer app's commands and groups, in the order they were added."""
    names = [
        info.name or (info.callback.__name__ if info.callback else "").replace("_", "-")
        for info in typer_app.registered_commands
    ]
    return names + [group.name or "" for group in typer_app.registered_groups]


def reflow_help(typer_app: typer.Typer) -> None:
    """Join the lines of each help paragraph, so help wraps at the terminal's width.

    Docstrings are wrapped at 100 columns in the source; Typer would keep those line breaks
    and break every line again at 80. An ``Example:`` paragraph keeps its lines.
    """
    for info in typer_app.registered_commands:
        text = info.help or inspect.getdoc(info.callback) or ""
        info.help = "\n\n".join(
            p if p.startswith("Example:") else " ".join(line.strip() for line in p.splitlines())
            for p in text.split("\n\n")
        )
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            reflow_help(group.typer_instance)
            # The top-level help shows a group's help: let it name every command in it.
            group_info = group.typer_instance.info
            names = ", ".join(command_names(group.typer_instance))
            if isinstance(group_info.help, str) and f"Commands: {names}" not in group_info.help:
                group_info.help = f"{group_info.help.rstrip('.')}. Commands: {names}."


@contextmanager
def open_kb(*, schema: bool = True) -> Iterator[KnowledgeBase]:
    """Connect with the global options; create the schema first unless told not to."""
    from kb.graph import connect  # the driver loads only for commands that connect

    state = _STATE
    settings = Settings.from_env(uri=state.uri, user=state.user, database=state.database)
    # No connection check of its own: the opening read, at once, fails with the same errors.
    with connect(settings, verify=False) as base:
        # One read for the checks (the schema version, the unfinished writes) and for what
        # every command reads next (the journal head, the case's counts, its consent).
        warn_unfinished(base.opening_checks(ensure_schema=schema))
        with base.known_at(_KNOWN_AT[0]):
            from kb.provenance import stamp

            # Every output of the command carries where it came from: inside the past
            # state of --known-at, whose data version it then is.
            stamp(base)
            yield base
    from kb.provenance import reopen_with

    # An output written after the connection closed computes the fingerprint left for it
    # through a connection of its own (kb.provenance.current).
    reopen_with(lambda: connect(settings))


# The --known-at of the command being run (`use_known_at`): `open_kb` shows it the case as
# it was known then.
_KNOWN_AT: list[str | None] = [None]


def use_known_at(value: str | None) -> None:
    """Make `open_kb` show the case as known at ``value`` (``--known-at``)."""
    _KNOWN_AT[0] = value


def warn_unfinished(unfinished: list[dict[str, Any]]) -> None:
    """Say on stderr, before any answer, that a restore or import began and never finished:
    the database then holds part of what it meant to write (kb.pending)."""
    from kb.pending import describe

    for row in unfinished:
        message("Warning: " + describe(row), style="yellow")


INFERENCE = "Inference"
PermutationsOption = Annotated[
    int,
    typer.Option(
        "--permutations",
        min=0,
        help="Test against a null model with N random draws, at most 100,000 (the p-values' "
        "standard error is then at most 0.0016). When the distinct draws (labelings or graphs) "
        "number 20,000 or fewer, every one is enumerated instead of sampling N: exact p-values, "
        "and the null's sd is that of the whole population. 0: no test.",
        rich_help_panel=INFERENCE,
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option(
        "--seed",
        help="Seed of the random draws, 0 or more (same seed, same p-values).",
        rich_help_panel=INFERENCE,
    ),
]
NullOption = Annotated[
    str,
    typer.Option(
        "--null",
        help="labels: permute the groups over the actors; cug-edges: uniform graphs with as "
        "many arcs (sna::cug.test cmode edges).",
        rich_help_panel=INFERENCE,
    ),
]
