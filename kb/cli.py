"""The ``kb`` command line: parse, call the library, render, map errors to exit codes."""

from __future__ import annotations

import enum
import inspect
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kb import errors, render
from kb.graph import KnowledgeBase, connect
from kb.model import TABLES_BY_NAME, Column, Table
from kb.render import Format, emit_mapping, emit_rows, message
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


# -- the write side: import, add, link, end-tie ---------------------------------------------
add_app = typer.Typer(
    no_args_is_help=True,
    help="Add or update one item as fieldwork comes in, validated exactly like an import.",
)
app.add_typer(add_app, name="add")


@app.command("import")
def import_(
    path: Annotated[
        Path, typer.Argument(help="A folder of CSV files, an .xlsx workbook or a .json file.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate only; write nothing.")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Validate a data set in the import format, then write it (docs/data-format.md).

    Every problem is reported as file:row:column: message, with exit code 5, and nothing
    is written. Re-importing the same data changes nothing; more data adds only what is new.

    Example: kb import examples/quebec-wg
    """
    with open_kb() as base, render.progress_bar() as bar:
        tasks: dict[str, Any] = {}

        def advance(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total)
            bar.advance(tasks[table], done)

        report = base.import_data(path, dry_run=dry_run, progress=advance)
    for warning in report.warnings:
        message(f"Warning: {warning}", style="yellow")
    title = f"{'Checked (dry run, nothing written)' if dry_run else 'Imported'} {report.source}"
    columns = ["table", "rows"] if dry_run else None
    emit_rows(report.summary(), fmt, title=title, columns=columns, json_data=asdict(report))


def _column_help(column: Column) -> str:
    kinds = {
        "date": "date: YYYY, YYYY-MM or YYYY-MM-DD",
        "idlist": "ids separated by ;",
        "bool": "true or false",
        "float": "a number > 0",
        "code": "upper-case code, e.g. COLLABORATION",
        "enum": "one of " + ", ".join(column.choices),
    }
    parts = [kinds.get(column.type, "")]
    if column.ref:
        noun = column.ref.lower()
        parts.append(f"{'an' if noun[0] in 'aeiou' else 'a'} {noun} id")
    return "; ".join(p for p in parts if p) or "text"


def _add_command(spec: Table, noun: str) -> Callable[..., None]:
    """A `kb add NOUN` command whose options are the columns of the import table."""

    def command(**values: Any) -> None:
        fmt = values.pop("fmt")
        row = {name: value for name, value in values.items() if value is not None}
        for assignment in row.pop("prop", []):
            key, sep, value = assignment.partition("=")
            if not sep:
                raise errors.ValidationError(f"--prop {assignment!r}: expected KEY=VALUE.")
            row[key.strip()] = value
        with open_kb() as base:
            result = base.add(spec.name, row)
        if fmt is Format.table:
            message(f"{result['outcome'].capitalize()} {noun} {result['id']}.")
        else:
            emit_mapping(result, fmt)

    parameters = [
        inspect.Parameter(
            column.name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[
                str | None if not column.required else str,
                typer.Option(f"--{column.name.replace('_', '-')}", help=_column_help(column)),
            ],
            **({} if column.required else {"default": None}),
        )
        for column in spec.columns
    ]
    parameters.append(
        inspect.Parameter(
            "prop",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[
                list[str] | None,
                typer.Option("--prop", help="Extra property KEY=VALUE (repeatable)."),
            ],
            default=None,
        )
    )
    parameters.append(
        inspect.Parameter("fmt", inspect.Parameter.KEYWORD_ONLY, annotation=FormatOption,
                          default=Format.table)
    )  # fmt: skip
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    required = " ".join(f"--{c.name} ..." for c in spec.columns if c.required)
    command.__doc__ = (
        f"Add or update a {noun} (a row of {spec.name}.csv).\n\n"
        f"Example: kb add {noun.replace(' ', '-')} {required}"
    )
    return command


ADD_COMMANDS = {
    "person": "actors", "organization": "organizations", "tie": "ties",
    "membership": "memberships", "meeting": "meetings", "attendance": "attendance",
    "document": "documents", "evidence": "evidence", "problem": "problems",
    "position": "positions", "reform": "reforms", "reform-effect": "reform_effects",
    "stage": "stages", "territory": "territories",
}  # fmt: skip
for _noun, _table in ADD_COMMANDS.items():
    add_app.command(_noun)(_add_command(TABLES_BY_NAME[_table], _noun.replace("-", " ")))


@app.command()
def link(
    evidence: Annotated[str, typer.Argument(help="The evidence id.")],
    tie: Annotated[str | None, typer.Option(help="A tie id.")] = None,
    membership: Annotated[str | None, typer.Option(help="A membership id.")] = None,
    attendance: Annotated[str | None, typer.Option(help="An attendance id.")] = None,
    position: Annotated[str | None, typer.Option(help="A position id.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Attach an evidence item to a tie, membership, attendance or position.

    Example: kb link ev-017 --tie t-3f2a9c0d1e4b
    """
    chosen = {k: v for k, v in {"tie": tie, "membership": membership,
              "attendance": attendance, "position": position}.items() if v}  # fmt: skip
    if len(chosen) != 1:
        raise errors.ValidationError(
            "Give exactly one of --tie, --membership, --attendance or --position."
        )
    (kind, target), = chosen.items()
    with open_kb() as base:
        result = base.link_evidence(evidence, kind=kind, target=target)
    if fmt is Format.table:
        message(f"Evidence {evidence} now supports {kind} {target} "
                f"({len(result['evidence'])} evidence item(s)).")  # fmt: skip
    else:
        emit_mapping(result, fmt)


@app.command("end-tie")
def end_tie(
    tie: Annotated[str, typer.Argument(help="The tie id.")],
    on: Annotated[str, typer.Option("--on", help="End date: YYYY, YYYY-MM or YYYY-MM-DD.")],
    fmt: FormatOption = Format.table,
) -> None:
    """End a tie's spell on a date (the tie stays in the graph, with its history).

    Example: kb end-tie t-3f2a9c0d1e4b --on 2016-03
    """
    with open_kb() as base:
        result = base.end_tie(tie, on=on)
    if fmt is Format.table:
        message(f"Tie {result['id']}: {result['start'] or '(before observation)'} to {result['end']}.")
    else:
        emit_mapping(result, fmt)


# -- provenance: why, timeline ------------------------------------------------------------------
AtOption = Annotated[
    str | None,
    typer.Option("--at", help="Only ties whose spell overlaps this date (YYYY, YYYY-MM or "
                 "YYYY-MM-DD)."),
]  # fmt: skip


@app.command()
def why(
    a: Annotated[str, typer.Argument(help="An actor id.")],
    b: Annotated[str, typer.Argument(help="Another actor id.")],
    at: AtOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The ties between two actors, with spells and the evidence behind each.

    Example: kb why p-marie-tremblay o-csss-riviere --at 2015-03
    """
    with open_kb() as base:
        ties = base.why(a, b, at=at)
    rows = [
        {
            "tie": f"{tie['tie']}\n{tie['source']} {'->' if tie['directed'] else '--'} "
            f"{tie['target']}",
            "type": tie["type"],
            "spell": f"{tie['start'] or '…'} to {tie['end'] or '…'}",
            **_evidence_columns(item),
        }
        for tie in ties
        for item in (tie["evidence"] or [{}])
    ]
    emit_rows(rows, fmt, title=f"Ties between {a} and {b}", json_data=ties,
              columns=WHY_COLUMNS)  # fmt: skip


WHY_COLUMNS = ["tie", "type", "spell", "evidence", "kind", "date", "quote", "source"]


def _evidence_columns(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "evidence": item.get("id"),
        "kind": item.get("kind"),
        "date": item.get("date"),
        "quote": item.get("quote"),
        "source": ", ".join(
            str(part)
            for part in (item.get("document_title") or item.get("document"), item.get("location"))
            if part
        ),
    }


@app.command()
def timeline(
    actor: Annotated[str, typer.Argument(help="An actor id.")],
    fmt: FormatOption = Format.table,
) -> None:
    """An actor's ties, memberships, meetings, positions and reform effects, in time order.

    Example: kb timeline p-marie-tremblay
    """
    with open_kb() as base:
        who = base.actor(actor)
        rows = base.timeline(actor)
    emit_rows(rows, fmt, title=f"Timeline of {who['name']} ({actor})")
