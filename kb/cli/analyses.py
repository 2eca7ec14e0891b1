"""kb brokerage / centrality / paths / legitimacy / evolution / consensus."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from kb.cli.base import (
    ByOption,
    FormatOption,
    GroupByOption,
    NullOption,
    PermutationsOption,
    SeedOption,
    app,
    open_kb,
    use_known_at,
)
from kb.cli.render import Format, emit_data, emit_result, emit_rows, message
from kb.cli.selection import SELECTED, KnownAtOption, selection_options
from kb.measures.brokerage import ROLES
from kb.presentation.numbers import p_value
from kb.results import Rows

if TYPE_CHECKING:
    from kb.analyses.selection import Selection

# Short table headers, so that the brokers' table fits 80 columns.
ROLE_HEADERS = {
    "roles_coordinator_raw": "coord",
    "roles_itinerant_raw": "itin",
    "roles_representative_raw": "repr",
    "roles_gatekeeper_raw": "gate",
    "roles_liaison_raw": "liais",
    "roles_total_raw": "total",
    "roles_total_z": "z total",
}


def tested(rows: list[dict[str, Any]], draws: int | None = None) -> list[dict[str, Any]]:
    """Records with a null-model test for a table: ``p_greater`` / ``p_less`` printed as
    ``p>=`` / ``p<=`` with the number of draws (the record's ``draws``, else ``draws``;
    `p_value`)."""
    shown = []
    for row in rows:
        draws = row.get("draws", draws)
        p = {k: row[k] for k in ("p_greater", "p_less") if k in row}
        shown.append(
            {k: v for k, v in row.items() if k not in p}
            | ({"p>=": p_value(p["p_greater"], draws=draws)} if "p_greater" in p else {})
            | ({"p<=": p_value(p["p_less"], draws=draws)} if "p_less" in p else {})
        )
    return shown


# -- kb brokerage -----------------------------------------------------------------------------
@app.command()
@selection_options()
def brokerage(
    group_by: GroupByOption = "sector",
    selection: Selection = SELECTED,
    by: ByOption = None,
    top: Annotated[int, typer.Option(help="Actors shown in the table (json/csv: all).")] = 20,
    permutations: PermutationsOption = 0,
    seed: SeedOption = None,
    null: NullOption = "labels",
    fmt: FormatOption = Format.table,
) -> None:
    """Gould & Fernandez brokerage roles per actor, with sna's expected values and z-scores.

    With --permutations N each role gets p-values against a null model (--null labels:
    groups shuffled over the actors, per actor too; cug-edges: random graphs with as many
    arcs), exact when there are few distinct draws.

    Roles of b brokering a->b->c (no a->c): coordinator (all one group), itinerant (a, c
    share a group b is not in), representative (a, b together), gatekeeper (b, c together),
    liaison (all differ). See docs/analyses.md.

    Example: kb brokerage --group-by sector --at 2016-06-01 --permutations 1000 --seed 1
    """
    options: dict[str, Any] = {
        "group_by": group_by,
        "permutations": permutations,
        "seed": seed,
        "null": null,
    }
    with open_kb() as base:
        found = (
            base.brokerage_by(selection, by=by, **options)
            if by
            else base.brokerage(selection, **options)
        )
    if fmt is not Format.table:
        emit_data(found, fmt)
        return
    for result in found.rows if isinstance(found, Rows) else [found]:
        label = (f" at {result.at}" if result.at else "") + selection.words()
        label = label or " (all ties)"
        draws = (result.test or {}).get("draws")
        emit_rows(
            tested(result.network_records(), draws),
            fmt,
            title=f"Brokerage by {group_by}{label}: network",
        )
        if result.test:
            message(f"p-values{label}: {result.test['description']}.")
        shown = [a for a in result.records()[:top] if a["roles_total_raw"]]
        emit_rows(
            shown,
            fmt,
            title=f"Top brokers{label} (coord: coordinator, itin: itinerant, repr: "
            "representative, gate: gatekeeper, liais: liaison)",
            columns=[
                "id",
                "name",
                "group",
                *(f"roles_{role}_raw" for role in ROLES),
                "roles_total_z",
            ],
            headers=ROLE_HEADERS,
            drop_first=["group"],
        )


# -- kb centrality ----------------------------------------------------------------------------
@app.command()
@selection_options()
def centrality(
    selection: Selection = SELECTED,
    weight: Annotated[
        str | None,
        typer.Option(
            "--weight",
            help="Tie property holding tie strength, for Burt's measures (betweenness stays "
            "binary). A tie without it counts 1.",
        ),
    ] = None,
    combine: Annotated[
        str,
        typer.Option(
            "--combine",
            help="How the weights of several ties between two actors (spells of one tie, "
            "ties of several types) combine: sum or max.",
        ),
    ] = "sum",
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help="Betweenness: directed (ordered pairs), undirected (unordered pairs) or "
            "auto (undirected when every selected tie is).",
        ),
    ] = "auto",
    top: Annotated[int, typer.Option(help="Actors shown in the table (json/csv: all).")] = 20,
    permutations: PermutationsOption = 0,
    seed: SeedOption = None,
    null: NullOption = "cug-edges",
    fmt: FormatOption = Format.table,
) -> None:
    """Degree, betweenness (raw and normalised), Burt's constraint and effective size.

    Betweenness follows the textbook for the data: when every selected tie is undirected it
    counts each pair of actors once (as UCINET, igraph and networkx do for undirected data),
    otherwise each ordered pair (directed and mixed networks); the title says which. The
    network's degree and betweenness centralisation (Freeman) are printed too; with
    --permutations N, against uniform random graphs with as many arcs (cug-edges).

    Example: kb centrality --at 2017 --weight weight --permutations 500 --seed 1
    """
    with open_kb() as base:
        result = base.centrality(
            selection,
            weight=weight,
            combine=combine,
            mode=mode,
            permutations=permutations,
            seed=seed,
            null=null,
        )
    columns = [
        "id",
        "name",
        "degree",
        "betweenness",
        "betweenness_normalized",
        "constraint",
        "effective_size",
    ]
    pairs = "ordered pairs" if result.mode == "directed" else "each pair once"
    emit_result(
        result,
        fmt,
        result.records()[:top],
        title=f"Centrality (betweenness {result.mode}: {pairs}){selection.words()}",
        columns=columns,
        headers={"betweenness_normalized": "normalized", "effective_size": "eff. size"},
    )
    if fmt is Format.table:
        emit_rows(
            tested(result.centralization_records(), (result.test or {}).get("draws")),
            fmt,
            title="Centralisation (Freeman)",
            columns=["measure", "value", *(["mean", "p>=", "p<="] if result.test else [])],
            headers={"mean": "null mean"},
        )
        if result.test:
            message(f"p-values: {result.test['description']}.")


# -- kb paths / legitimacy ----------------------------------------------------------------------
@app.command()
@selection_options(between=True)
def paths(
    source: Annotated[str, typer.Argument(metavar="FROM", help="Source actor: id or name.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="Target actor: id or name.")],
    selection: Selection = SELECTED,
    max_hops: Annotated[
        int, typer.Option("--max-hops", help="Longest path: 1-12 (1-100 time-respecting).")
    ] = 6,
    time_respecting: Annotated[
        bool,
        typer.Option(
            "--time-respecting",
            help="Each next tie starts no earlier than "
            "the previous one was used, and is active when used.",
        ),
    ] = False,
    evidence: Annotated[bool, typer.Option("--evidence", help="Show each tie's evidence.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Shortest paths from one actor to another along ties (following direction).

    Example: kb paths p-kdiallo ciusss-cn --between 2015 2018 --time-respecting --evidence
    """
    with open_kb() as base:
        result = base.paths(
            source,
            target,
            selection,
            max_hops=max_hops,
            time_respecting=time_respecting,
            evidence=evidence,
        )
    rows = [
        {
            "path": path["path"],
            "hops": path["hops"],
            "step": f"{path['actors'][step]} -> {path['actors'][step + 1]}",
            "tie": tie["id"],
            "type": tie["type"],
            "start": tie.get("start"),
            "end": tie.get("end"),
            **({"evidence": _evidence_lines(tie)} if evidence else {}),
        }
        for path in result.paths
        for step, tie in enumerate(path["ties"])
    ]
    if not rows and fmt is Format.table:
        message(
            f"No path from {source} to {target} within {max_hops} hops"
            f"{' (time-respecting)' if time_respecting else ''}{selection.words()}."
        )
        return
    emit_result(
        result,
        fmt,
        rows,
        title=f"Paths {source} -> {target}{selection.words()}",
        columns=list(rows[0]) if rows else ["path"],
        keep=["evidence"],  # asked for: a block per step rather than a table without it
    )


