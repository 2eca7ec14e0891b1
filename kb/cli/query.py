"""kb query list / show / run: the canned Cypher queries of kb/cypher/."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kb import errors, queries
from kb.cli.base import FormatOption, app, open_kb
from kb.cli.render import Format, emit_rows
from kb.cli.selection import KnownAtOption

# -- kb query ---------------------------------------------------------------------------------
query_app = typer.Typer(no_args_is_help=True, help="The canned Cypher queries.")
app.add_typer(query_app, name="query")


@query_app.command("list")
def query_list(fmt: FormatOption = Format.table) -> None:
    """List every canned query with its summary and parameters.

    Example: kb query list
    """
    rows = [
        {
            "name": q.name,
            "summary": q.summary,
            "params": list(q.params),
            "returns": [c.strip() for c in q.returns.split(",") if c.strip()],
        }
        for q in queries.public().values()
    ]
    emit_rows(rows, fmt, title="Canned queries (kb/cypher/)")


@query_app.command("show")
def query_show(
    name: Annotated[str, typer.Argument(help="Query name, e.g. brokerage/pairs_of_broker.")],
    browser: Annotated[
        bool,
        typer.Option(
            "--browser",
            help="Print what to paste into Neo4j Browser: a :param command to run first, "
            "then the query (docs/exports.md).",
        ),
    ] = False,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE for the :param block.")
    ] = None,
) -> None:
    """Print a canned query with its header documentation.

    With --browser: two parts for Neo4j Browser, each run on its own (paste the first, run
    it, then the second): a :param command setting every parameter (given with -p, else its
    declared default) and the query.

    Example: kb query show brokerage/pairs_of_broker --browser -p broker=p-lsimard
    """
    from kb.exports.browser import browser_paste

    query = queries.get(name)
    if browser:
        values = queries.parse_assignments(query, param or [])
        sys.stdout.write(browser_paste(values, query.body))
    else:
        sys.stdout.write(query.text)


@query_app.command("run")
def query_run(
    name: Annotated[str, typer.Argument(help="Query name, e.g. network/stages.")],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="NAME=VALUE, typed by the query header; "
            "lists comma-separated; null for none (repeatable).",
        ),
    ] = None,
    known_at: KnownAtOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Run a canned read query with typed parameters.

    Parameters not given are null (their filter is off).

    Example: kb query run evidence/why -p a=p-lsimard -p b=p-kdiallo
    """
    if known_at is not None:
        raise errors.ParameterError.sentence(
            "{known-at} does not apply to kb query run: raw Cypher reads the case as it "
            "stands. Use a kb command (kb centrality, kb export, ...) with {known-at}."
        )
    with open_kb() as base:
        rows = base.run_query(name, param or [])
    emit_rows(rows, fmt, title=name)
