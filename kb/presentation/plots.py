"""Pictures of the case as PNG or SVG bytes: the network's evolution and network snapshots.

Drawn on matplotlib's Agg canvas through ``Figure`` objects, never pyplot, so no display is
needed and no figure state is shared between calls. The same data gives byte-identical files:
fixed figure sizes, DPI and fonts (DejaVu Sans, shipped with matplotlib), a seeded layout,
SVG ids salted per picture (``svg.hashsalt``) and no date or creator in the file's metadata.

The pictures (docs/report.md):

- ``evolution_chart``: the metrics of :meth:`KnowledgeBase.evolution` per period as small
  multiples on one time axis, the case's stages shaded and labelled, reforms as vertical lines;
- ``network_chart``: the tie network of one period (``at`` or a stage), actors coloured by
  group, the top brokers (Gould & Fernandez total, from :meth:`KnowledgeBase.brokerage`)
  drawn larger with a dark outline and labelled, directed ties as arrows and undirected ties
  as plain lines. The layout is computed once on every tie of the selected types whatever its
  spell, so pictures of different periods put each actor in the same place.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import networkx as nx
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory
from matplotlib.typing import RcKeyType

from kb.analyses.brokerage import TOP_BROKERS
from kb.analyses.network import NO_GROUP, Network, check_attribute, fetch, parse_types
from kb.dates import PartialDate
from kb.errors import KBError, NotFoundError, ValidationError
from kb.periods import Period, parse_at
from kb.store import Reader

if TYPE_CHECKING:
    from kb.graph import KnowledgeBase

FORMATS = ("png", "svg")
DPI = 100
LAYOUT_SEED = 20150401  # any fixed number; Bill 10's date is easy to remember
LABEL_CHARS = 34  # longer broker names are cut with an ellipsis

# Okabe & Ito's colour-blind safe palette, then matplotlib's tab20 for larger group counts.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#332288",
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
)
NO_GROUP_COLOUR = "#B0B0B0"
STAGE_SHADES = ("#EEF3FA", "#FBF3E6")
REFORM_COLOUR = "#B22222"

_STYLE: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "none",  # text stays text: searchable, selectable, and small
    "svg.image_inline": True,
    "path.simplify": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
}
# No Date (it would change on every run), no Creator/Format/Type (they are URLs).
_SVG_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None, "Type": None}
_PNG_METADATA: dict[str, str | None] = {"Software": None}


# -- files --------------------------------------------------------------------------------------
def format_of(path: str | Path) -> str:
    """``png`` or ``svg`` from a file name.

    Raises:
        ValidationError: the name ends in something else.
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValidationError(f"--out {str(path)!r}: the file name must end in .png or .svg.")
    return suffix


def save(data: bytes | str, path: str | Path) -> None:
    """Write a picture or a report, turning a failed write into one sentence.

    Raises:
        KBError: the folder is missing, not writable, or the disk is full.
    """
    target = Path(path)
    try:
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
    except OSError as e:
        raise KBError(f"Cannot write {target}: {e.strerror or e}.") from e


@contextmanager
def style(salt: str) -> Iterator[None]:
    """kb's matplotlib settings, with SVG ids salted by ``salt`` (one salt per picture, so
    several SVGs inlined in one page never share an id)."""
    with matplotlib.rc_context({**_STYLE, "svg.hashsalt": f"kb-{salt}"}):
        yield


