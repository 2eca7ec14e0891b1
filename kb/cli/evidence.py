"""kb search (full-text over the evidence) and kb evidence coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from kb.cli.base import FormatOption, app, open_kb, use_known_at
from kb.cli.render import Format, emit_data, emit_rows, json_or_rows, message
from kb.cli.selection import KnownAtOption, selection_options
from kb.results import Records

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
    json_or_rows(
        fmt,
        hits,
        rows,
        title=f"Evidence matching {' '.join(words)}",
        columns=list(SEARCH_COLUMNS),
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
        emit_data(report, fmt, Records(key="ties"))
        return
    rows = [
        {
            **tie,
            "kinds": ", ".join(tie["kinds"]),
            "spell": f"{tie['start'] or '…'} to {tie['end'] or '…'}",
        }
        for tie in report["ties"]
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
    total = report["total"]
    message(
        f"{total['ties']} ties: {total['no_evidence']} without evidence, "
        f"{total['single_item']} on one item only, {total['triangulated']} "
        "triangulated."
    )
    emit_rows(report["by_type"], fmt, title="Per tie type")
    if report["by_stage"]:
        emit_rows(
            report["by_stage"],
            fmt,
            title="Per stage (a tie counts in every stage its spell overlaps)",
        )


# kb evidence agreement, disagreements and settle register on evidence_app.
from kb.cli import agreement as _agreement  # noqa: E402,F401
