"""One self-contained HTML page about the case: ``kb report`` (docs/report.md).

The page has no external reference at all: the pictures are inline SVG (from
:mod:`kb.plots`), the CSS is in a ``<style>`` element and nothing needs JavaScript, so it can
be mailed, archived or opened offline. Every piece of text from the data goes through
:func:`html.escape`. The page carries no timestamp: the same data gives the same file.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from string import Template
from typing import TYPE_CHECKING, Any

from kb.analyses.brokerage import TOP_BROKERS
from kb.analyses.network import Network, check_attribute, fetch, parse_types
from kb.errors import ValidationError
from kb.periods import Period, parse_window
from kb.presentation import plots

if TYPE_CHECKING:
    from kb.graph import KnowledgeBase

SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("networks", "Networks by stage"),
    ("brokerage", "Brokerage"),
    ("legitimacy", "Legitimacy paths"),
    ("broken-ties", "Ties broken by reforms"),
    ("evolution", "Evolution"),
    ("consensus", "Consensus"),
)
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total")
DASH = "–"


# -- small HTML helpers -------------------------------------------------------------------------
def text(value: Any) -> str:
    """Escaped text of a value; None as a dash."""
    if value is None or value == "":
        return DASH
    return escape(str(value))


def number(value: Any, digits: int = 2) -> str:
    """A number with ``digits`` decimals (integers as they are); None as a dash."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return text(value)


def percent(value: float | None) -> str:
    return DASH if value is None else f"{100 * value:.0f}%"


class Col:
    """A table column: header, how to get the cell's HTML from a row, numeric or not."""

    def __init__(
        self, header: str, cell: Callable[[Mapping[str, Any]], str], *, numeric: bool = False
    ) -> None:
        self.header = header
        self.cell = cell
        self.numeric = numeric


def col(header: str, key: str, *, digits: int | None = None) -> Col:
    """A column showing ``row[key]``: escaped text, or a number with ``digits`` decimals."""
    if digits is None:
        return Col(header, lambda row: text(row.get(key)))
    return Col(header, lambda row: number(row.get(key), digits), numeric=True)


def table(columns: Sequence[Col], rows: Iterable[Mapping[str, Any]], *, empty: str = "") -> str:
    """An HTML table; ``empty`` (a sentence) when there are no rows."""
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{c.cell(row)}</td>' if c.numeric else f"<td>{c.cell(row)}</td>"
            for c in columns
        )
        body.append(f"<tr>{cells}</tr>")
    if not body:
        return f'<p class="note">{escape(empty or "No rows.")}</p>'
    head = "".join(
        f'<th class="num">{escape(c.header)}</th>' if c.numeric else f"<th>{escape(c.header)}</th>"
        for c in columns
    )
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def note(sentence: str) -> str:
    return f'<p class="note">{escape(sentence)}</p>'


def figure(svg: bytes, caption: str) -> str:
    """An inline SVG picture with an escaped caption."""
    return f"<figure>{plots.inline_svg(svg)}<figcaption>{escape(caption)}</figcaption></figure>"


def _actor(name: Any, actor_id: Any) -> str:
    if name and name != actor_id:
        return f'{text(name)} <span class="id">{text(actor_id)}</span>'
    return text(actor_id)


def _period_label(period: Period) -> str:
    return f"{period.first or '…'} to {period.last or '…'}"


# -- the report ---------------------------------------------------------------------------------
class _Case:
    """What several sections share, fetched once."""

    def __init__(self, base: KnowledgeBase, group_by: str, types: list[str] | None) -> None:
        self.base = base
        self.group_by = group_by
        self.types = types
        self.whole: Network = fetch(base, types=types, group_by=group_by)
        self.stages = plots.stage_list(base)
        self.stage_names = {s.period.label: s.name for s in self.stages}
        self.kinds = plots.actor_kinds(base)
        self.brokerage_all = base.brokerage(group_by=group_by, types=types)
        self.brokerage_by_stage: list[dict[str, Any]] = (
            base.brokerage_by(by="stage", group_by=group_by, types=types) if self.stages else []
        )
        self.reforms: list[dict[str, Any]] = base.reforms()
        self.directed = {t.id: t.directed for t in self.whole.ties}

    def stage_title(self, label: str | None) -> str:
        if label is None:
            return "All time"
        return str(self.stage_names.get(label, label))


