"""kb status / init / reset and kb server start|stop|status|logs."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kb.cli.base import FormatOption, app, open_kb
from kb.cli.render import Format, emit_mapping, message
from kb.errors import ExitCode
from kb.settings import ServerSettings

server_app = typer.Typer(no_args_is_help=True, help="Run a local Neo4j managed by kb.")
app.add_typer(server_app, name="server")


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
    from kb.server import open_server

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