def _evidence_lines(tie: dict[str, Any]) -> str:
    """A tie's evidence for a table cell: one line per item (tables may wrap; CSV holds
    the ids)."""
    return "\n".join(
        f"{e['id']} ({e['kind']}, {e.get('date') or 'n.d.'}): {e.get('quote') or ''}"
        for e in tie.get("evidence", [])
    )


@app.command()
@selection_options()
def legitimacy(
    from_group: Annotated[str, typer.Option("--from", help="Source group, e.g. community.")],
    to_group: Annotated[str, typer.Option("--to", help="Target group, e.g. public.")],
    group_by: GroupByOption = "sector",
    by: ByOption = None,
    selection: Selection = SELECTED,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Only this source actor (id or name), with its paths."),
    ] = None,
    max_hops: Annotated[int, typer.Option("--max-hops", help="Longest path (1-100).")] = 6,
    brokers: Annotated[
        int,
        typer.Option(
            "--brokers", min=0, help="Brokers listed per source, by dependency; 0 lists all."
        ),
    ] = 5,
    fmt: FormatOption = Format.table,
) -> None:
    """How actors of one group reach actors of another (community -> public decision makers).

    Per source actor and period: targets reached, hops, and the brokers on the shortest
    paths (how many, and the --brokers with the highest dependency). With --source: that
    actor's reachable targets, each with a shortest path (the network is cached until the
    database changes, so further --source questions answer at once).

    Example: kb legitimacy --from community --to public --by stage
    """
    words = selection.words()
    with open_kb() as base:
        if source:
            reach = base.legitimacy_of_source(
                source, selection, to_group=to_group, group_by=group_by, max_hops=max_hops
            )
            rows = [{**r, "path": " -> ".join(r["actors"]), "ties": r["ties"]} for r in reach]
            emit_result(
                reach,
                fmt,
                rows,
                title=f"{source} reaches {to_group}{words}",
                columns=["target", "target_name", "hops", "path", "ties"],
            )
            return
        found = base.legitimacy(
            selection,
            from_group=from_group,
            to_group=to_group,
            group_by=group_by,
            by=by,
            max_hops=max_hops,
            brokers=brokers or None,
        )
    rows = [
        {**r, "brokers": [f"{b['id']} ({b['dependency']:.3g})" for b in r["brokers"]]}
        for r in found
    ]
    emit_result(
        found,
        fmt,
        rows,
        title=f"Legitimacy: {from_group} -> {to_group}{words}",
        columns=[
            "period",
            "source",
            "source_name",
            "has_ties",
            "reached",
            "min_hops",
            "mean_hops",
            "brokers_total",
            "brokers",
        ],
    )


