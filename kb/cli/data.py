"""kb import / add / link / end-tie (the write side) and kb why / timeline (provenance)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kb import errors
from kb.cli import render
from kb.cli.base import FormatOption, app, open_kb, use_known_at
from kb.cli.render import Format, emit_data, emit_mapping, emit_result, emit_rows, message
from kb.cli.selection import AtOption, KnownAtOption
from kb.model import ACTOR_KINDS, TABLES_BY_NAME, Column, Table
from kb.results import Records

if TYPE_CHECKING:
    from kb.coders import CoderAliases
    from kb.imports.qda import QdaReport

# -- the write side: import, add, link, end-tie ---------------------------------------------
add_app = typer.Typer(
    no_args_is_help=True,
    help="Add or update one item as fieldwork comes in, validated exactly like an import.",
)
app.add_typer(add_app, name="add")


@app.command("import")
def import_(
    path: Annotated[
        Path,
        typer.Argument(
            help="A folder of CSV files, an .xlsx workbook, a .json file, one CSV table, or "
            "a REFI-QDA project (.qdpx)."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate only; write nothing.")
    ] = False,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="(.qdpx) CSV mapping other codes to kb: columns code and actor or tie_type.",
        ),
    ] = None,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="(.qdpx) Remove evidence, mentions and tie links of earlier imports of the "
            "project that it no longer codes.",
        ),
    ] = False,
    proposed: Annotated[
        Path | None,
        typer.Option(
            "--proposed",
            help="(.qdpx) Where to write the ties the passages name but kb lacks "
            "(default: proposed-ties.csv beside the project).",
        ),
    ] = None,
    coder_alias: Annotated[
        list[str] | None,
        typer.Option(
            "--coder-alias",
            help='Write a coder under another name: --coder-alias "JL=Julie Lavallée" '
            "(repeatable).",
        ),
    ] = None,
    coder_aliases: Annotated[
        Path | None,
        typer.Option(
            "--coder-aliases",
            help="A file of coder aliases: a CSV with columns alias and coder, or lines "
            "ALIAS=NAME.",
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Validate a data set in the import format, then write it (docs/data-format.md).

    Every problem is reported as file:row:column: message, with exit code 5, and nothing
    is written. Re-importing the same data changes nothing; more data adds only what is new.

    A .qdpx project exported by a QDA program (NVivo, ATLAS.ti, MAXQDA, QualCoder, ...) is
    read under kb's coding convention (docs/qda.md): its coded passages become evidence.

    Example: kb import examples/quebec-wg
    """
    from kb.coders import CoderAliases

    with open_kb() as base, render.progress_bar() as bar:
        tasks: dict[str, Any] = {}

        def advance(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total)
            bar.advance(tasks[table], done)

        report = base.import_data(
            path,
            dry_run=dry_run,
            mapping=mapping,
            prune=prune,
            proposed=proposed,
            progress=advance,
            coder_aliases=CoderAliases.of(coder_alias or (), file=coder_aliases),
        )
    from kb.imports.writer import ImportReport

    if not isinstance(report, ImportReport):
        _project_report(report, fmt)
        return
    for warning in report.warnings:
        message(f"Warning: {warning}", style="yellow")
    title = f"{'Dry run, nothing written' if dry_run else 'Imported'}: {report.source}"
    columns = ["table", "rows"] if dry_run else None
    _emit_import(report.summary(), asdict(report), fmt, title=title, columns=columns)


def _emit_import(
    summary: list[dict[str, Any]],
    report: dict[str, Any],
    fmt: Format,
    *,
    title: str,
    columns: list[str] | None,
) -> None:
    """The per-table summary as a table or CSV; JSON is the whole report with it."""
    if fmt is Format.table:
        emit_rows(summary, fmt, title=title, columns=columns)
    else:
        emit_data({**report, "summary": summary}, fmt, Records(key="summary"))