def _new_figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def render(figure: Figure, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes (call inside the style context it was drawn in)."""
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown picture format {fmt!r}; use png or svg.")
    buffer = io.BytesIO()
    metadata = _SVG_METADATA if fmt == "svg" else _PNG_METADATA
    figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata, facecolor="white")
    return buffer.getvalue()


_SVG_PROLOG = re.compile(r"^\s*<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)
_SVG_NAMESPACES = re.compile(r'\s+xmlns(:xlink)?="[^"]*"')


def inline_svg(svg: bytes) -> str:
    """An SVG file as an element to paste into HTML: no XML prolog or DOCTYPE, and no
    namespace declarations (HTML's parser puts ``<svg>`` and ``xlink:href`` in the right
    namespaces by itself), so the page carries no URL at all."""
    text = _SVG_PROLOG.sub("", svg.decode("utf-8"), count=1)
    head, sep, body = text.partition(">")
    return _SVG_NAMESPACES.sub("", head) + sep + body


# -- time axis helpers --------------------------------------------------------------------------
_EPOCH = date(1970, 1, 1)


def _x(day: date) -> float:
    """Days since 1970-01-01, matplotlib's default date epoch."""
    return float((day - _EPOCH).days)


def _year_ticks(axis: Axes, lo: float, hi: float) -> None:
    first = (_EPOCH + timedelta(days=math.floor(lo))).year
    last = (_EPOCH + timedelta(days=math.ceil(hi))).year + 1
    majors = [_x(date(y, 1, 1)) for y in range(first, last + 1)]
    step = max(1, math.ceil(len(majors) / 16))  # at most ~16 year labels
    shown = [(x, str(first + i)) for i, x in enumerate(majors) if i % step == 0 and lo <= x <= hi]
    axis.set_xticks([x for x, _ in shown], [label for _, label in shown])
    if last - first <= 6:
        quarters = [_x(date(y, m, 1)) for y in range(first, last + 1) for m in (4, 7, 10)]
        axis.set_xticks([x for x in quarters if lo <= x <= hi], minor=True)
    axis.set_xlim(lo, hi)


def _short_reform_name(reform: Mapping[str, Any]) -> str:
    """``Loi 10 — Loi modifiant ...`` -> ``Loi 10``; else the name cut to 28 characters."""
    name = str(reform.get("name") or reform.get("id") or "")
    head = re.split(r"\s+[—–-]\s+|:\s+", name, maxsplit=1)[0]
    return head if len(head) <= 28 else head[:27] + "…"


def _reform_dates(reforms: Sequence[Mapping[str, Any]]) -> list[tuple[date, str]]:
    dated = []
    for reform in reforms:
        if not reform.get("date"):
            continue
        try:
            day = PartialDate.parse(str(reform["date"])).first
        except ValueError:
            continue
        dated.append((day, _short_reform_name(reform)))
    return sorted(dated)


# -- evolution ----------------------------------------------------------------------------------
EVOLUTION_PANELS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("actors",), "actors with ties"),
    (("pairs",), "tied pairs"),
    (("density",), "density"),
    (("components",), "components"),
    (("ei_index",), "E-I index"),
    (("formed", "dissolved"), "pairs formed / dissolved"),
)
_SERIES_COLOURS = {"formed": "#009E73", "dissolved": "#D55E00"}


@dataclass(frozen=True)
class Stage:
    """A stage to shade: its period (label = stage id) and its display name."""

    period: Period
    name: str


