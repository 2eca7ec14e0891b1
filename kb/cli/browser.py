"""kb browser style (a GraSS stylesheet for Neo4j Browser) and kb browse (the Browser URL)."""

from __future__ import annotations

import sys
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from kb.cli import base
from kb.cli.base import FormatOption, app
from kb.cli.render import Format, emit_mapping, message
from kb.exports import browser as exports
from kb.settings import ServerSettings, Settings

browser_app = typer.Typer(
    no_args_is_help=True, help="Neo4j Browser helpers: kb's stylesheet for the case's graph."
)
app.add_typer(browser_app, name="browser")

LOAD_HINT = (
    "To use it in Neo4j Browser: drag the .grass file onto the Browser window, or type "
    ":style followed by the stylesheet's text in the editor and run it. "
    ":style reset goes back to the default look."
)


@browser_app.command("style")
def style(
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the stylesheet to this file (default: stdout)."),
    ] = None,
) -> None:
    """Print kb's Neo4j Browser stylesheet (GraSS): a colour per label, names as captions.

    Organizations are drawn larger than persons; ties show their type. GraSS colours by
    label only, so sectors cannot get colours of their own.

    Example: kb browser style --out kb.grass
    """
    grass = exports.browser_style()
    if out is None:
        sys.stdout.write(grass)
    else:
        from kb.case_files import write_case_file

        write_case_file(out, grass)  # whole or absent, never through a symlink
        message(f"Wrote the stylesheet to {out}.")
    message(LOAD_HINT)


@app.command()
def browse(
    open_: Annotated[
        bool, typer.Option("--open", help="Open the URL in the default web browser.")
    ] = False,
    show_password: Annotated[
        bool, typer.Option("--show-password", help="Also print the password.")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Print the Neo4j Browser URL of the current server, with its connect settings.

    The URL fills in the Browser's connect form (address, user, database); the password
    is never part of it. No connection is made: for kb's local server the address comes
    from its settings, for another server it is derived from the Bolt URI's host.

    Example: kb browse --open
    """
    state = base._STATE
    settings = Settings.from_env(uri=state.uri, user=state.user, database=state.database)
    server = ServerSettings.from_env()
    link = exports.browser_link(settings, server=server)
    data = link.as_dict()
    if show_password:
        data["password"] = settings.password
    emit_mapping(data, fmt, title="Neo4j Browser")
    if link.local_server:
        message(f"kb's local server (data in {server.home}); if it is stopped: kb server start")
    else:
        message(
            f"Browser address derived from {settings.uri}: {link.browser_url} (port 7474, "
            "or https on 7473 for +s URIs). kb does not ask a remote server for its HTTP "
            "port: if the Browser lives elsewhere, change the address in the URL."
        )
    if not show_password:
        message("The password is not shown; kb browse --show-password prints it.")
    if open_:
        if webbrowser.open(link.url):
            message(f"Opened {link.browser_url} in the web browser.")
        else:
            message("No web browser could be opened here; open the URL above yourself.")