def _project_report(report: QdaReport, fmt: Format) -> None:
    for warning in report.warnings:
        message(f"Warning: {warning}", style="yellow")
    message(
        f"{report.passages} coded passage(s): {report.evidence} evidence item(s), "
        f"{report.without_actor} naming no actor (left out)."
    )
    for name, count in report.skipped_media.items():
        message(
            f"Warning: {count} coding(s) on {name!r} (picture, audio or video) left out.",
            style="yellow",
        )
    if report.lone_tie_codes:
        message(
            f"Warning: {report.lone_tie_codes} passage(s) carry a tie type but name fewer "
            "than two actors; the tie type is left out.",
            style="yellow",
        )
    if report.unmatched:
        message(f"{len(report.unmatched)} code(s) match no kb actor or tie type:")
        for code in report.unmatched:
            message(f"  {code['code']} ({code['passages']} passage(s))")
    if report.proposed:
        message(
            f"{len(report.proposed)} tie(s) named in passages are not in kb; "
            + (
                f"the import writes them to {report.proposed_file} for review."
                if report.dry_run
                else f"review them in {report.proposed_file} and import it "
                f"(kb import {report.proposed_file})."
            )
        )
    if report.proposed_kept:
        message(
            f"{report.proposed_kept} row(s) of {report.proposed_file} that you edited or added "
            "are kept as they were."
        )
    gone = report.disappeared
    if any(gone.values()):
        counts = ", ".join(f"{len(v)} {k}" for k, v in gone.items() if v)
        verb = "removed" if report.pruned else "kept (remove them with --prune)"
        message(f"No longer coded in the project: {counts}; {verb}.", style="yellow")
    title = (
        f"{'Dry run, nothing written' if report.dry_run else 'Imported'}: {report.source}"
        f" ({report.project})"
    )
    columns = ["table", "rows"] if report.dry_run else None
    _emit_import(report.summary(), asdict(report), fmt, title=title, columns=columns)


def _column_help(column: Column) -> str:
    kinds = {
        "date": "date: YYYY, YYYY-MM or YYYY-MM-DD",
        "bool": "true or false",
        "float": "a number > 0",
        "code": "upper-case code, e.g. COLLABORATION",
        "enum": "one of " + ", ".join(column.choices),
    }
    if column.type == "idlist":
        return f"{(column.ref or '').lower()} ids separated by ;"
    if column.ref in ACTOR_KINDS:
        return f"{column.ref.lower()} id or name"
    if column.ref:
        return f"{column.ref.lower()} id"
    return kinds.get(column.type, "text")


def _coder_aliases(pairs: list[str] | None) -> CoderAliases | None:
    """The ``--coder-alias`` pairs of ``kb add evidence`` (None without any)."""
    from kb.coders import CoderAliases

    return CoderAliases.of(pairs) if pairs else None