def evolution_figure(
    rows: Sequence[Mapping[str, Any]],
    *,
    stages: Sequence[Stage] = (),
    reforms: Sequence[Mapping[str, Any]] = (),
    title: str = "Evolution of the network",
    note: str = "",
) -> Figure:
    """Small multiples of :meth:`KnowledgeBase.evolution` rows on one time axis.

    Each period's value is drawn as a bar across the period (first..last) with a dot at its
    middle; dots are joined to show the trend. Stages are shaded bands, labelled in the top
    panel; reforms are vertical lines labelled above it.

    Args:
        rows: evolution rows (period, first, last and the metrics).
        stages: the case's stages to shade.
        reforms: rows with ``date`` and ``name`` (or ``id``), e.g. :meth:`KnowledgeBase.reforms`.
        title: the figure title.
        note: a line of small print under the plot (what was selected).
    """
    dated_reforms = _reform_dates(reforms)
    known = [d for r in rows for d in (r.get("first"), r.get("last")) if isinstance(d, date)]
    known += [d for s in stages for d in (s.period.first, s.period.last) if d is not None]
    known += [d for d, _ in dated_reforms]
    if not known:
        raise ValidationError("Nothing to plot: no period, stage or reform has a date.")
    lo_day, hi_day = min(known), max(known) + timedelta(days=1)
    pad = max(20.0, (_x(hi_day) - _x(lo_day)) * 0.02)
    lo, hi = _x(lo_day) - pad, _x(hi_day) + pad

    figure = _new_figure(10.0, 11.0)
    figure.subplots_adjust(left=0.09, right=0.97, top=0.895, bottom=0.065, hspace=0.28)
    axes = figure.subplots(len(EVOLUTION_PANELS), 1, sharex=True)
    figure.text(0.09, 0.975, title, ha="left", va="top", fontsize=13, fontweight="bold")
    if note:
        figure.text(0.09, 0.015, note, fontsize=7.5, color="#555555", ha="left")

    spans = [
        (
            _x(r["first"]) if isinstance(r.get("first"), date) else lo,
            _x(r["last"]) + 1 if isinstance(r.get("last"), date) else hi,
        )
        for r in rows
    ]
    for panel, (axis, (keys, label)) in enumerate(zip(axes, EVOLUTION_PANELS, strict=True)):
        _shade_stages(axis, stages, lo, hi, label_them=panel == 0)
        for day, _ in dated_reforms:
            axis.axvline(_x(day), color=REFORM_COLOUR, linewidth=1.1, zorder=3)
        for key in keys:
            colour = _SERIES_COLOURS.get(key, "#222222")
            points = [
                (a, b, float(r[key]))
                for (a, b), r in zip(spans, rows, strict=True)
                if r.get(key) is not None
            ]
            if not points:
                continue
            axis.hlines(
                [p[2] for p in points],
                [p[0] for p in points],
                [p[1] for p in points],
                colors=colour,
                linewidth=2.2,
                alpha=0.55,
                zorder=4,
            )
            axis.plot(
                [(a + b) / 2 for a, b, _ in points],
                [v for _, _, v in points],
                color=colour,
                marker="o",
                markersize=3.5,
                linewidth=0.9,
                zorder=5,
                label=key if len(keys) > 1 else None,
            )
        if "ei_index" in keys:
            axis.axhline(0, color="#888888", linewidth=0.6, linestyle=":", zorder=2)
        if len(keys) > 1:
            axis.legend(loc="upper left", fontsize=7.5, frameon=False, ncols=len(keys))
        axis.margins(y=0.18)
        if keys[0] not in ("density", "ei_index"):  # counts: whole numbers, never below 0
            axis.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            axis.set_ylim(bottom=max(0.0, axis.get_ylim()[0]))
        axis.set_ylabel(label, fontsize=8.5)
        axis.tick_params(labelsize=8)
        axis.grid(axis="y", color="#DDDDDD", linewidth=0.5)
    _year_ticks(axes[-1], lo, hi)
    _label_reforms(axes[0], dated_reforms, lo, hi)
    return figure


def _shade_stages(
    axis: Axes, stages: Sequence[Stage], lo: float, hi: float, *, label_them: bool
) -> None:
    top = blended_transform_factory(axis.transData, axis.transAxes)
    for i, stage in enumerate(stages):
        start = _x(stage.period.first) if stage.period.first else lo
        end = _x(stage.period.last) + 1 if stage.period.last else hi
        axis.axvspan(start, end, color=STAGE_SHADES[i % 2], zorder=0, linewidth=0)
        if label_them:
            axis.text(
                (max(start, lo) + min(end, hi)) / 2,
                0.96,
                stage.name,
                transform=top,
                ha="center",
                va="top",
                fontsize=8,
                color="#333333",
                fontstyle="italic",
                zorder=6,
                clip_on=True,
            )


def _label_reforms(axis: Axes, reforms: Sequence[tuple[date, str]], lo: float, hi: float) -> None:
    """Reform names above the top panel, moved up a row when they would touch the previous."""
    above = blended_transform_factory(axis.transData, axis.transAxes)
    width = hi - lo
    placed: list[tuple[float, int]] = []
    for day, name in reforms:
        x = _x(day)
        row = 0
        while any(row == r and x - px < width * 0.16 for px, r in placed):
            row += 1
        placed.append((x, row))
        axis.text(
            x,
            1.05 + 0.2 * row,
            f"{name} ({day.isoformat()})",
            transform=above,
            ha="left",
            va="bottom",
            fontsize=7.5,
            color=REFORM_COLOUR,
            clip_on=False,
        )