def build_report(
    base: KnowledgeBase,
    *,
    group_by: str = "sector",
    from_group: str = "community",
    to_group: str = "public",
    types: str | list[str] | None = None,
    window: str = "12m",
    top: int = TOP_BROKERS,
) -> str:
    """The case report as one HTML page.

    Args:
        base: a :class:`kb.graph.KnowledgeBase`.
        group_by: actor property defining groups (brokerage roles, colours, E-I index).
        from_group: the group whose reach is measured in the legitimacy section.
        to_group: the group it should reach.
        types: tie types to include (all by default).
        window: how long after a reform a tie must end to count as broken by it (``12m``).
        top: brokers to highlight and list per period.

    Raises:
        ValidationError: a malformed ``group_by`` or ``window``, or ``from_group`` /
            ``to_group`` matches no actor while the case has actors.
    """
    check_attribute(group_by)
    parse_window(window)  # before the slow part: a bad window fails fast
    chosen = parse_types(types)
    case = _Case(base, group_by, chosen)
    groups = sorted(set(case.whole.groups.values()))
    for group in (from_group, to_group):
        if case.whole.nodes and group not in groups:
            raise ValidationError(
                f"No actor has {group_by} = {group!r}; the values are: {', '.join(groups)}."
            )
    sections = {
        "overview": _overview(case),
        "networks": _networks(case, top),
        "brokerage": _brokerage(case, top),
        "legitimacy": _legitimacy(case, from_group, to_group, top),
        "broken-ties": _broken_ties(case, window),
        "evolution": _evolution(case),
        "consensus": _consensus(case),
    }
    body = "\n".join(
        f'<section id="{key}">\n<h2>{escape(title)}</h2>\n{sections[key]}\n</section>'
        for key, title in SECTIONS
    )
    nav = " · ".join(f'<a href="#{key}">{escape(title)}</a>' for key, title in SECTIONS)
    selection = (
        f"Groups: {group_by}; legitimacy from {from_group} to {to_group}; tie types: "
        f"{', '.join(chosen) if chosen else 'all'}; broken-tie window: {window}."
    )
    template = Template(files("kb").joinpath("resources/report.html").read_text("utf-8"))
    return template.substitute(
        title="Case report",
        selection=escape(selection),
        nav=nav,
        body=body,
        version=escape(_kb_version()),
    )


def _kb_version() -> str:
    try:
        return version("kb")
    except PackageNotFoundError:  # running from a source tree
        return "unknown"


# -- sections -----------------------------------------------------------------------------------
def _overview(case: _Case) -> str:
    status = case.base.status()
    parts = [
        f"<p>Neo4j {text(status['server_version'])} ({text(status['edition'])}), database "
        f"<code>{text(status['database'])}</code>: {number(status['nodes'])} nodes and "
        f"{number(status['relationships'])} relationships (kb schema version "
        f"{number(status['schema_version'])}).</p>"
    ]
    network = case.whole
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    for node in network.nodes:
        by_group[network.groups[node]][case.kinds.get(node, "person")] += 1
    group_rows = [
        {
            "group": g,
            "persons": c["person"],
            "organizations": c["organization"],
            "actors": c["person"] + c["organization"],
        }
        for g, c in sorted(by_group.items())
    ]
    parts.append(f"<h3>Actors by {text(case.group_by)}</h3>")
    parts.append(
        table(
            [
                col(case.group_by, "group"),
                col("actors", "actors", digits=0),
                col("persons", "persons", digits=0),
                col("organizations", "organizations", digits=0),
            ],
            group_rows,
            empty="The case has no actors.",
        )
    )
    type_counts = Counter((t.type, t.directed) for t in network.ties)
    parts.append("<h3>Ties by type</h3>")
    parts.append(
        table(
            [col("type", "type"), col("direction", "direction"), col("ties", "ties", digits=0)],
            [
                {"type": t, "direction": "directed" if d else "undirected", "ties": n}
                for (t, d), n in sorted(type_counts.items())
            ],
            empty="The case has no ties.",
        )
    )
    parts.append("<h3>Stages</h3>")
    stage_rows = case.base.read("network/stages") if case.stages else []
    parts.append(
        table(
            [
                col("id", "id"),
                col("name", "name"),
                col("start", "start"),
                col("end", "end"),
                col("description", "description"),
            ],
            stage_rows,
            empty="The case has no stages (stages.csv); sections use all time.",
        )
    )
    parts.append("<h3>Reforms</h3>")
    parts.append(
        table(
            [
                col("id", "id"),
                col("name", "name"),
                col("date", "date"),
                Col(
                    "affected organizations",
                    lambda r: text(", ".join(r.get("organizations") or []) or None),
                ),
                col("description", "description"),
            ],
            case.reforms,
            empty="The case has no reforms (reforms.csv).",
        )
    )
    return "\n".join(parts)