# -- kb evolution / consensus ---------------------------------------------------------------------
@app.command()
@selection_options(at=False)
def evolution(
    by: Annotated[str, typer.Option("--by", help="stage, year or quarter.")] = "stage",
    group_by: GroupByOption = "sector",
    selection: Selection = SELECTED,
    permutations: PermutationsOption = 0,
    seed: SeedOption = None,
    null: NullOption = "labels",
    fmt: FormatOption = Format.table,
) -> None:
    """Per period: actors, ties, density, components, ties within/between groups, E-I index,
    ties formed and dissolved since the previous period.

    With --permutations N, the E-I index and the densities within and between groups of
    each period are tested against a null model (--null labels or cug-edges).

    Example: kb evolution --by year --group-by sector --permutations 1000 --seed 1
    """
    with open_kb() as base:
        result = base.evolution(
            selection,
            by=by,
            group_by=group_by,
            permutations=permutations,
            seed=seed,
            null=null,
        )
    emit_result(
        result,
        fmt,
        title=f"Evolution by {by}{selection.words()}",
        columns=[
            "period",
            "actors",
            "pairs",
            "arcs",
            "density",
            "components",
            "within_pairs",
            "between_pairs",
            "ei_index",
            "formed",
            "dissolved",
        ],
        headers={"within_pairs": "within", "between_pairs": "between", "ei_index": "E-I"},
        drop_first=["arcs", "components", "within_pairs", "between_pairs"],
    )
    if permutations and fmt is Format.table:
        emit_rows(
            tested(result.test_records()),
            fmt,
            title=f"Null-model tests ({null})",
            columns=["period", "statistic", "observed", "mean", "p>=", "p<="],
            headers={"mean": "null mean"},
        )
        methods = sorted({row["description"] for row in result.test_records()})
        for method in methods:
            message(f"p-values: {method}.")