def stage_list(base: KnowledgeBase) -> list[Stage]:
    """The case's stages with names; empty when the case has none."""
    try:
        periods = base.periods("stage")
    except ValidationError:
        return []
    names = {str(s["id"]): s.get("name") or str(s["id"]) for s in base.read("network/stages")}
    return [Stage(p, str(names.get(p.label, p.label))) for p in periods]


def _selection_note(by: str | None, group_by: str | None, types: list[str] | None) -> str:
    parts = []
    if by:
        parts.append(f"periods: {by}")
    parts.append(f"tie types: {', '.join(types) if types else 'all'}")
    if group_by:
        parts.append(f"groups: {group_by}")
    parts.append("a tie counts in a period when its spell overlaps it")
    return "; ".join(parts) + "."


def evolution_chart(
    base: KnowledgeBase,
    *,
    by: str = "stage",
    group_by: str | None = "sector",
    types: str | list[str] | None = None,
    fmt: str = "png",
) -> bytes:
    """The evolution picture of the case as PNG or SVG bytes.

    Args:
        base: a :class:`kb.graph.KnowledgeBase`.
        by: ``stage``, ``year`` or ``quarter``: the periods compared.
        group_by: actor property for the E-I index.
        types: tie types to include (all by default).
        fmt: ``png`` or ``svg``.

    Raises:
        ValidationError: unknown ``by``, no stages (``by="stage"``), no dated ties.
    """
    chosen = parse_types(types)
    rows = base.evolution(by=by, group_by=group_by, types=chosen)
    with style(f"evolution-{by}"):
        figure = evolution_figure(
            rows,
            stages=stage_list(base),
            reforms=base.reforms(),
            title=f"Evolution of the network by {by}",
            note=_selection_note(by, group_by, chosen)
            + " Bars span each period; formed/dissolved compare it with the previous one.",
        )
        return render(figure, fmt)


# -- network ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    """What one network picture shows, as data (tests and the report read it)."""

    period: Period | None
    title: str
    network: Network
    brokers: list[dict[str, Any]]
    actors_with_ties: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NetworkPicture:
    """A drawn network: the file's bytes and what it shows."""

    data: bytes
    snapshot: Snapshot

    @property
    def brokers(self) -> list[str]:
        """Ids of the highlighted brokers, highest total brokerage first."""
        return [b["id"] for b in self.snapshot.brokers]


def top_brokers(brokerage: Mapping[str, Any], top: int = TOP_BROKERS) -> list[dict[str, Any]]:
    """The first ``top`` actors of a :meth:`KnowledgeBase.brokerage` result that broker at all.

    Returns:
        ``[{"id", "name", "group", "total", "z", "main_role"}]`` in the analysis's order
        (total brokerage, then id).
    """
    chosen: list[dict[str, Any]] = []
    for actor in brokerage["actors"]:
        total = actor["roles"]["total"]
        if total["raw"] <= 0 or len(chosen) >= top:
            break
        roles = {k: v["raw"] for k, v in actor["roles"].items() if k != "total"}
        main = max(sorted(roles), key=lambda k: roles[k]) if roles else None
        chosen.append(
            {
                "id": actor["id"],
                "name": actor["name"],
                "group": actor["group"],
                "total": total["raw"],
                "z": total["z"],
                "main_role": main,
            }
        )
    return chosen


def find_stage(base: KnowledgeBase, stage: str) -> Period:
    """The period of stage ``stage``.

    Raises:
        ValidationError: the case has no stages.
        NotFoundError: no stage has that id.
    """
    periods: list[Period] = base.periods("stage")
    for period in periods:
        if period.label == stage:
            return period
    known = ", ".join(p.label for p in periods)
    raise NotFoundError(f"No stage with id {stage!r}. The case's stages are: {known}.")


