"""The ``kb`` command line: parse, call the library, render, map errors to exit codes."""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kb import errors
from kb.graph import KnowledgeBase, connect
from kb.render import Format, emit_mapping, message
from kb.server import open_server
from kb.settings import ServerSettings, Settings


class ExitCode(enum.IntEnum):
    """Documented exit codes (docs/commands.md)."""

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
    INTERRUPTED = 130


def exit_code_for(error: errors.KBError) -> ExitCode:
    """The exit code of an expected failure."""
    if isinstance(error, errors.ServerError):
        return ExitCode(error.exit_code)
    table: list[tuple[type[errors.KBError], ExitCode]] = [
        (errors.DatabaseUnavailableError, ExitCode.UNAVAILABLE),
        (errors.AuthenticationError, ExitCode.AUTH),
        (errors.ValidationError, ExitCode.INVALID_INPUT),
        (errors.ImportFileError, ExitCode.INVALID_INPUT),
        (errors.QueryNotFoundError, ExitCode.USAGE),
        (errors.QueryParameterError, ExitCode.USAGE),
        (errors.NotFoundError, ExitCode.NOT_FOUND),
    ]
    return next((code for kind, code in table if isinstance(error, kind)), ExitCode.ERROR)


@dataclass
class State:
    """Global options, set by the app's callback before any command runs."""

    uri: str | None = None
    user: str | None = None
    database: str | None = None
    debug: bool = False


class KbGroup(TyperGroup):
    """Maps kb's expected errors to one sentence on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer.core.TyperGroup.invoke; its Context is private
        try:
            return super().invoke(ctx)
        except errors.KBError as error:
            if _STATE.debug:
                raise
            message(f"Error: {error}", style="red")
            for issue in getattr(error, "issues", [])[:200]:
                message(str(issue))
            raise typer.Exit(exit_code_for(error)) from None
        except KeyboardInterrupt:
            message("Interrupted.")
            raise typer.Exit(ExitCode.INTERRUPTED) from None


app = typer.Typer(
    cls=KbGroup,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold passwords
    help="kb: a temporal knowledge base of community and public actor networks, on Neo4j.",
)
server_app = typer.Typer(no_args_is_help=True, help="Run a local Neo4j managed by kb.")
app.add_typer(server_app, name="server")

FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
CONNECTION = "Connection"


_STATE = State()


@app.callback()
def main(
    uri: Annotated[
        str | None,
        typer.Option(
            help="Bolt URI (bolt:// or neo4j://); default $NEO4J_URI or the local server.",
            rich_help_panel=CONNECTION,
        ),
    ] = None,  # fmt: skip
    user: Annotated[
        str | None,
        typer.Option(help="User; default $NEO4J_USERNAME or neo4j.", rich_help_panel=CONNECTION),
    ] = None,  # fmt: skip
    database: Annotated[
        str | None,
        typer.Option(
            help="Database; default $NEO4J_DATABASE or neo4j.", rich_help_panel=CONNECTION
        ),
    ] = None,  # fmt: skip
    debug: Annotated[bool, typer.Option(help="Show tracebacks of expected errors.")] = False,
) -> None:
    """kb: a temporal knowledge base of community and public actor networks, on Neo4j.

    The password comes from $NEO4J_PASSWORD or, for kb's local server, from its
    user-only password file; never from a flag.
    """
    global _STATE
    _STATE = State(uri=uri, user=user, database=database, debug=debug)


@contextmanager
def open_kb(*, schema: bool = True) -> Iterator[KnowledgeBase]:
    """Connect with the global options; create the schema first unless told not to."""
    state = _STATE
    settings = Settings.from_env(uri=state.uri, user=state.user, database=state.database)
    with connect(settings) as base:
        if schema:
            base.ensure_schema()
        yield base


# -- kb status / init / reset -------------------------------------------------------------
@app.command()
def status(fmt: FormatOption = Format.table) -> None:
    """Show the server, database and size of the case.

    Example: kb status --format json
    """
    with open_kb(schema=False) as base:
        emit_mapping(base.status(), fmt, title="kb status")


@app.command()
def init() -> None:
    """Create the model's constraints and indexes (idempotent).

    Other commands that need the schema run this by themselves.

    Example: kb init
    """
    with open_kb(schema=False) as base:
        version = base.init_schema()
    message(f"Schema version {version} is in place.")


@app.command()
def reset(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Empty the database (every node and relationship), keeping the schema.

    Example: kb reset --yes
    """
    with open_kb() as base:
        if not yes and not typer.confirm(f"Delete everything in {base.uri} ({base.database})?"):
            message("Nothing deleted.")
            raise typer.Exit(ExitCode.OK)
        deleted = base.reset()
    message(f"Deleted {deleted} nodes and their relationships.")


# -- kb server ...  --------------------------------------------------------------------------
Backend = Annotated[
    str,
    typer.Option("--backend", help="auto (docker if an engine answers, else jvm), jvm or docker."),
]


def _server(backend: str = "auto") -> Any:
    return open_server(ServerSettings.from_env(), backend)


@server_app.command("start")
def server_start(
    backend: Backend = "auto",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for Bolt to answer.")] = 180.0,
) -> None:
    """Start the local Neo4j and return once Bolt answers.

    Data, logs, pid and the generated password live in $KB_HOME (default
    ~/.local/share/kb); ports come from $KB_BOLT_PORT / $KB_HTTP_PORT (7687 / 7474).

    Example: kb server start
    """
    server = _server(backend)
    server.start(timeout=timeout, progress=message)
    info = server.status()
    message(f"Neo4j is running: {info.bolt_uri}  Browser: {info.browser_url}")


@server_app.command("stop")
def server_stop(backend: Backend = "auto") -> None:
    """Stop the local Neo4j (SIGTERM, then wait).

    Example: kb server stop
    """
    stopped = _server(backend).stop()
    message("Neo4j stopped." if stopped else "Neo4j was not running.")


@server_app.command("status")
def server_status(
    backend: Backend = "auto",
    fmt: FormatOption = Format.table,
    show_password: Annotated[
        bool, typer.Option("--show-password", help="Also print the password.")
    ] = False,
) -> None:
    """Say whether the local Neo4j runs, with version, ports, data folder and Browser URL.

    Exit code 0 when running, 3 when stopped.

    Example: kb server status --format json
    """
    server = _server(backend)
    info = server.status().as_dict()
    info["password_file"] = str(server.settings.password_file)
    if show_password:
        info["password"] = server.settings.read_password()
    emit_mapping(info, fmt, title="kb server")
    if not info["running"]:
        raise typer.Exit(ExitCode.UNAVAILABLE)


@server_app.command("logs")
def server_logs(
    backend: Backend = "auto",
    lines: Annotated[int, typer.Option("--lines", "-n", help="How many lines.")] = 40,
) -> None:
    """Print the end of the local Neo4j's log.

    Example: kb server logs -n 100
    """
    sys.stdout.write(_server(backend).log_tail(lines) + "\n")