@app.command()
def consensus(
    by: ByOption = None,
    group_by: GroupByOption = "sector",
    known_at: KnownAtOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Per problem (and period): actors with positions, share agreeing and its change, and
    co-attendance at meetings where the problem was discussed.

    Example: kb consensus --by stage
    """
    use_known_at(known_at)
    with open_kb() as base:
        result = base.consensus(by=by, group_by=group_by)
    emit_result(
        result,
        fmt,
        title="Consensus on problems",
        columns=[
            "problem",
            "period",
            "actors",
            "agree",
            "disagree",
            "neutral",
            "share_agree",
            "change",
            "meetings",
            "co_attending_pairs",
        ],
    )


# -- kb robustness ----------------------------------------------------------------------------
FINDING_WORDS = {
    "top_broker": "top broker",
    "top_betweenness": "top betweenness",
    "reaches": "reaches {to}",
}


@app.command()
@selection_options()
def robustness(
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="What the pooled results are compared across: coder (each coder's ties).",
        ),
    ] = "coder",
    group_by: GroupByOption = "sector",
    from_group: Annotated[
        str, typer.Option("--from", help="Legitimacy's source group.")
    ] = "community",
    to_group: Annotated[str, typer.Option("--to", help="Legitimacy's target group.")] = "public",
    max_hops: Annotated[int, typer.Option("--max-hops", help="Longest path (1-100).")] = 6,
    selection: Selection = SELECTED,
    fmt: FormatOption = Format.table,
) -> None:
    """Do the findings depend on who coded? Each coder's brokerage, betweenness and
    legitimacy paths beside the pooled ones (docs/analyses.md#robustness-by-coder).

    Per coder: ties and actors of the ties their evidence supports, Spearman's rho of the
    actors' brokerage and betweenness with the pooled scores, how many of their top 5
    brokers are in the pooled top 5; then each headline finding (the top broker, the top
    betweenness, each --from actor reaching --to) and whether it holds for every coder.
    --coder limits the coders compared.

    Example: kb robustness --by coder --from community --to public
    """
    from kb.errors import ParameterError

    if by != "coder":
        raise ParameterError("by", by, "give coder (the report compares triangulated ties).")
    with open_kb() as base:
        result = base.robustness_by_coder(
            selection,
            group_by=group_by,
            from_group=from_group,
            to_group=to_group,
            max_hops=max_hops,
        )
    if fmt is not Format.table:
        emit_data(result, fmt)
        return
    pooled = result.pooled
    rows = [
        {
            "coder": "(pooled)",
            "ties": pooled["ties"],
            "actors": pooled["actors"],
            "top": [b["id"] for b in pooled["top"]],
        }
    ] + [
        {
            **row,
            "brokerage_rho": _rho(row["brokerage_rho"]),
            "betweenness_rho": _rho(row["betweenness_rho"]),
            "top": [b["id"] for b in row["top"]],
        }
        for row in result.coders
    ]
    emit_rows(
        rows,
        fmt,
        title=f"Robustness by coder{selection.words()}",
        columns=[
            "coder",
            "ties",
            "actors",
            "brokerage_rho",
            "betweenness_rho",
            "top_shared",
            "reaching",
            "top",
        ],
        headers={
            "brokerage_rho": "rho brok",
            "betweenness_rho": "rho betw",
            "top_shared": "top 5 shared",
        },
        drop_first=["top"],
    )
    for row in result.coders:
        for measure in ("brokerage", "betweenness"):
            if row[f"{measure}_problem"]:
                message(f"{row['coder']}: no rho of {measure}: {row[f'{measure}_problem']}.")
    coders = [row["coder"] for row in result.coders]
    findings = [
        {
            "finding": FINDING_WORDS[f["finding"]].format(to=result.to_group),
            "actor": f["subject"],
            **{c: _holds(f["holds"][c]) for c in coders},
            "every coder": "yes" if f["every_coder"] else "no",
        }
        for f in result.findings
    ]
    emit_rows(
        findings,
        fmt,
        title="Headline findings: do they hold for every coder?",
        columns=["finding", "actor", *coders, "every coder"],
    )


def _rho(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _holds(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "n/a"}[value]