def layout(network: Network, *, seed: int = LAYOUT_SEED) -> dict[str, tuple[float, float]]:
    """Spring layout (networkx, fixed seed) of the actors with at least one tie.

    Nodes and edges are added in sorted order, so the same data gives the same positions.
    """
    pairs = sorted({(min(t.source, t.target), max(t.source, t.target)) for t in network.ties})
    nodes = sorted({n for pair in pairs for n in pair})
    if not nodes:
        return {}
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(pairs)
    k = 1.6 / math.sqrt(len(nodes))
    positions = nx.spring_layout(graph, seed=seed, k=k, iterations=300)
    return {n: (round(float(positions[n][0]), 6), round(float(positions[n][1]), 6)) for n in nodes}


def _shorten(name: str, limit: int) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def group_colours(groups: Mapping[str, str]) -> dict[str, str]:
    """A fixed colour per group value (sorted), grey for actors without a group."""
    values = sorted({g for g in groups.values() if g != NO_GROUP})
    colours = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(values)}
    colours[NO_GROUP] = NO_GROUP_COLOUR
    return colours


def _period_text(period: Period) -> str:
    if period.first == period.last:
        return period.label
    return f"{period.label} ({period.first or '…'} to {period.last or '…'})"


def _check_period_options(at: str | None, stage: str | None) -> None:
    if at and stage:
        raise ValidationError("Give --at or --stage, not both.")
    parse_at(at)


def snapshot(
    base: KnowledgeBase,
    *,
    at: str | None = None,
    stage: str | None = None,
    group_by: str = "sector",
    types: str | list[str] | None = None,
    top: int = TOP_BROKERS,
    whole: Network | None = None,
    brokerage: Mapping[str, Any] | None = None,
) -> Snapshot:
    """The network of one period and its top brokers, as drawn by :func:`network_chart`.

    ``stage`` uses the stage's period (first..last) and the stage's row of
    :meth:`KnowledgeBase.brokerage_by`; ``at`` a partial date and
    :meth:`KnowledgeBase.brokerage` with ``at``; neither, every tie whatever its spell.

    Raises:
        ValidationError: both ``at`` and ``stage``; a malformed ``at``; no stages.
        NotFoundError: no stage has the id ``stage``.
    """
    _check_period_options(at, stage)
    check_attribute(group_by)
    chosen = parse_types(types)
    period: Period | None
    if stage:
        period = find_stage(base, stage)
        name = next((s.name for s in stage_list(base) if s.period.label == stage), stage)
        title = f"Network in stage {name}, {period.first or '…'} to {period.last or '…'}"
        if brokerage is None:
            rows = base.brokerage_by(by="stage", group_by=group_by, types=chosen)
            brokerage = next(r for r in rows if r["at"] == stage)
    else:
        period = parse_at(at)
        title = f"Network at {_period_text(period)}" if period else "Network, all ties"
        if brokerage is None:
            brokerage = base.brokerage(group_by=group_by, types=chosen, at=at)
    if whole is None:
        whole = fetch(base, types=chosen, group_by=group_by)
    network = whole.during(period)
    tied = sorted({n for t in network.ties for n in (t.source, t.target)})
    return Snapshot(
        period=period,
        title=title,
        network=network,
        brokers=top_brokers(brokerage, top),
        actors_with_ties=tied,
    )


