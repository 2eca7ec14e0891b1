"""The ``kb`` command line: parse, call the library, render, map errors to exit codes.

Commands live in modules by theme; importing them registers them on ``app``. ``from kb.cli
import app`` imports every one of them. The ``kb`` program (`main`) imports only the module
of the command it runs and lets Typer build only that command: building every command's
options from its signature costs more than most commands take to answer.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    import typer

    from kb.cli.base import app
    from kb.errors import ExitCode

__all__ = ["ExitCode", "app", "main"]

# The modules that register commands, in the order their commands are listed in help.
MODULES = (
    "admin",
    "analyses",
    "browser",
    "consent",
    "data",
    "evidence",
    "export",
    "publish",
    "query",
    "record",
    "reforms",
    "report",
    "view",
    "verify",
)
# The module that registers each top-level command and group (tests/unit/test_startup.py
# checks it against what the modules register). A name missing here still works: kb then
# loads every command, as for `kb --help`.
COMMAND_MODULES = {
    **dict.fromkeys(("status", "init", "reset", "backup", "restore", "server"), "admin"),
    **dict.fromkeys(
        (
            "brokerage",
            "centrality",
            "paths",
            "legitimacy",
            "evolution",
            "consensus",
            "robustness",
        ),
        "analyses",
    ),
    **dict.fromkeys(("browse", "browser"), "browser"),
    **dict.fromkeys(("import", "link", "end-tie", "why", "timeline", "add"), "data"),
    **dict.fromkeys(("search", "evidence"), "evidence"),
    "export": "export",
    "publish": "publish",
    "query": "query",
    **dict.fromkeys(("changes", "history"), "record"),
    "reforms": "reforms",
    **dict.fromkeys(("report", "plot"), "report"),
    "view": "view",
    "withdraw": "consent",
    "verify": "verify",
}
# The global options that take a value (kb.cli.base.main): what follows them is no command.
_VALUED_OPTIONS = ("--uri", "--user", "--database")


def _load(modules: tuple[str, ...]) -> typer.Typer:
    from kb.cli.base import app, reflow_help

    for module in modules:
        import_module(f"kb.cli.{module}")
    reflow_help(app)  # idempotent: a later load reflows only what is new
    return app


def _everything() -> typer.Typer:
    app = _load(MODULES)
    globals()["app"] = app
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _everything()
    if name == "ExitCode":
        from kb.errors import ExitCode

        return ExitCode
    raise AttributeError(f"module 'kb.cli' has no attribute {name!r}")


def command_in(args: list[str]) -> str | None:
    """The command (or group) that ``kb ARGS`` runs, as Click parses it: the first word
    that is neither an option nor the value of a global option; None if there is none."""
    words = iter(args)
    for word in words:
        if word == "--":
            return None
        if word in _VALUED_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


# What `_only` hid while its block runs (kb verify runs a whole command line again).
_HIDDEN: list[tuple[list[Any], list[Any]]] = []


@contextmanager
def every_command() -> Iterator[typer.Typer]:
    """The app with every command loaded and shown, also inside `_only` (kb verify runs
    the recorded command line in this process)."""
    app = _load(MODULES)
    commands, groups = app.registered_commands, app.registered_groups
    for hidden_commands, hidden_groups in _HIDDEN:
        commands = commands + [c for c in hidden_commands if c not in commands]
        groups = groups + [g for g in hidden_groups if g not in groups]
    shown = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = commands, groups
    try:
        yield app
    finally:
        app.registered_commands, app.registered_groups = shown


@contextmanager
def _only(app: typer.Typer, name: str) -> Iterator[bool]:
    """Hide every command and group of ``app`` but ``name`` while the block runs; yields
    whether ``name`` was found (when not, nothing is hidden)."""
    from kb.cli.base import command_names

    commands, groups = app.registered_commands, app.registered_groups
    names = command_names(app)[: len(commands)]  # commands first, then groups
    kept_commands = [c for c, n in zip(commands, names, strict=True) if n == name]
    kept_groups = [g for g in groups if g.name == name]
    if not kept_commands and not kept_groups:
        yield False
        return
    app.registered_commands, app.registered_groups = kept_commands, kept_groups
    _HIDDEN.append((commands, groups))
    try:
        yield True
    finally:
        _HIDDEN.pop()
        app.registered_commands, app.registered_groups = commands, groups


def main() -> Any:
    """The ``kb`` program: run the command ``sys.argv`` names, loading only its module."""
    # Typer checks option values with pydantic, which looks for plugins among the entry
    # points of every installed distribution the first time: kb's checks need none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    sys.argv[1:] = optional_scope(sys.argv[1:])
    try:
        return _run(sys.argv[1:])
    finally:
        _flush_stdout()


def optional_scope(args: list[str]) -> list[str]:
    """``--pseudonymise`` without a scope means persons: a Click option takes a value or
    none, never either, so kb fills it in before parsing (kb.cli.pseudonymise)."""
    out: list[str] = []
    for index, arg in enumerate(args):
        out.append(arg)
        following = args[index + 1] if index + 1 < len(args) else None
        if arg == "--pseudonymise" and following not in ("persons", "all"):
            out.append("persons")
    return out


def _flush_stdout() -> None:
    """Flush what a command printed; a reader gone by now (`kb ... | head`) ends kb with
    the broken-pipe exit code, not Python's "Exception ignored" message at exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        from kb.cli.base import stop_writing_stdout

        raise SystemExit(stop_writing_stdout()) from None


def _run(args: list[str]) -> Any:
    name = command_in(args)
    module = COMMAND_MODULES.get(name or "")
    if name is None or module is None or "--help" in args:
        from kb.cli.base import load_help_renderer

        load_help_renderer()
    if name is None or module is None:
        return _everything()()  # help, a mistyped command: every command, for the listing
    app = _load((module,))
    with _only(app, name) as found:
        if found:
            return app()
    return _everything()()
