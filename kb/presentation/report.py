"""One self-contained HTML page about the case: ``kb report`` (docs/report.md).

It renders `kb.analyses.case.CaseResults`: every number comes computed; this module only
turns them into HTML. The page has no external reference at all: the pictures are inline SVG
(`kb.presentation.plots`), the CSS is in a ``<style>`` element and nothing but the embedded
`kb view` page (a sandboxed frame, `_view`) runs a script, so it can be mailed, archived or
opened offline. Every piece of text from the data goes
through `html.escape`. The page carries no timestamp: the same data gives the same file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from string import Template
from typing import TYPE_CHECKING, Any

from kb.periods import Period
from kb.presentation import plots
from kb.presentation.numbers import is_p_value, p_value

if TYPE_CHECKING:
    from kb.analyses.case import CaseResults

SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("networks", "Networks by stage"),
    ("brokerage", "Brokerage"),
    ("legitimacy", "Legitimacy paths"),
    ("broken-ties", "Ties broken by reforms"),
    ("survival", "Tie survival across reforms"),
    ("evolution", "Evolution"),
    ("permutation", "Brokerage: more than chance?"),
    ("robustness", "Robustness: all ties and triangulated ties"),
    ("robustness-coders", "Robustness by coder"),
    ("consensus", "Consensus"),
)
# The section holding `kb view`'s page (after the networks by stage), left out by
# `kb report --no-view`.
VIEW_SECTION = ("view", "The network over time")
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
    """A column showing ``row[key]``: escaped text, or a number with ``digits`` decimals;
    p-values (``p``, ``ph_p``, ``p_greater``...) as the CLI prints them (`p_value`), never
    ``0.0000``."""
    if digits is None:
        return Col(header, lambda row: text(row.get(key)))
    if is_p_value(key):
        return Col(header, lambda row: p_cell(row.get(key)), numeric=True)
    return Col(header, lambda row: number(row.get(key), digits), numeric=True)


def p_cell(value: Any, draws: int | None = None) -> str:
    """A p-value cell: the CLI's format (`kb.presentation.numbers.p_value`, with the number
    of draws of a Monte Carlo p-value); None as a dash."""
    return DASH if value is None else escape(p_value(float(value), draws=draws))


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


def affected(reform: Mapping[str, Any]) -> str:
    """A reform's affected organizations with the effect on each: ``agence-cn (abolished)``."""
    return ", ".join(f"{o['id']} ({o['effect']})" for o in reform.get("organizations") or [])


def _period_label(period: Period) -> str:
    return f"{period.first or '…'} to {period.last or '…'}"


# -- the report ---------------------------------------------------------------------------------
def render_report(case: CaseResults, *, view: str | None = None) -> str:
    """The case report (`kb.analyses.case.case_results`) as one HTML page.

    ``view``: the page `kb.presentation.view.render_view` wrote, embedded as the section
    "The network over time" in a sandboxed frame (`_view`); None leaves the section out
    and the report holds no script at all.
    """
    order = list(SECTIONS)
    order.insert(order.index(("networks", "Networks by stage")) + 1, VIEW_SECTION)
    sections = {
        "overview": _overview(case),
        "networks": _networks(case),
        "brokerage": _brokerage(case),
        "legitimacy": _legitimacy(case),
        "broken-ties": _broken_ties(case),
        "evolution": _evolution(case),
        "consensus": _consensus(case),
        "survival": _survival(case),
        "permutation": _permutation(case),
        "robustness": _robustness(case),
        "robustness-coders": _by_coder(case),
        "view": _view(view) if view is not None else None,
    }
    shown = [(key, title) for key, title in order if sections[key] is not None]
    body = "\n".join(
        f'<section id="{key}">\n<h2>{escape(title)}</h2>\n{sections[key]}\n</section>'
        for key, title in shown
    )
    nav = " · ".join(f'<a href="#{key}">{escape(title)}</a>' for key, title in shown)
    selection = (
        f"Groups: {case.group_by}; legitimacy from {case.from_group} to {case.to_group}; tie "
        f"types: {', '.join(case.types) if case.types else 'all'}; "
        f"{case.evidence.describe()}; broken-tie window: {case.window}."
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
def _view(page: str) -> str:
    """`kb view`'s page inside the report: an ``<iframe srcdoc>`` holding the whole page,
    HTML-escaped into the attribute. The frame is sandboxed with scripts allowed but not
    the report's origin (``allow-same-origin`` is absent), so its script cannot reach the
    report, cookies or storage; the page's own Content-Security-Policy forbids every
    request; ``allow-downloads`` lets its PNG and SVG buttons save the frame."""
    return (
        note(
            "The case over time as kb view draws it: move the slider to see the network "
            "at any date (exactly the ties --at that date selects), click a tie for its "
            "evidence, an actor for its timeline. It is the only part of this report that "
            "runs a script, in a sandboxed frame that cannot reach the rest of the page or "
            "the network; kb report --no-view leaves it out."
        )
        + '\n<iframe class="view" title="The network over time (kb view)" '
        f'sandbox="allow-scripts allow-downloads" srcdoc="{escape(page, quote=True)}">'
        "</iframe>"
    )


def _overview(case: CaseResults) -> str:
    status = case.database
    parts = [
        f"<p>Neo4j {text(status['server_version'])} ({text(status['edition'])}), database "
        f"<code>{text(status['database'])}</code>: {number(status['nodes'])} nodes and "
        f"{number(status['relationships'])} relationships (kb schema version "
        f"{number(status['schema_version'])}).</p>"
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
            case.actors_by_group,
            empty="The case has no actors.",
        )
    )
    parts.append("<h3>Ties by type</h3>")
    parts.append(
        table(
            [col("type", "type"), col("direction", "direction"), col("ties", "ties", digits=0)],
            case.ties_by_type,
            empty="The case has no ties.",
        )
    )
    parts.append("<h3>Stages</h3>")
    parts.append(
        table(
            [
                col("id", "id"),
                col("name", "name"),
                col("start", "start"),
                col("end", "end"),
                col("description", "description"),
            ],
            case.stage_rows,
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
                    lambda r: text(affected(r) or None),
                ),
                col("description", "description"),
            ],
            case.reforms,
            empty="The case has no reforms (reforms.csv).",
        )
    )
    return "\n".join(parts)


