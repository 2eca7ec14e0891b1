"""kb status / init / reset and kb server start|stop|status|logs."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kb.cli.base import FormatOption, app, open_kb
from kb.cli.render import Format, emit_mapping, emit_rows, message
from kb.errors import ExitCode, ServerError
from kb.settings import ServerSettings

if TYPE_CHECKING:
    from kb.server import JvmServer

server_app = typer.Typer(no_args_is_help=True, help="Run a local Neo4j managed by kb.")
app.add_typer(server_app, name="server")


# -- kb status / init / reset -------------------------------------------------------------
@app.command()
def status(fmt: FormatOption = Format.table) -> None:
    """Show the server, database and size of the case.

    Example: kb status --format json
    """
    from kb.provenance import leave_fingerprint

    with open_kb(schema=False) as base:
        leave_fingerprint()  # status answers at once: it never reads the whole case
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


def _jvm_server(backend: str, what: str) -> JvmServer:
    from kb.server import JvmServer

    server = _server(backend)
    if not isinstance(server, JvmServer):
        raise ServerError(
            f"kb server {what} works with the jvm backend; with Docker use kb backup / "
            "kb restore (or neo4j-admin inside the container).",
            ExitCode.USAGE,
        )
    return server


@server_app.command("dump")
def server_dump(
    path: Annotated[
        Path | None,
        typer.Argument(help="The dump file (default: $KB_HOME/dumps/neo4j-<UTC time>.dump)."),
    ] = None,
    backend: Backend = "auto",
) -> None:
    """Dump the stopped local server's database with neo4j-admin (Neo4j's own format).

    Neo4j Community dumps offline databases only: stop the server first. `kb backup`
    copies a running database instead.

    Example: kb server stop && kb server dump case.dump && kb server start
    """
    server = _jvm_server(backend, "dump")
    if path is None:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = server.home / "dumps" / f"neo4j-{stamp}.dump"
    written = server.dump(path)
    message(f"Dumped database neo4j to {written} ({written.stat().st_size} bytes).")


@server_app.command("load")
def server_load(
    path: Annotated[Path, typer.Argument(help="A dump file written by kb server dump.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the database if it holds data.")
    ] = False,
    backend: Backend = "auto",
) -> None:
    """Load a dump into the stopped local server with neo4j-admin, replacing its database.

    Example: kb server stop && kb server load case.dump --force && kb server start
    """
    _jvm_server(backend, "load").load(path, force=force)
    message(f"Loaded {path} into database neo4j. Start the server with: kb server start")


# -- kb backup / kb restore -------------------------------------------------------------------
@app.command()
def backup(
    path: Annotated[
        str | None,
        typer.Argument(
            help="A file, or a folder (existing, or written with a trailing /) for "
            "kb-backup-<database>-<UTC time>.zip (default: $KB_HOME/backups)."
        ),
    ] = None,
    keep: Annotated[
        int,
        typer.Option("--keep", min=0, help="Backups of this database kept in the folder (0: all)."),
    ] = 10,
    fmt: FormatOption = Format.table,
) -> None:
    """Copy the whole database into one archive while Neo4j runs (docs/backup.md).

    Every node, relationship and property with its type, the schema, and a manifest with
    counts, checksums and versions. The archive is complete or absent. Prints the graph's
    fingerprint, which kb restore prints again after restoring.

    `kb backup list` lists the backups in $KB_HOME/backups instead, with those made before a
    withdrawal (kb withdraw), which still hold a withdrawn participant's data (write
    ./list for a file of that name).

    Example: kb backup ~/backups/ --keep 30
    """
    from kb.backup import backup as write_backup

    if path == "list":
        _list_backups(fmt)
        return
    with open_kb(schema=False) as base:
        result = write_backup(base, path, keep=keep or None)
    if fmt is not Format.table:
        emit_mapping(result.as_dict(), fmt)
        return
    message(
        f"Backed up {result.nodes} nodes and {result.relationships} relationships of "
        f"database {result.database} to {result.path}"
    )
    message(f"Fingerprint: {result.fingerprint}")
    if not result.quiescent:
        message(
            "Warning: writes were committed during every read of the database; the archive "
            "has every relationship with both ends, but records written meanwhile may be in "
            "it in part. Take another backup when nothing writes.",
            style="yellow",
        )
    for removed in result.removed:
        message(f"Removed old backup {removed} (--keep {keep}).")


def _list_backups(fmt: Format) -> None:
    from kb.backup import list_backups

    with open_kb(schema=False) as base:
        rows = list_backups(base)
    records = [
        {
            "path": row["path"],
            "created": row["created"],
            "holds_withdrawn": (
                None if row["withdrawn_data"] is None else row["withdrawn_data"] > 0
            ),
            "withdrawals_after": row["withdrawn_data"],
        }
        for row in rows
    ]
    if fmt is not Format.table:
        emit_rows(records, fmt)
        return
    if not records:
        message("No backups of this database in $KB_HOME/backups.")
    for row in records:
        held = (
            "unreadable manifest"
            if row["holds_withdrawn"] is None
            else f"holds the data of {row['withdrawals_after']} withdrawal(s) made since"
            if row["holds_withdrawn"]
            else "no withdrawn data"
        )
        message(f"{row['path']}  {row['created'] or '?'}  {held}")


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="An archive written by kb backup.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace everything in a database that holds data."),
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Restore a kb backup into the database, checking it before and after.

    The checksums are verified before anything is written; a database with data is refused
    unless --force (which empties it first); the restored graph must have the backup's
    fingerprint.

    Example: kb restore ~/backups/kb-backup-neo4j-20260301T120000000000Z.zip
    """
    from kb.backup import restore as restore_backup

    with open_kb(schema=False) as base:
        result = restore_backup(base, path, force=force)
    if fmt is not Format.table:
        emit_mapping(result.as_dict(), fmt)
        return
    message(
        f"Restored {result.nodes} nodes and {result.relationships} relationships into "
        f"database {result.database} from {result.path}"
    )
    message(f"Fingerprint: {result.fingerprint} (the backup's)")