def _periods(case: _Case) -> list[Period | None]:
    return [s.period for s in case.stages] or [None]


def _networks(case: _Case, top: int) -> str:
    positions = plots.layout(case.whole)
    colours = plots.group_colours(case.whole.groups)
    parts = [
        note(
            "Each picture shows the ties whose spell overlaps the stage. Colour: "
            f"{case.group_by}; circles are persons, squares organizations; arrows are directed "
            "ties, plain lines undirected ones. The top brokers (Gould–Fernandez total "
            "brokerage in that stage) are drawn larger with a dark outline and labelled with "
            "their rank. Every picture uses the same layout, computed on all ties, so actors "
            "keep their place; grey dots are actors without a tie in the stage."
        )
    ]
    if not case.stages:
        parts.append(note("The case has no stages: one picture of every tie, all time."))
    by_stage = {r["at"]: r for r in case.brokerage_by_stage}
    for period in _periods(case):
        label = period.label if period else None
        shot = plots.snapshot(
            case.base,
            stage=label,
            group_by=case.group_by,
            types=case.types,
            top=top,
            whole=case.whole,
            brokerage=by_stage[label] if label else case.brokerage_all,
        )
        svg = plots.draw_snapshot(
            shot,
            fmt="svg",
            salt=f"report-network-{label or 'all'}",
            positions=positions,
            kinds=case.kinds,
            group_by=case.group_by,
            colours=colours,
            types=case.types,
        )
        heading = case.stage_title(label) + (f" ({_period_label(period)})" if period else "")
        brokers = ", ".join(f"{i + 1}. {b['name'] or b['id']}" for i, b in enumerate(shot.brokers))
        parts.append(f"<h3>{escape(heading)}</h3>")
        parts.append(
            figure(
                svg,
                f"{len(shot.actors_with_ties)} actors with ties. Top brokers: {brokers or 'none'}.",
            )
        )
    return "\n".join(parts)


def _brokerage(case: _Case, top: int) -> str:
    results = [case.brokerage_all, *case.brokerage_by_stage]
    parts = [
        note(
            "Gould & Fernandez (1989) roles: b brokers the ordered pair (a, c) when a→b, b→c "
            "and there is no a→c tie. Coordinator: all three in one group; itinerant: a and c "
            "share a group b is not in; representative: a and b share a group, c is outside; "
            "gatekeeper: b and c share a group, a is outside; liaison: three groups. Expected "
            "values, standard deviations and z-scores follow sna's density-based null model "
            "(docs/analyses.md). Groups: " + case.group_by + "."
        ),
        "<h3>Network level</h3>",
    ]
    rows = [
        {"period": case.stage_title(r["at"]), "role": role, **r["network"][role]}
        for r in results
        for role in ROLES
        if role in r["network"]
    ]
    parts.append(
        table(
            [
                col("period", "period"),
                col("role", "role"),
                col("raw", "raw", digits=0),
                col("expected", "expected", digits=1),
                col("sd", "sd", digits=1),
                col("z", "z", digits=2),
            ],
            rows,
        )
    )
    parts.append("<h3>Top brokers</h3>")
    broker_rows = [
        {"period": case.stage_title(r["at"]), "rank": i + 1, **b}
        for r in results
        for i, b in enumerate(plots.top_brokers(r, top))
    ]
    parts.append(
        table(
            [
                col("period", "period"),
                col("rank", "rank", digits=0),
                Col("actor", lambda r: _actor(r["name"], r["id"])),
                col("group", "group"),
                col("total", "total", digits=0),
                col("z (total)", "z", digits=2),
                col("main role", "main_role"),
            ],
            broker_rows,
            empty="No actor brokers any pair.",
        )
    )
    return "\n".join(parts)