def _add_command(spec: Table, noun: str) -> Callable[..., None]:
    """A `kb add NOUN` command whose options are the columns of the import table."""

    def command(**values: Any) -> None:
        fmt = values.pop("fmt")
        clear = values.pop("clear") or []
        replace = values.pop("replace")
        extra: dict[str, str] = {}
        for assignment in values.pop("extra") or []:
            key, sep, value = assignment.partition("=")
            if not sep or not key.strip():
                raise errors.ValidationError(f"--prop {assignment!r}: expected KEY=VALUE.")
            extra[key.strip()] = value
        aliases = values.pop("coder_alias", None)
        row = {name: value for name, value in values.items() if value is not None}
        with open_kb() as base:
            result = base.add(
                spec.name,
                row,
                extra=extra,
                clear=clear,
                replace=replace,
                coder_aliases=_coder_aliases(aliases),
            )
        for warning in result["warnings"]:
            message(f"Warning: {warning}", style="yellow")
        if fmt is not Format.table:  # CSV: one row per change (or one row, none changed)
            emit_data(result, fmt, Records(explode="changes", prefix="change"))
            return
        message(f"{result['outcome'].capitalize()} {noun} {result['id']}.")
        for change in result["changes"]:
            if change["field"] == "id":
                continue  # in the line above
            message(
                f"  {change['field']}: {change['old'] or '(none)'} -> {change['new'] or '(none)'}"
            )

    parameters = [
        inspect.Parameter(
            column.name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[
                str | None,
                typer.Option(
                    f"--{column.name.replace('_', '-')}",
                    help=_column_help(column)
                    + (" (required for a new one)" if column.required else ""),
                ),
            ],
            default=None,
        )
        for column in spec.columns
    ]
    if spec.column("coder") is not None:  # evidence: coders named as the import names them
        parameters.append(
            inspect.Parameter(
                "coder_alias",
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[
                    list[str] | None,
                    typer.Option(
                        "--coder-alias",
                        metavar="ALIAS=NAME",
                        help='Write --coder under another name: --coder-alias "JL=Julie '
                        'Lavallée" (repeatable), as kb import does.',
                    ),
                ],
                default=None,
            )
        )
    parameters += [
        inspect.Parameter(
            "extra",  # the library's name: its errors name it, the CLI shows --prop
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[
                list[str] | None,
                typer.Option(
                    "--prop",
                    help="Extra property KEY=VALUE (repeatable); not a "
                    "column name nor a name kb reserves.",
                ),
            ],
            default=None,
        ),
        inspect.Parameter(
            "clear",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[
                list[str] | None,
                typer.Option(
                    "--clear",
                    metavar="FIELD",
                    help="Remove this field or extra property (repeatable).",
                ),
            ],
            default=None,
        ),
        inspect.Parameter(
            "replace",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[
                bool,
                typer.Option(
                    "--replace",
                    help="Overwrite the whole record: every field and "
                    "extra property not given is removed (evidence ids are kept).",
                ),
            ],
            default=False,
        ),
        inspect.Parameter(
            "fmt", inspect.Parameter.KEYWORD_ONLY, annotation=FormatOption, default=Format.table
        ),
    ]
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    required = " ".join(f"--{c.name} ..." for c in spec.columns if c.required)
    key = "--id ID" if spec.column("id") is not None else "the fields that make its id"
    command.__doc__ = (
        f"Add one {noun} (a row of {spec.name}.csv), or update the one with the same id.\n\n"
        f"A new {noun} needs {required}. An update ({key}) changes only the fields given "
        "and prints each change (old -> new); --clear FIELD removes one, --replace "
        "overwrites the whole record. Validated like an import. An id starting with - is "
        "written --id=-x.\n\n"
        f"Example: kb add {noun.replace(' ', '-')} {ADD_EXAMPLES[spec.name]}"
    )
    return command


# One example per table, on the example case (examples/quebec-wg): each runs there as
# shown (tests/cli/test_help.py), actors given by id or by name.
ADD_EXAMPLES = {
    "actors": "--id p-nroy --name 'Nathalie Roy' --sector community --territory rls-riviere",
    "organizations": "--id popote-lac --name 'Popote roulante du Lac' "
    "--kind 'community organization' --sector community --territory rls-riviere",
    "ties": "--source 'Louise Simard' --target p-kdiallo --type INFORMATION --start 2019-01",
    "memberships": "--person 'Kadiatou Diallo' --organization wg --role member",
    "meetings": "--id m-2019-01-23 --date 2019-01-23 --title 'Bilan' --territory rls-riviere",
    "attendance": "--meeting m-2015-09-16 --actor 'Louise Simard' --role chair",
    "documents": "--id doc-bilan-2019 --title 'Bilan du groupe de travail' --date 2019-01",
    "evidence": "--id ev-0508 --kind interview --date 2019-01 --document doc-bilan-2019 "
    "--quote 'On a gardé les contacts.' --coder JL",
    "problems": "--id pb-waiting-lists --statement 'Home-care waiting lists grow.'",
    "positions": "--actor 'Louise Simard' --problem pb-transport --stance agree --date 2017-05",
    "reforms": "--id bill-15 --name 'Loi 15 (Santé Québec)' --date 2023-12-09",
    "reform_effects": "--reform bill-10 --organization csss-riviere --effect merged_into "
    "--successor ciusss-cn --date 2015-04-01",
    "stages": "--id follow-up --name 'Follow-up' --start 2019-01",
    "territories": "--id rls-lac --name 'RLS du Lac' --kind rls --parent reg-cn",
    "case": "--id quebec-wg --name 'Groupe de travail de la Rivière'",
}


