"""kb search (full-text over the evidence), kb evidence coverage, and inter-coder agreement
(kb evidence agreement, disagreements, settle)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kb.cli.base import FormatOption, app, open_kb, use_known_at
from kb.cli.render import Format, emit_data, emit_result, emit_rows, message
from kb.cli.selection import KnownAtOption, selection_options

if TYPE_CHECKING:
    from kb.analyses.selection import Selection

evidence_app = typer.Typer(
    no_args_is_help=True, help="How well the ties are evidenced (docs/qda.md)."
)
app.add_typer(evidence_app, name="evidence")

FILTERS = "Filters"


@app.command()
def search(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="WORDS...",
            help="Words to find (several words: any of them); '\"a phrase\"' in double "
            "quotes, AND / OR / NOT, équip* (Lucene syntax); at most 1,024 words. Accents "
            "and case do not matter.",
        ),
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="Evidence kinds, comma-separated: interview, observation, document, other.",
            rich_help_panel=FILTERS,
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            help="Only items mentioning this actor (id or name) or supporting its ties, "
            "memberships, meetings or positions.",
            rich_help_panel=FILTERS,
        ),
    ] = None,
    coder: Annotated[
        str | None,
        typer.Option("--coder", help="Only items of this coder.", rich_help_panel=FILTERS),
    ] = None,
    between: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--between",
            help="Only items dated in this period: two dates (YYYY, YYYY-MM or YYYY-MM-DD).",
            rich_help_panel=FILTERS,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="How many items at most (1 to 10,000).")
    ] = 20,
    known_at: KnownAtOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Find evidence: full-text search over quotes, notes and document titles, best first.

    Each item shows the ties, actors, meetings and positions it supports.

    Example: kb search comité conjoint --kind interview --between 2016 2017
    """
    use_known_at(known_at)
    with open_kb() as base:
        hits = base.search(
            words, kinds=kind, actor=actor, coder=coder, between_dates=between, limit=limit
        )
    rows = [
        {
            "evidence": hit["id"],
            "score": round(hit["score"], 3),
            "kind": hit["kind"],
            "date": hit["date"],
            "coder": hit["coder"],
            "quote": hit["quote"] or hit["note"],
            "source": ", ".join(p for p in (hit["document_title"], hit["location"]) if p),
            "supports": _supports(hit),
        }
        for hit in hits
    ]
    emit_result(
        hits, fmt, rows, title=f"Evidence matching {' '.join(words)}", columns=list(SEARCH_COLUMNS)
    )


SEARCH_COLUMNS = ("evidence", "score", "kind", "date", "coder", "quote", "source", "supports")


def _supports(hit: dict[str, Any]) -> str:
    lines = [f"tie {t['id']} {t['type']}: {t['source']} – {t['target']}" for t in hit["ties"]]
    lines += [f"membership {m['source']} in {m['target']}" for m in hit["memberships"]]
    lines += [f"meeting {m['target']} ({m['source']})" for m in hit["meetings"]]
    lines += [f"position of {p['source']} on {p['target']}" for p in hit["positions"]]
    if hit["actors"]:
        lines.append("mentions " + ", ".join(a["id"] for a in hit["actors"]))
    return "\n".join(lines)


@evidence_app.command("coverage")
@selection_options(evidence=False)
def coverage(selection: Selection, fmt: FormatOption = Format.table) -> None:
    """Per tie, how many evidence items of which kinds, sources and coders support it.

    Ties without any evidence are listed first. A tie is triangulated when two or more of
    interview, observation and document evidence support it. Summaries per tie type and
    per stage follow (on stderr for tables; in the JSON output).

    Example: kb evidence coverage --types COLLABORATION --format csv
    """
    with open_kb() as base:
        report = base.evidence_coverage(selection)
    if fmt is not Format.table:
        emit_data(report, fmt)
        return
    rows = [
        {
            **tie,
            "kinds": ", ".join(tie["kinds"]),
            "spell": f"{tie['start'] or '…'} to {tie['end'] or '…'}",
        }
        for tie in report.records()
    ]
    columns = [
        "tie",
        "type",
        "source",
        "target",
        "spell",
        "evidence_count",
        "kinds",
        "sources",
        "coders",
        "triangulated",
    ]
    emit_rows(
        rows,
        fmt,
        title="Evidence behind each tie",
        columns=columns,
        headers={"evidence_count": "evidence"},
        drop_first=["coders", "sources", "spell"],  # keep what --triangulated selects on
    )
    total = report.total
    message(
        f"{total['ties']} ties: {total['no_evidence']} without evidence, "
        f"{total['single_item']} on one item only, {total['triangulated']} "
        "triangulated."
    )
    emit_rows(report.type_records(), fmt, title="Per tie type")
    if report.by_stage:
        emit_rows(
            report.stage_records(),
            fmt,
            title="Per stage (a tie counts in every stage its spell overlaps)",
        )


# --- inter-coder agreement: kb evidence agreement, disagreements, settle ---------------

CODERS = "Coders"

CodersOption = Annotated[
    str | None,
    typer.Option(
        "--coders",
        help="The coders to compare, comma-separated (names or aliases; default: every coder).",
        rich_help_panel=CODERS,
    ),
]
AliasOption = Annotated[
    list[str] | None,
    typer.Option(
        "--coder-alias",
        help='One coder under another name: --coder-alias "JL=Julie Lavallée" (repeatable).',
        rich_help_panel=CODERS,
    ),
]
AliasFileOption = Annotated[
    Path | None,
    typer.Option(
        "--coder-aliases",
        help="A file of coder aliases: a CSV with columns alias and coder, or lines ALIAS=NAME.",
        rich_help_panel=CODERS,
    ),
]
TypesOption = Annotated[
    str | None,
    typer.Option("--types", help="Tie types to include, comma-separated (default: all)."),
]