def _legitimacy(case: _Case, from_group: str, to_group: str, top: int) -> str:
    if not case.whole.nodes:
        return note("The case has no actors.")
    rows = case.base.legitimacy(
        from_group=from_group,
        to_group=to_group,
        group_by=case.group_by,
        by="stage" if case.stages else None,
        types=case.types,
        brokers=None,  # every broker: the period totals below sum their dependency
    )
    targets_total = sum(1 for g in case.whole.groups.values() if g == to_group)
    by_period: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_period[row["period"]].append(row)
    summary = []
    details = []
    for label, sources in by_period.items():
        reaching = [s for s in sources if s["reached"]]
        pairs = sum(s["reached"] for s in reaching)
        hops = sum(s["mean_hops"] * s["reached"] for s in reaching)
        reached_targets = {t for s in reaching for t in s["targets"]}
        brokers: dict[str, float] = defaultdict(float)
        names: dict[str, Any] = {}
        for source in reaching:
            for broker in source["brokers"]:
                brokers[broker["id"]] += broker["dependency"]
                names[broker["id"]] = broker["name"]
        ranked = sorted(brokers.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        summary.append(
            {
                "period": case.stage_title(label),
                "sources": len(sources),
                "reaching": len(reaching),
                "share": len(reaching) / len(sources) if sources else None,
                "targets": f"{len(reached_targets)} of {targets_total}",
                "mean_hops": hops / pairs if pairs else None,
                "brokers": "<br>".join(f"{_actor(names[b], b)} ({n:.3g})" for b, n in ranked)
                or DASH,
            }
        )
        details.append(
            f"<details><summary>{escape(case.stage_title(label))}: the {len(reaching)} "
            f"{escape(from_group)} actors that reach {escape(to_group)} actors</summary>"
            + table(
                [
                    Col("source", lambda r: _actor(r["name"], r["source"])),
                    col("targets reached", "reached", digits=0),
                    col("min hops", "min_hops", digits=0),
                    col("mean hops", "mean_hops", digits=2),
                    Col(
                        "brokers (dependency)",
                        lambda r: (
                            ", ".join(
                                f"{text(b['name'] or b['id'])} ({b['dependency']:.3g})"
                                for b in r["brokers"][:top]
                            )
                            or DASH
                        ),
                    ),
                ],
                sorted(reaching, key=lambda r: (-r["reached"], r["source"])),
                empty="None.",
            )
            + "</details>"
        )
    parts = [
        note(
            f"How {from_group} actors reach {to_group} actors along ties (following their "
            "direction; up to 6 hops) among the ties of each stage. Share: sources that reach "
            "at least one target (every actor of the group counts as a source, also those "
            "without a tie in the stage). Mean hops: over all source–target pairs reached. "
            "Brokers: intermediate actors on shortest paths, with the number of source–target "
            "pairs whose shortest paths they lie on."
        ),
        table(
            [
                col("period", "period"),
                col("sources", "sources", digits=0),
                col("reaching a target", "reaching", digits=0),
                Col("share", lambda r: percent(r["share"]), numeric=True),
                col("targets reached", "targets"),
                col("mean hops", "mean_hops", digits=2),
                Col("top brokers (pairs)", lambda r: str(r["brokers"])),
            ],
            summary,
        ),
        *details,
    ]
    return "\n".join(parts)


def _evidence(items: Sequence[Mapping[str, Any]] | None) -> str:
    quotes = []
    for item in items or []:
        where = ", ".join(
            text(item.get(k)) for k in ("kind", "date", "location", "id") if item.get(k)
        )
        quote = item.get("quote")
        body = text(quote) if quote else '<span class="note">(no quote)</span>'
        quotes.append(f"<blockquote>{body}<cite>{where}</cite></blockquote>")
    return "".join(quotes) or DASH


def _between(tie: Mapping[str, Any]) -> str:
    arrow = "→" if tie["directed"] else "—"
    source = _actor(tie["source_name"], tie["source"])
    return f"{source} {arrow} {_actor(tie['target_name'], tie['target'])}"


def _affected(tie: Mapping[str, Any]) -> str:
    lines = []
    for effect in tie["effects"]:
        line = f"{text(effect['organization'])} {text(effect['effect'])}"
        if effect.get("successor"):
            line += f" → {text(effect['successor'])}"
        if effect.get("via") != effect["organization"]:
            line += f" (via {text(effect['via'])})"
        lines.append(line)
    return "<br>".join(lines)


def _broken_ties(case: _Case, window: str) -> str:
    parts = [
        note(
            f"Ties active on the eve of each reform that ended within {window} after it and "
            "touch an organization the reform affected (directly, or through a member), with "
            "the evidence behind each tie."
        )
    ]
    if not case.reforms:
        parts.append(note("The case has no reforms."))
    for reform in case.reforms:
        parts.append(f"<h3>{text(reform['name'] or reform['id'])} ({text(reform['date'])})</h3>")
        if not reform.get("date"):
            parts.append(note("This reform has no date."))
            continue
        ties = case.base.broken_ties(reform=reform["id"], window=window, types=case.types)
        for tie in ties:  # broken_ties rows do not say whether the tie is directed
            tie["directed"] = case.directed.get(tie["tie"], True)
        by_type = Counter(t["type"] for t in ties)
        if ties:
            summary = ", ".join(f"{n} {t}" for t, n in sorted(by_type.items()))
            parts.append(f"<p>{len(ties)} ties broken: {escape(summary)}.</p>")
        parts.append(
            table(
                [
                    Col("tie", lambda t: f"{text(t['tie'])}<br>{text(t['type'])}"),
                    Col("between", _between),
                    Col("spell", lambda t: f"{text(t['start'] or '…')} to {text(t['end'])}"),
                    Col("affected", _affected),
                    Col("evidence", lambda t: _evidence(t.get("evidence"))),
                ],
                ties,
                empty=f"No tie ended within {window} after this reform.",
            )
        )
    return "\n".join(parts)


EVOLUTION_COLUMNS = [
    col("period", "name"),
    col("first", "first"),
    col("last", "last"),
    col("actors with ties", "actors", digits=0),
    col("pairs", "pairs", digits=0),
    col("density", "density", digits=4),
    col("components", "components", digits=0),
    col("within", "within_pairs", digits=0),
    col("between", "between_pairs", digits=0),
    col("E-I", "ei_index", digits=3),
    col("formed", "formed", digits=0),
    col("dissolved", "dissolved", digits=0),
]


def _evolution(case: _Case) -> str:
    parts = [
        note(
            "Per period: actors with at least one tie, tied pairs, directed density among "
            "them, weakly connected components, pairs within and between groups, "
            "Krackhardt & Stern's E-I index ((between − within) / all pairs), and pairs formed "
            "and dissolved since the previous period."
        )
    ]
    if case.stages:
        parts.append("<h3>By stage</h3>")
        rows = case.base.evolution(by="stage", group_by=case.group_by, types=case.types)
        for row in rows:
            row["name"] = case.stage_title(row["period"])
        parts.append(table(EVOLUTION_COLUMNS, rows))
    try:
        years = case.base.evolution(by="year", group_by=case.group_by, types=case.types)
    except ValidationError as error:
        parts.append(note(str(error)))
        return "\n".join(parts)
    for row in years:
        row["name"] = row["period"]
    parts.append("<h3>By year</h3>")
    with plots.style("report-evolution-year"):
        chart = plots.evolution_figure(
            years,
            stages=case.stages,
            reforms=case.reforms,
            title="Evolution of the network by year",
            note="Bars span each year; stages shaded; reforms as red lines.",
        )
        svg = plots.render(chart, "svg")
    parts.append(
        figure(
            svg,
            "Small multiples by year on one time axis: stages shaded and named, reforms as "
            "vertical red lines.",
        )
    )
    parts.append(
        "<details><summary>The same by year, as a table</summary>"
        + table(EVOLUTION_COLUMNS, years)
        + "</details>"
    )
    return "\n".join(parts)


def _consensus(case: _Case) -> str:
    rows = case.base.consensus(by="stage" if case.stages else None, group_by=case.group_by)
    statements = {r["problem"]: r["statement"] for r in rows}
    parts = [
        note(
            "Per problem and stage: actors with a position (their latest up to the stage's "
            "end), stance counts, the share agreeing and its change from the previous stage, "
            "and meetings where the problem was discussed with the pairs of actors who met "
            "there."
        ),
        "<h3>Problems</h3>",
        table(
            [col("problem", "problem"), col("statement", "statement")],
            [{"problem": p, "statement": s} for p, s in sorted(statements.items())],
            empty="The case has no problems or positions (problems.csv, positions.csv).",
        ),
    ]
    if rows:
        parts.append("<h3>Positions over time</h3>")
        parts.append(
            table(
                [
                    col("problem", "problem"),
                    Col("period", lambda r: text(case.stage_title(r["period"]))),
                    col("actors", "actors", digits=0),
                    col("agree", "agree", digits=0),
                    col("disagree", "disagree", digits=0),
                    col("neutral", "neutral", digits=0),
                    Col("share agree", lambda r: percent(r["share_agree"]), numeric=True),
                    Col(
                        "change",
                        lambda r: DASH if r["change"] is None else f"{100 * r['change']:+.0f} pts",
                        numeric=True,
                    ),
                    col("meetings", "meetings", digits=0),
                    col("co-attending pairs", "co_attending_pairs", digits=0),
                ],
                rows,
            )
        )
    return "\n".join(parts)