def _networks(case: CaseResults) -> str:
    whole = case.snapshots[0].whole
    positions = plots.layout(whole)
    colours = plots.group_colours(whole.groups)
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
    for shot in case.snapshots:
        label = shot.period.label if shot.period else None
        svg = plots.network_picture(
            shot,
            fmt="svg",
            salt=f"report-network-{label or 'all'}",
            positions=positions,
            colours=colours,
        )
        heading = case.stage_title(label) + (
            f" ({_period_label(shot.period)})" if shot.period else ""
        )
        brokers = ", ".join(f"{i + 1}. {b['name'] or b['id']}" for i, b in enumerate(shot.brokers))
        parts.append(f"<h3>{escape(heading)}</h3>")
        parts.append(
            figure(
                svg,
                f"{len(shot.actors_with_ties)} actors with ties. Top brokers: {brokers or 'none'}.",
            )
        )
    return "\n".join(parts)


def _brokerage(case: CaseResults) -> str:
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
        {"period": case.stage_title(r.at), **record}
        for r in case.brokerage
        for record in r.network_records()
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
        {"period": case.stage_title(r.at), "rank": i + 1, **b}
        for r, brokers in zip(case.brokerage, case.top_brokers, strict=True)
        for i, b in enumerate(brokers)
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


def _legitimacy(case: CaseResults) -> str:
    if not case.actors_by_group:
        return note("The case has no actors.")
    top = case.top
    details = []
    for period in case.legitimacy_summary:
        label = period["period"]
        reaching = [r for r in case.legitimacy if r["period"] == label and r["reached"]]
        details.append(
            f"<details><summary>{escape(case.stage_title(label))}: the {len(reaching)} "
            f"{escape(case.from_group)} actors that reach {escape(case.to_group)} "
            "actors</summary>"
            + table(
                [
                    Col("source", lambda r: _actor(r["source_name"], r["source"])),
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
            f"How {case.from_group} actors reach {case.to_group} actors along ties (following "
            f"their direction; up to {case.legitimacy_max_hops} hops) among the ties of each "
            "stage. Share: sources that reach at least one target (every actor of the group "
            "counts as a source, also those without a tie in the stage). Mean hops: over all "
            "source–target pairs reached. Brokers: intermediate actors on shortest paths, with "
            "their dependency summed over the sources: for each source–target pair reached, "
            "the share of its shortest paths that pass through the broker (docs/analyses.md)."
        ),
        table(
            [
                Col("period", lambda r: text(case.stage_title(r["period"]))),
                col("sources", "sources", digits=0),
                col("reaching a target", "reaching", digits=0),
                Col("share", lambda r: percent(r["share"]), numeric=True),
                Col("targets reached", lambda r: f"{r['targets_reached']} of {r['targets_total']}"),
                col("mean hops", "mean_hops", digits=2),
                Col(
                    "top brokers (dependency)",
                    lambda r: (
                        "<br>".join(
                            f"{_actor(b['name'], b['id'])} ({b['dependency']:.3g})"
                            for b in r["brokers"]
                        )
                        or DASH
                    ),
                ),
            ],
            case.legitimacy_summary,
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


def _broken_ties(case: CaseResults) -> str:
    window = case.window
    parts = [
        note(
            f"Ties active on the eve of each reform that ended within {window} after it and "
            "touch an organization the reform affected (directly, or through a member), with "
            "the evidence behind each tie."
        )
    ]
    if not case.reforms:
        parts.append(note("The case has no reforms."))
    for item in case.broken_ties:
        reform = item.reform
        parts.append(f"<h3>{text(reform['name'] or reform['id'])} ({text(reform['date'])})</h3>")
        if item.ties is None:
            parts.append(note("This reform has no date."))
            continue
        ties = item.ties
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


def _evolution(case: CaseResults) -> str:
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
        rows = [dict(row) for row in case.evolution_by_stage]
        for row in rows:
            row["name"] = case.stage_title(row["period"])
        parts.append(table(EVOLUTION_COLUMNS, rows))
    if case.evolution_by_year_problem:
        parts.append(note(case.evolution_by_year_problem))
        return "\n".join(parts)
    years = [dict(row) for row in case.evolution_by_year]
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


def _consensus(case: CaseResults) -> str:
    rows = case.consensus
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


def _survival(case: CaseResults) -> str:
    from kb.analyses.survival import end_words
    from kb.presentation.survival_plot import survival_chart

    parts = [
        note(
            "Ties active on the eve of each reform, followed until they end or observation "
            "ends (censored there). Exposed ties touch an organization the reform affected, "
            "directly or through a member. Kaplan-Meier curves with 95 % log-log bands, the "
            "log-rank test, and a Cox model; the placebo cohort is the same analysis one "
            "year earlier (docs/analyses.md)."
        )
    ]
    parts += [note(problem) for problem in case.survival_problems]
    if not case.survival:
        parts.append(note("No dated reform to follow ties across."))
    for result in case.survival:
        reform = result.reform
        source = end_words(result)
        parts.append(f"<h3>{text(reform['name'] or reform['id'])} ({text(reform['date'])})</h3>")
        parts.append(
            note(
                f"From {result['origin']} to {result['observed_until']} (end of "
                f"observation, {text(source)}); partial end dates: {result['dates']}."
            )
        )
        if any(c["groups"] for c in result.cohorts):
            parts.append(
                figure(
                    survival_chart(result, fmt="svg"),
                    "Share of ties still active, by exposure (placebo dashed).",
                )
            )
        parts.append(
            table(
                [
                    col("cohort", "cohort"),
                    col("from", "origin"),
                    col("to", "until"),
                    col("ties", "ties", digits=0),
                    col("ended", "events", digits=0),
                    Col("other reforms in the window", _other_reforms),
                ],
                result.cohorts,
            )
        )
        parts.append(
            table(
                [
                    col("cohort", "cohort"),
                    col("group", "group"),
                    col("ties", "n", digits=0),
                    col("ended", "events", digits=0),
                    col("median (days)", "median", digits=1),
                ],
                result.group_records(),
                empty="No tie was active on the eve.",
            )
        )
        parts.append(
            table(
                [
                    col("cohort", "cohort"),
                    col("log-rank chi2", "statistic", digits=2),
                    col("df", "df", digits=0),
                    col("p", "p", digits=4),
                ],
                result.logrank_records(),
                empty="No log-rank test (one group, or no tie ended).",
            )
        )
        parts.append(
            table(
                [
                    col("cohort", "cohort"),
                    col("covariate", "name"),
                    Col("hazard ratio", lambda row: _trusted(row, "hazard_ratio", 2), numeric=True),
                    _trusted_col("lower 95%", "lower", 2),
                    _trusted_col("upper 95%", "upper", 2),
                    _trusted_col("p", "p", 4),
                    _trusted_col("PH test p", "ph_p", 3),
                ],
                result.cox_records(),
                empty="No Cox model.",
            )
        )
        fits = result.fit_records()
        if fits:
            parts.append(
                table(
                    [
                        col("cohort", "cohort"),
                        col("fit", "status"),
                        col("ended ties per covariate", "events_per_covariate", digits=1),
                        col("likelihood-ratio p", "lr_p", digits=4),
                        col("concordance", "concordance", digits=3),
                        col("global PH test p", "ph_global_p", digits=3),
                    ],
                    fits,
                )
            )
        parts += [
            note(f"{c['cohort']}: {sentence}")
            for c in result.cohorts
            for sentence in c["notes"] + ((c["cox"] or {}).get("notes") or [])
        ]
        parts += [warning(sentence) for sentence in result.get("warnings", [])]
    return "\n".join(parts)


def _other_reforms(cohort: Mapping[str, Any]) -> str:
    """The other reforms dated in a cohort's window; a placebo holding one is flagged."""
    inside = ", ".join(f"{r['id']} ({r['date']})" for r in cohort.get("other_reforms", []))
    if inside and cohort["cohort"] == "placebo":
        return f'<strong class="flag">{escape(inside)}: not a clean placebo</strong>'
    return text(inside)


def _trusted(row: Mapping[str, Any], key: str, digits: int) -> str:
    """A Cox row's number, or its status in place of numbers that mean nothing."""
    if row.get("status", "ok") != "ok":
        return (
            f'<span class="flag">{escape(str(row["status"]))}</span>'
            if key == "hazard_ratio"
            else ""
        )
    return p_cell(row.get(key)) if is_p_value(key) else number(row.get(key), digits)


def _trusted_col(header: str, key: str, digits: int) -> Col:
    return Col(header, lambda row: _trusted(row, key, digits), numeric=True)


def warning(sentence: str) -> str:
    """A sentence saying what cannot be trusted (shown like the CLI's warnings)."""
    return f'<p class="note warning">Warning: {escape(sentence)}</p>'


def _permutation(case: CaseResults) -> str:
    test = case.brokerage_test
    if test is None:
        return note("No test: the case needs ties and at least two groups.")
    rows = [{"role": role, **values} for role, values in test["tests"].items()]
    return "\n".join(
        [
            note(
                "Gould-Fernandez role counts of all ties against the same network with the "
                f"{case.group_by} labels shuffled over the actors: p≥ is the share of "
                "shuffles with at least as many, p≤ with at most as many "
                f"({test['description']})."
            ),
            table(
                [
                    col("role", "role"),
                    col("observed", "observed", digits=0),
                    col("null mean", "mean", digits=1),
                    col("null sd", "sd", digits=1),
                    Col("p≥", lambda r: p_cell(r["p_greater"], test["draws"]), numeric=True),
                    Col("p≤", lambda r: p_cell(r["p_less"], test["draws"]), numeric=True),
                ],
                rows,
            ),
        ]
    )


def _pair(row: Mapping[str, Any], key: str, digits: int = 2) -> str:
    """``all / triangulated`` values of a measure."""
    return f"{number(row[key + '_all'], digits)} / {number(row[key + '_triangulated'], digits)}"


def _pair_col(header: str, key: str, digits: int = 2) -> Col:
    return Col(header, lambda row: _pair(row, key, digits), numeric=True)


def _brokers(brokers: Sequence[Mapping[str, Any]], shared: set[str]) -> str:
    """Top brokers by name, those on both lists in bold."""
    names = [
        f"<strong>{text(b['name'] or b['id'])}</strong>"
        if b["id"] in shared
        else text(b["name"] or b["id"])
        for b in brokers
    ]
    return ", ".join(names) or DASH


def _robustness(case: CaseResults) -> str:
    result = case.robustness
    if result is None:
        return note("The case has no actors.")
    share = result.triangulated / result.ties if result.ties else None
    parts = [
        note(
            f"Of the {result.ties} ties of the selected types, {result.triangulated} "
            f"({percent(share)}) are triangulated: evidence of at least two of the kinds "
            "interview, observation and document supports them (kb evidence coverage). The "
            "main results are computed on all ties and again on the triangulated ties only "
            "(kb … --triangulated); a finding that holds on both does not rest on thinly "
            "evidenced ties. Each cell: all ties / triangulated ties."
        )
    ]
    if case.evidence.active:
        parts.append(
            note(
                f"The other sections of this report use {case.evidence.describe()}; this one "
                "compares all ties with the triangulated ones."
            )
        )
    parts.append(
        table(
            [
                col("tie type", "type"),
                col("ties", "ties", digits=0),
                col("triangulated", "triangulated", digits=0),
                Col(
                    "share",
                    lambda r: percent(r["triangulated"] / r["ties"] if r["ties"] else None),
                    numeric=True,
                ),
            ],
            result.by_type,
            empty="The case has no ties.",
        )
    )
    if result.problem:
        parts.append(note(f"Nothing to compare: {result.problem}"))
        return "\n".join(parts)
    period = Col("period", lambda r: text(case.stage_title(r["period"])))
    parts.append("<h3>Brokerage and structure</h3>")
    parts.append(
        table(
            [
                period,
                _pair_col("ties", "ties", 0),
                _pair_col("brokerage (total)", "brokerage", 0),
                _pair_col("brokerage z", "brokerage_z"),
                _pair_col("degree centralisation", "degree_centralization", 3),
                _pair_col("betweenness centralisation", "betweenness_centralization", 3),
                _pair_col("E-I", "ei_index", 3),
            ],
            result.periods,
        )
    )
    parts.append("<h3>Top brokers</h3>")
    parts.append(
        note(
            f"The top {case.top} brokers (Gould–Fernandez total) on each selection; in bold, "
            "those on both lists."
        )
    )

    def shared(row: Mapping[str, Any]) -> set[str]:
        return {b["id"] for b in row["top_all"]} & {b["id"] for b in row["top_triangulated"]}

    parts.append(
        table(
            [
                period,
                Col("all ties", lambda r: _brokers(r["top_all"], shared(r))),
                Col("triangulated ties", lambda r: _brokers(r["top_triangulated"], shared(r))),
                Col(
                    "on both",
                    lambda r: f"{r['top_shared']} of {len(r['top_all'])}",
                    numeric=True,
                ),
            ],
            result.periods,
        )
    )
    reaching = [r for r in result.periods if r["share_reaching_all"] is not None]
    parts.append("<h3>Legitimacy</h3>")
    parts.append(
        table(
            [
                period,
                Col(
                    f"{case.from_group} actors reaching {case.to_group} actors",
                    lambda r: (
                        f"{percent(r['share_reaching_all'])} / "
                        f"{percent(r['share_reaching_triangulated'])}"
                    ),
                    numeric=True,
                ),
            ],
            reaching,
            empty="No legitimacy paths to compare.",
        )
    )
    return "\n".join(parts)


FINDINGS = {
    "top_broker": "is the top broker",
    "top_betweenness": "has the highest betweenness",
    "reaches": "reaches a {to} actor",
}


def _by_coder(case: CaseResults) -> str | None:
    """The section "Robustness by coder", only for a case with more than one coder."""
    if case.by_coder_problem:
        return note(f"Nothing to compare by coder: {case.by_coder_problem}")
    result = case.by_coder
    if result is None:
        return None
    coders = [row["coder"] for row in result.coders]
    parts = [
        note(
            f"Each coder's network is the ties their own evidence items support; the pooled "
            f"network is every tie ({result.pooled['ties']}). Rho is Spearman's rank "
            "correlation of the actors' scores (total brokerage, betweenness) in the coder's "
            "network with their pooled scores, over the actors the coder saw a tie for; "
            f"where a coder's network is too small it says so. Top 5: how many of the coder's "
            "top 5 brokers are among the pooled top 5 (docs/analyses.md#robustness-by-coder)."
        ),
        table(
            [
                col("coder", "coder"),
                col("ties", "ties", digits=0),
                col("actors", "actors", digits=0),
                Col("rho brokerage", lambda r: _rho(r, "brokerage"), numeric=True),
                Col("rho betweenness", lambda r: _rho(r, "betweenness"), numeric=True),
                Col(
                    "top 5 shared",
                    lambda r: f"{r['top_shared']} of {len(r['top'])}",
                    numeric=True,
                ),
                Col("top brokers", lambda r: _brokers(r["top"], set())),
            ],
            result.coders,
        ),
        "<h3>Headline findings</h3>",
        note(
            "The pooled network's top broker and top betweenness actor, and each "
            f"{result.from_group} actor reaching a {result.to_group} actor within "
            f"{result.max_hops} hops: does it hold in each coder's network? n/a: the coder's "
            "network cannot say (no tie, or no broker)."
        ),
    ]
    rows = [
        {
            "finding": f"{f['name'] or f['subject']} "
            + FINDINGS[f["finding"]].format(to=result.to_group),
            **{c: {True: "yes", False: "no", None: "n/a"}[f["holds"][c]] for c in coders},
            "every": "yes" if f["every_coder"] else "no",
        }
        for f in result.findings
    ]
    parts.append(
        table(
            [col("finding", "finding"), *(col(c, c) for c in coders), col("every coder", "every")],
            rows,
            empty="The pooled network has no headline finding (no broker, no path).",
        )
    )
    return "\n".join(parts)


def _rho(row: Mapping[str, Any], measure: str) -> str:
    if row[f"{measure}_rho"] is None:
        return text(row[f"{measure}_problem"])
    return number(row[f"{measure}_rho"])