def _aliases(pairs: list[str] | None, file: Path | None) -> Any:
    from kb.coders import CoderAliases

    return CoderAliases.of(pairs or (), file=file)


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def _types(text: str | None) -> list[str] | None:
    from kb.analyses.selection import parse_types

    found = parse_types(text)
    return list(found) if found else None


@evidence_app.command("agreement")
def agreement(
    coders: CodersOption = None,
    types: TypesOption = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help="Also per tie type, source document or stage: type, source or stage."
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Seed of the bootstrap interval of alpha (repeatable runs)."),
    ] = None,
    coder_alias: AliasOption = None,
    coder_aliases: AliasFileOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Inter-coder agreement on ties: did the coders see the same tie, of the same type, in
    the same source?

    A unit is (source document, actor pair, tie type) for every triple some coder coded in
    that source. A coder's value is 1 if they coded it there, 0 if they coded that source but
    not that tie, missing if they did not code the source. Reports Krippendorff's alpha
    (nominal, any number of coders, missing values) with a 95% bootstrap interval, and per
    pair of coders Cohen's kappa and percent agreement, with the number of units. Units
    settled with kb evidence settle are counted apart; the raw agreement does not change.

    Example: kb evidence agreement --by type --seed 1
    """
    with open_kb() as base:
        result = base.agreement(
            coders=_names(coders),
            types=_types(types),
            by=by,  # type: ignore[arg-type]  # checked by the library
            seed=seed,
            aliases=_aliases(coder_alias, coder_aliases),
        )
    for warning in result.warnings:
        message(f"Warning: {warning}", style="yellow")
    if fmt is not Format.table:
        emit_data(result, fmt)
        return
    rows = [_table_row(row) for row in result.rows]
    emit_rows(
        rows,
        fmt,
        title=f"Agreement on ties ({len(result.coders)} coders: {', '.join(result.coders)})",
        columns=["group", "coders", "units", "percent", "kappa", "alpha", "ci"],
        headers={"ci": "alpha 95% CI"},
    )
    for reason in dict.fromkeys(r["undefined"] for r in result.rows if r["undefined"]):
        message(f"n/a: {reason}.")
    message(
        f"{result.units} unit(s), {result.double_coded} coded by two coders or more, "
        f"{result.disagreements} with coders differing; "
        f"{result.settled} settled apart ({result.kept} kept, {result.dropped} dropped), "
        "not counted in the raw agreement above."
    )


def _table_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row for the table: n/a where a statistic is undefined (the reason follows)."""
    shown = dict(row)
    if row["coders"] == "all coders":
        if row["alpha"] is None:
            shown["alpha"] = "n/a"
    elif row["kappa"] is None:
        shown["kappa"] = "n/a"
    low, high = row["alpha_low"], row["alpha_high"]
    shown["ci"] = f"{low:.2f}–{high:.2f}" if low is not None else None
    return shown


@evidence_app.command("disagreements")
def disagreements(
    coders: CodersOption = None,
    types: TypesOption = None,
    unsettled: Annotated[
        bool, typer.Option("--unsettled", help="Only the units not settled yet.")
    ] = False,
    coder_alias: AliasOption = None,
    coder_aliases: AliasFileOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Each unit where coders differ (one coded the tie in a source, another coded the
    source but not the tie), with each coder's quotes, for the team to settle.

    Example: kb evidence disagreements --unsettled
    """
    with open_kb() as base:
        result = base.disagreements(
            coders=_names(coders),
            types=_types(types),
            aliases=_aliases(coder_alias, coder_aliases),
            settled=False if unsettled else None,
        )
    if fmt is not Format.table:
        emit_data(result, fmt)
        return
    rows = [
        {
            "unit": row["unit"],
            "tie": f"{row['actors'][0]} – {row['actors'][1]} {row['type']}",
            "source": row["source_title"] or row["source"],
            "coded by": ", ".join(row["coded_by"]),
            "not by": ", ".join(row["not_coded_by"]),
            "quotes": "\n".join(f"{q['coder']}: {q['text'] or q['id']}" for q in row["quotes"]),
            "settled": f"{row['settled']}: {row['why']}" if row["settled"] else None,
        }
        for row in result.rows
    ]
    emit_rows(
        rows,
        fmt,
        title="Units where coders differ",
        drop_first=["source", "settled"],
        keep=["unit", "quotes"],
    )
    if rows:
        message('Settle one: kb evidence settle UNIT --keep|--drop --why "…"')


@evidence_app.command("settle")
def settle(
    unit: Annotated[str, typer.Argument(help="The unit id (kb evidence disagreements).")],
    why: Annotated[str, typer.Option("--why", help="Why, as the team decided.")],
    keep: Annotated[
        bool | None,
        typer.Option("--keep/--drop", help="Keep the tie in that source, or drop it."),
    ] = None,
    coder_alias: AliasOption = None,
    coder_aliases: AliasFileOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Record how the team settled a unit where coders differ. The decision is kept apart:
    kb evidence agreement reports settled units separately and its raw agreement does not
    change. Settling a unit again replaces the decision.

    Example: kb evidence settle u-1a2b3c4d5e --keep --why "Both read the passage as a tie."
    """
    if keep is None:
        raise typer.BadParameter("give --keep or --drop.", param_hint="--keep/--drop")
    with open_kb() as base:
        done = base.settle(unit, keep=keep, why=why, aliases=_aliases(coder_alias, coder_aliases))
    if fmt is not Format.table:
        emit_data(done, fmt)
        return
    replaced = f" (was: {done['previous']})" if done["previous"] else ""
    message(f"Unit {done['unit']} settled: {done['decision']}{replaced}.")