ADD_COMMANDS = {
    "person": "actors",
    "organization": "organizations",
    "tie": "ties",
    "membership": "memberships",
    "meeting": "meetings",
    "attendance": "attendance",
    "document": "documents",
    "evidence": "evidence",
    "problem": "problems",
    "position": "positions",
    "reform": "reforms",
    "reform-effect": "reform_effects",
    "stage": "stages",
    "territory": "territories",
    "case": "case",
}
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

    Example: kb link ev-0507 --tie t-028
    """
    chosen = {
        k: v
        for k, v in {
            "tie": tie,
            "membership": membership,
            "attendance": attendance,
            "position": position,
        }.items()
        if v
    }
    if len(chosen) != 1:
        raise errors.ValidationError(
            "Give exactly one of --tie, --membership, --attendance or --position."
        )
    ((kind, target),) = chosen.items()
    with open_kb() as base:
        result = base.link_evidence(evidence, kind=kind, target=target)
    if fmt is Format.table:
        message(
            f"Evidence {evidence} now supports {kind} {target} "
            f"({len(result['evidence'])} evidence item(s))."
        )
    else:
        emit_mapping(result, fmt)


@app.command("end-tie")
def end_tie(
    tie: Annotated[str, typer.Argument(help="The tie id.")],
    on: Annotated[str, typer.Option("--on", help="End date: YYYY, YYYY-MM or YYYY-MM-DD.")],
    fmt: FormatOption = Format.table,
) -> None:
    """End a tie's spell on a date (the tie stays in the graph, with its history).

    Example: kb end-tie t-028 --on 2019-03
    """
    with open_kb() as base:
        result = base.end_tie(tie, on=on)
    if fmt is Format.table:
        message(
            f"Tie {result['id']}: {result['start'] or '(before observation)'} to {result['end']}."
        )
    else:
        emit_mapping(result, fmt)


# -- provenance: why, timeline ------------------------------------------------------------------


@app.command()
def why(
    a: Annotated[str, typer.Argument(help="An actor: its id or its name.")],
    b: Annotated[str, typer.Argument(help="Another actor: id or name.")],
    at: AtOption = None,
    known_at: KnownAtOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The ties between two actors, with spells and the evidence behind each.

    Example: kb why 'Louise Simard' p-mgagnon --at 2015-03
    """
    use_known_at(known_at)
    with open_kb() as base:
        ties = base.why(a, b, at=at)
    rows = [
        {
            "tie": tie["tie"],
            "type": tie["type"],
            "between": f"{tie['source']} {'->' if tie['directed'] else '--'} {tie['target']}",
            "start": tie["start"],
            "end": tie["end"],
            **_evidence_columns(item),
        }
        for tie in ties
        for item in (tie["evidence"] or [{}])
    ]
    # The evidence is the point: when a terminal is too narrow for the quotes, each item is
    # a block of its own rather than a table without them.
    emit_result(
        ties, fmt, rows, title=f"Ties between {a} and {b}", columns=WHY_COLUMNS, keep=["quote"]
    )


WHY_COLUMNS = [
    "tie",
    "type",
    "between",
    "start",
    "end",
    "evidence",
    "kind",
    "date",
    "quote",
    "source",
]


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
    actor: Annotated[str, typer.Argument(help="An actor: its id or its name.")],
    known_at: KnownAtOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """An actor's ties, memberships, meetings, positions and reform effects, in time order.

    Example: kb timeline 'Louise Simard'
    """
    use_known_at(known_at)
    with open_kb() as base:
        found = base.timeline(actor)
    who = found.actor
    emit_result(found, fmt, title=f"Timeline of {who['name']} ({who['id']})")