def network_figure(
    shot: Snapshot,
    *,
    positions: Mapping[str, tuple[float, float]],
    kinds: Mapping[str, str],
    group_by: str,
    colours: Mapping[str, str],
    types: list[str] | None = None,
) -> Figure:
    """Draw a snapshot: actors with ties coloured by group (persons as circles, organizations
    as squares), actors placed but without ties in the period as small grey dots, directed
    ties as arrows, undirected ties as lines, the brokers large with a dark outline and their
    rank and name."""
    network = shot.network
    figure = _new_figure(11.0, 8.5)
    axis = figure.add_axes((0.01, 0.05, 0.72, 0.83))
    axis.set_axis_off()
    axis.set_aspect("equal")
    tied = set(shot.actors_with_ties)
    brokers = {b["id"]: i + 1 for i, b in enumerate(shot.brokers)}

    undirected = sorted(
        {
            (min(t.source, t.target), max(t.source, t.target))
            for t in network.ties
            if not t.directed and t.source != t.target
        }
    )
    arcs = sorted(
        {(t.source, t.target) for t in network.ties if t.directed and t.source != t.target}
    )
    arc_set = set(arcs)

    # Actors without a tie in this period: where they would be, faint.
    idle = [n for n in sorted(positions) if n not in tied]
    if idle:
        axis.scatter(
            [positions[n][0] for n in idle],
            [positions[n][1] for n in idle],
            s=9,
            c="#D5D5D5",
            linewidths=0,
            zorder=1,
        )

    segments = [[positions[a], positions[b]] for a, b in undirected if a in positions]
    if segments:
        axis.add_collection(
            LineCollection(segments, colors="#7A7A7A", linewidths=0.8, alpha=0.7, zorder=2)
        )
    for a, b in arcs:
        if a not in positions or b not in positions:
            continue
        bend = 0.15 if (b, a) in arc_set else 0.0
        axis.add_patch(
            FancyArrowPatch(
                positions[a],
                positions[b],
                arrowstyle="-|>",
                mutation_scale=8,
                connectionstyle=f"arc3,rad={bend}",
                color="#4A4A4A",
                linewidth=0.7,
                alpha=0.8,
                shrinkA=4,
                shrinkB=9 if b in brokers else 5,
                zorder=3,
            )
        )

    for kind, marker in (("person", "o"), ("organization", "s")):
        for broker in (False, True):
            chosen = [
                n
                for n in sorted(tied)
                if kinds.get(n, "person") == kind and (n in brokers) == broker and n in positions
            ]
            if not chosen:
                continue
            axis.scatter(
                [positions[n][0] for n in chosen],
                [positions[n][1] for n in chosen],
                s=230 if broker else 46,
                marker=marker,
                c=[colours.get(network.groups.get(n, NO_GROUP), NO_GROUP_COLOUR) for n in chosen],
                edgecolors="#111111" if broker else "white",
                linewidths=2.0 if broker else 0.6,
                zorder=5 if broker else 4,
            )
    xs = [p[0] for p in positions.values()] or [0.0]
    right_edge = min(xs) + 0.65 * (max(xs) - min(xs))
    for node, rank in sorted(brokers.items(), key=lambda kv: kv[1]):
        if node not in positions:
            continue
        x, y = positions[node]
        right_half = x > right_edge  # labels point inwards, so they stay inside the picture
        axis.annotate(
            f"{rank}. {_shorten(network.names.get(node) or node, LABEL_CHARS)}",
            (x, y),
            xytext=(-9 if right_half else 9, 7),
            textcoords="offset points",
            ha="right" if right_half else "left",
            fontsize=9,
            fontweight="bold",
            color="#111111",
            zorder=7,
            bbox={
                "boxstyle": "round,pad=0.2",
                "fc": "white",
                "ec": "#999999",
                "lw": 0.5,
                "alpha": 0.85,
            },
        )

    if positions:
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
        axis.set_xlim(min(xs) - 0.06 * span, max(xs) + 0.06 * span)
        axis.set_ylim(min(ys) - 0.06 * span, max(ys) + 0.06 * span)
    else:
        axis.text(0.5, 0.5, "No ties in this period.", ha="center", transform=axis.transAxes)

    figure.text(0.02, 0.955, shot.title, fontsize=13, fontweight="bold", ha="left", va="top")
    counts = (
        f"{len(tied)} actors with ties, {len(undirected)} undirected pairs and {len(arcs)} "
        f"directed arcs; tie types: {', '.join(types) if types else 'all'}. "
        f"Colour: {group_by}. Labelled: the top {len(brokers)} brokers (Gould–Fernandez total)."
    )
    figure.text(0.02, 0.915, counts, fontsize=8.5, color="#444444", ha="left", va="top")
    figure.text(
        0.02,
        0.02,
        "Layout: spring layout of every tie of these types over the whole case (fixed seed), "
        "so each actor keeps its place from one period to the next.",
        fontsize=7.5,
        color="#666666",
        ha="left",
    )
    figure.legend(
        handles=_legend_handles(network.groups, colours, tied),
        loc="upper left",
        bbox_to_anchor=(0.74, 0.87),
        frameon=False,
        fontsize=8.5,
        title=None,
        borderaxespad=0.0,
        labelspacing=0.8,
        handlelength=2.4,
    )
    return figure


def _legend_handles(
    groups: Mapping[str, str], colours: Mapping[str, str], tied: set[str]
) -> list[Any]:
    present = sorted({groups.get(n, NO_GROUP) for n in tied})
    handles: list[Any] = [
        Patch(facecolor=colours.get(g, NO_GROUP_COLOUR), edgecolor="white", label=g)
        for g in present
    ]
    grey = "#9A9A9A"
    handles += [
        Line2D([], [], linestyle="", marker="o", color=grey, markersize=7, label="person"),
        Line2D([], [], linestyle="", marker="s", color=grey, markersize=7, label="organization"),
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            markerfacecolor=grey,
            markeredgecolor="#111111",
            markeredgewidth=2.0,
            markersize=13,
            label="top broker (rank. name)",
        ),
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            color="#D5D5D5",
            markersize=4,
            label="no tie in this period",
        ),
        Line2D([], [], color="#7A7A7A", linewidth=1.2, label="undirected tie"),
        Line2D(
            [],
            [],
            color="#4A4A4A",
            linewidth=1.0,
            marker=">",
            markevery=[1],
            markersize=6,
            label="directed tie (arrow at the target)",
        ),
    ]
    return handles


def actor_kinds(base: Reader) -> dict[str, str]:
    """``person`` or ``organization`` per actor id."""
    return {row["id"]: row["kind"] for row in base.read("network/actors", group_by=None)}


def network_chart(
    base: KnowledgeBase,
    *,
    at: str | None = None,
    stage: str | None = None,
    group_by: str = "sector",
    types: str | list[str] | None = None,
    fmt: str = "png",
    top: int = TOP_BROKERS,
) -> NetworkPicture:
    """A picture of the network at a date, in a stage, or over all time.

    Args:
        base: a :class:`kb.graph.KnowledgeBase`.
        at: a partial date (``2016``, ``2016-06``, ``2016-06-30``).
        stage: a stage id (uses the stage's first..last days).
        group_by: actor property that colours actors and defines brokerage roles.
        types: tie types to include (all by default).
        fmt: ``png`` or ``svg``.
        top: how many brokers to highlight.

    Raises:
        ValidationError: both ``at`` and ``stage``, a malformed date, no stages.
        NotFoundError: no stage has the id ``stage``.
    """
    _check_period_options(at, stage)  # before any query: bad input fails fast
    chosen = parse_types(types)
    whole = fetch(base, types=chosen, group_by=check_attribute(group_by))
    shot = snapshot(base, at=at, stage=stage, group_by=group_by, types=chosen, top=top, whole=whole)
    salt = f"network-{stage or at or 'all'}"
    with style(salt):
        figure = network_figure(
            shot,
            positions=layout(whole),
            kinds=actor_kinds(base),
            group_by=group_by,
            colours=group_colours(whole.groups),
            types=chosen,
        )
        return NetworkPicture(render(figure, fmt), shot)


def draw_snapshot(
    shot: Snapshot,
    *,
    fmt: str,
    salt: str,
    positions: Mapping[str, tuple[float, float]],
    kinds: Mapping[str, str],
    group_by: str,
    colours: Mapping[str, str],
    types: list[str] | None = None,
) -> bytes:
    """:func:`network_figure` rendered in kb's style (for callers that draw many snapshots
    from one fetched network, like the report)."""
    with style(salt):
        figure = network_figure(
            shot,
            positions=positions,
            kinds=kinds,
            group_by=group_by,
            colours=colours,
            types=types,
        )
        return render(figure, fmt)
