"""Pictures of the case as PNG or SVG bytes: the network's evolution and network snapshots.

Drawn on matplotlib's Agg canvas through ``Figure`` objects, never pyplot, so no display is
needed and no figure state is shared between calls. The same data gives byte-identical files:
fixed figure sizes, DPI and fonts (DejaVu Sans, shipped with matplotlib), a seeded layout,
SVG ids salted per picture (``svg.hashsalt``) and no date or creator in the file's metadata.

Every text is drawn literally (no mathtext: a ``$`` in a name stays a dollar sign).

The pictures (docs/report.md) receive analysis results; nothing here queries or analyses:

- ``evolution_picture``: rows of `kb.analyses.evolution.evolution` as small multiples on one
  time axis, the case's stages shaded and labelled, reforms as vertical lines;
- ``network_picture``: a `kb.analyses.snapshot.Snapshot` (the ties of one period), actors
  coloured by group, the top brokers drawn larger with a dark outline and labelled (labels
  placed so that they overlap neither each other nor the actors), directed ties as arrows and
  undirected ties as plain lines. The layout is computed on every tie of the selected types
  whatever its spell, so pictures of different periods put each actor in the same place.
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
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox, blended_transform_factory
from matplotlib.typing import RcKeyType

from kb.analyses.network import NO_GROUP, Network
from kb.case_files import write_case_file
from kb.dates import PartialDate
from kb.errors import ParameterError, ValidationError

if TYPE_CHECKING:
    from kb.analyses.selection import Selection
    from kb.analyses.snapshot import Snapshot
    from kb.analyses.stages import Stage

FORMATS = ("png", "svg")
DPI = 100
LAYOUT_SEED = 20150401  # any fixed number; Bill 10's date is easy to remember
LARGE_LAYOUT = 500  # actors from which the layout is igraph's (see `layout`)
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
    "text.parse_math": False,  # names and titles are data: "5 $" is not mathtext
}
# No Date (it would change on every run), no Creator/Format/Type (they are URLs).
_SVG_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None, "Type": None}
_PNG_METADATA: dict[str, str | None] = {"Software": None}


# -- files --------------------------------------------------------------------------------------
def format_of(out: str | Path) -> str:
    """``png`` or ``svg`` from the name of the picture to write.

    Raises:
        ParameterError: the name ends in something else.
    """
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ParameterError("out", str(out), "the file name must end in .png or .svg.")
    return suffix


def save(data: bytes | str, path: str | Path) -> None:
    """Write a picture or a report as a case file (`kb.case_files`: private, complete or
    absent, missing folders created), turning a failed write into one sentence.

    Raises:
        KBError: the folder is missing, not writable, or the disk is full.
    The file carries the running command's provenance in its format's own place
    (`kb.provenance.stamped`: a PNG text chunk, SVG metadata, the page's footer).
    """
    from kb.provenance import current, stamped

    kind = Path(path).suffix.lower().lstrip(".")
    if kind in ("png", "svg", "html", "htm"):
        data = stamped(data, "html" if kind == "htm" else kind, current())
    write_case_file(path, data)


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


def evolution_figure(
    rows: Sequence[Mapping[str, Any]],
    *,
    stages: Sequence[Stage] = (),
    reforms: Sequence[Mapping[str, Any]] = (),
    title: str = "Evolution of the network",
    note: str = "",
) -> Figure:
    """Small multiples of `kb.analyses.evolution.evolution` rows on one time axis.

    Each period's value is drawn as a bar across the period (first..last) with a dot at its
    middle; dots are joined to show the trend. Stages are shaded bands, labelled in the top
    panel; reforms are vertical lines labelled above it.

    Args:
        rows: evolution rows (period, first, last and the metrics).
        stages: the case's stages to shade.
        reforms: rows with ``date`` and ``name`` (or ``id``) (`kb.analyses.reforms.reforms`).
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

    top_bands: list[tuple[float, str]] = []
    spans = [
        (
            _x(r["first"]) if isinstance(r.get("first"), date) else lo,
            _x(r["last"]) + 1 if isinstance(r.get("last"), date) else hi,
        )
        for r in rows
    ]
    for panel, (axis, (keys, label)) in enumerate(zip(axes, EVOLUTION_PANELS, strict=True)):
        bands = _shade_stages(axis, stages, lo, hi)
        if panel == 0:
            top_bands = bands
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
        if len(keys) > 1 and axis.get_legend_handles_labels()[0]:  # some periods have none
            axis.legend(loc="upper left", fontsize=7.5, frameon=False, ncols=len(keys))
        axis.margins(y=0.18)
        # Every axis shows its whole range from zero (the E-I index its whole -1..1), so that
        # 62 -> 64 actors does not look like a surge.
        if keys[0] == "ei_index":
            axis.set_ylim(-1.1, 1.1)
        else:
            axis.set_ylim(0.0, max(axis.get_ylim()[1], 1.0 if keys[0] != "density" else 0.01))
        if keys[0] not in ("density", "ei_index"):  # counts: whole numbers
            axis.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axis.set_ylabel(label, fontsize=8.5)
        axis.tick_params(labelsize=8)
        axis.grid(axis="y", color="#DDDDDD", linewidth=0.5)
    _year_ticks(axes[-1], lo, hi)
    _label_stages(axes[0], top_bands)  # once the axes are laid out: labels are measured
    _label_reforms(axes[0], dated_reforms, lo, hi)
    return figure


def _shade_stages(
    axis: Axes, stages: Sequence[Stage], lo: float, hi: float
) -> list[tuple[float, str]]:
    """Shade the stages; returns each stage's label position (its band's middle) and name."""
    bands = []
    for i, stage in enumerate(stages):
        start = _x(stage.period.first) if stage.period.first else lo
        end = _x(stage.period.last) + 1 if stage.period.last else hi
        axis.axvspan(start, end, color=STAGE_SHADES[i % 2], zorder=0, linewidth=0)
        bands.append(((max(start, lo) + min(end, hi)) / 2, stage.name))
    return bands


STAGE_LABEL_STEP = 0.085  # axes fraction between rows of stage labels


def stage_labels(axis: Axes) -> list[Text]:
    """The stage labels `_label_stages` drew on an axis (for tests and the report)."""
    return [t for t in axis.texts if t.get_gid() == "stage-label"]


def _label_stages(axis: Axes, bands: Sequence[tuple[float, str]]) -> None:
    """Stage names at the top of the axis, centred on their band, each moved down a row
    until it touches no label already placed and kept inside the axis: short stages never
    print their names over each other."""
    figure = axis.get_figure()
    assert figure is not None
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = axis.get_window_extent(renderer)
    top = blended_transform_factory(axis.transData, axis.transAxes)
    placed: list[Bbox] = []
    for x, name in bands:
        label = axis.text(
            x,
            0.96,
            name,
            transform=top,
            ha="center",
            va="top",
            fontsize=8,
            color="#333333",
            fontstyle="italic",
            zorder=6,
            gid="stage-label",
            clip_on=True,
        )
        box = label.get_window_extent(renderer)
        if box.x0 < frame.x0:  # keep the whole name inside the panel
            label.set_horizontalalignment("left")
            label.set_x(axis.transData.inverted().transform((frame.x0 + 2, 0))[0])
        elif box.x1 > frame.x1:
            label.set_horizontalalignment("right")
            label.set_x(axis.transData.inverted().transform((frame.x1 - 2, 0))[0])
        row = 0
        box = label.get_window_extent(renderer).expanded(1.04, 1.1)
        while any(box.overlaps(other) for other in placed):
            row += 1
            label.set_y(0.96 - STAGE_LABEL_STEP * row)
            box = label.get_window_extent(renderer).expanded(1.04, 1.1)
        placed.append(box)


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


def evolution_picture(
    rows: Sequence[Mapping[str, Any]],
    *,
    stages: Sequence[Stage] = (),
    reforms: Sequence[Mapping[str, Any]] = (),
    by: str = "stage",
    group_by: str | None = "sector",
    fmt: str = "png",
    selection: Selection | None = None,
) -> bytes:
    """The evolution picture (`evolution_figure`) as PNG or SVG bytes, with a note saying
    what was selected (``selection``: the ties' types and evidence rule; None, every tie)."""
    with style(f"evolution-{by}"):
        figure = evolution_figure(
            rows,
            stages=stages,
            reforms=reforms,
            title=f"Evolution of the network by {by}",
            note=_selection_note(by, group_by, selection),
        )
        return render(figure, fmt)


def _selection_note(
    by: str | None,
    group_by: str | None,
    selection: Selection | None = None,
) -> str:
    parts = []
    if by:
        parts.append(f"periods: {by}")
    types = selection.types if selection is not None else None
    parts.append(f"tie types: {', '.join(types) if types else 'all'}")
    if selection is not None and selection.active:
        parts.append(f"only {selection.describe()}")
    if group_by:
        parts.append(f"groups: {group_by}")
    parts.append("a tie counts in a period when its spell overlaps it")
    return "; ".join(parts) + "."


# -- network snapshots --------------------------------------------------------------------------
def layout(network: Network, *, seed: int = LAYOUT_SEED) -> dict[str, tuple[float, float]]:
    """Spring layout (fixed seed) of the actors with at least one tie.

    Nodes and edges are added in sorted order, so the same data gives the same positions.
    Below LARGE_LAYOUT actors, networkx's force-directed method on numpy; from there on
    igraph's Fruchterman-Reingold, in C: networkx switches to a scipy method there, which
    took seven minutes for three pictures of 2,000 actors (igraph: under a second each).
    """
    pairs = sorted({(min(t.source, t.target), max(t.source, t.target)) for t in network.ties})
    nodes = sorted({n for pair in pairs for n in pair})
    if not nodes:
        return {}
    if len(nodes) >= LARGE_LAYOUT:
        return _large_layout(nodes, pairs, seed)
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(pairs)
    k = 1.6 / math.sqrt(len(nodes))
    positions = nx.spring_layout(graph, seed=seed, k=k, iterations=300, method="force")
    return {n: (round(float(positions[n][0]), 6), round(float(positions[n][1]), 6)) for n in nodes}


def _large_layout(
    nodes: list[str], pairs: list[tuple[str, str]], seed: int
) -> dict[str, tuple[float, float]]:
    """igraph's Fruchterman-Reingold from seeded start positions, scaled into [-1, 1]."""
    import random

    from kb.presentation.layout import fruchterman_reingold

    index = {n: i for i, n in enumerate(nodes)}
    rng = random.Random(seed)
    start = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in nodes]
    coords = fruchterman_reingold(len(nodes), [(index[a], index[b]) for a, b in pairs], start, seed)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    return {
        n: (round((x - cx) / half, 6), round((y - cy) / half, 6))
        for n, (x, y) in zip(nodes, coords, strict=True)
    }


def group_colours(groups: Mapping[str, str]) -> dict[str, str]:
    """A fixed colour per group value (sorted), grey for actors without a group."""
    values = sorted({g for g in groups.values() if g != NO_GROUP})
    colours = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(values)}
    colours[NO_GROUP] = NO_GROUP_COLOUR
    return colours


def network_picture(
    shot: Snapshot,
    *,
    fmt: str = "png",
    salt: str | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    colours: Mapping[str, str] | None = None,
) -> bytes:
    """A snapshot drawn (`network_figure`) as PNG or SVG bytes.

    ``positions`` and ``colours`` default to the layout and colours of the snapshot's whole
    network; callers drawing several snapshots of one case compute them once.
    """
    with style(salt or f"network-{shot.period.label if shot.period else 'all'}"):
        figure = network_figure(
            shot,
            positions=positions if positions is not None else layout(shot.whole),
            colours=colours if colours is not None else group_colours(shot.whole.groups),
        )
        return render(figure, fmt)


@dataclass(frozen=True)
class _Drawing:
    """What the drawing steps of one snapshot share."""

    shot: Snapshot
    axis: Axes
    positions: Mapping[str, tuple[float, float]]
    colours: Mapping[str, str]
    tied: frozenset[str]
    ranks: dict[str, int] = field(default_factory=dict)


def network_figure(
    shot: Snapshot,
    *,
    positions: Mapping[str, tuple[float, float]],
    colours: Mapping[str, str],
) -> Figure:
    """Draw a snapshot: actors with ties coloured by group (persons as circles, organizations
    as squares), actors placed but without ties in the period as small grey dots, directed
    ties as arrows, undirected ties as lines, the brokers large with a dark outline and their
    rank and name."""
    figure = _new_figure(11.0, 8.5)
    axis = figure.add_axes((0.01, 0.05, 0.72, 0.83))
    axis.set_axis_off()
    axis.set_aspect("equal")
    drawing = _Drawing(
        shot,
        axis,
        positions,
        colours,
        frozenset(shot.actors_with_ties),
        {b["id"]: i + 1 for i, b in enumerate(shot.brokers)},
    )
    _draw_idle(drawing)
    undirected, arcs = _draw_ties(drawing)
    _draw_actors(drawing)
    _frame(drawing)
    _label_brokers(drawing, figure)
    _captions(figure, drawing, len(undirected), len(arcs))
    return figure


def _draw_idle(d: _Drawing) -> None:
    """Actors without a tie in this period: where they would be, faint."""
    idle = [n for n in sorted(d.positions) if n not in d.tied]
    if idle:
        d.axis.scatter(
            [d.positions[n][0] for n in idle],
            [d.positions[n][1] for n in idle],
            s=9,
            c="#D5D5D5",
            linewidths=0,
            zorder=1,
        )


def _draw_ties(d: _Drawing) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    ties = [t for t in d.shot.network.ties if t.source != t.target]
    undirected = sorted(
        {(min(t.source, t.target), max(t.source, t.target)) for t in ties if not t.directed}
    )
    arcs = sorted({(t.source, t.target) for t in ties if t.directed})
    arc_set = set(arcs)
    segments = [[d.positions[a], d.positions[b]] for a, b in undirected if a in d.positions]
    if segments:
        d.axis.add_collection(
            LineCollection(segments, colors="#7A7A7A", linewidths=0.8, alpha=0.7, zorder=2)
        )
    for a, b in arcs:
        if a not in d.positions or b not in d.positions:
            continue
        d.axis.add_patch(
            FancyArrowPatch(
                d.positions[a],
                d.positions[b],
                arrowstyle="-|>",
                mutation_scale=8,
                connectionstyle=f"arc3,rad={0.15 if (b, a) in arc_set else 0.0}",
                color="#4A4A4A",
                linewidth=0.7,
                alpha=0.8,
                shrinkA=4,
                shrinkB=9 if b in d.ranks else 5,
                zorder=3,
            )
        )
    return undirected, arcs


def _draw_actors(d: _Drawing) -> None:
    groups = d.shot.network.groups
    for kind, marker in (("person", "o"), ("organization", "s")):
        for broker in (False, True):
            chosen = [
                n
                for n in sorted(d.tied)
                if d.shot.kinds.get(n, "person") == kind
                and (n in d.ranks) == broker
                and n in d.positions
            ]
            if not chosen:
                continue
            d.axis.scatter(
                [d.positions[n][0] for n in chosen],
                [d.positions[n][1] for n in chosen],
                s=230 if broker else 46,
                marker=marker,
                c=[d.colours.get(groups.get(n, NO_GROUP), NO_GROUP_COLOUR) for n in chosen],
                edgecolors="#111111" if broker else "white",
                linewidths=2.0 if broker else 0.6,
                zorder=5 if broker else 4,
            )


def _frame(d: _Drawing) -> None:
    if not d.positions:
        d.axis.text(0.5, 0.5, "No ties in this period.", ha="center", transform=d.axis.transAxes)
        return
    xs = [p[0] for p in d.positions.values()]
    ys = [p[1] for p in d.positions.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    d.axis.set_xlim(min(xs) - 0.06 * span, max(xs) + 0.06 * span)
    d.axis.set_ylim(min(ys) - 0.06 * span, max(ys) + 0.06 * span)


# Offsets (points) tried for a broker's label, nearest first: right, left, above, below, then
# the diagonals, then the same further out.
_LABEL_OFFSETS = [
    (dx * r, dy * r)
    for r in (1.0, 1.8, 2.8, 4.0)
    for dx, dy in ((9, 7), (-9, 7), (9, -13), (-9, -13), (0, 14), (0, -20), (16, 0), (-16, 0))
]
_LABEL_BOX = {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#999999", "lw": 0.5, "alpha": 0.85}


def _label_brokers(d: _Drawing, figure: Figure) -> None:
    """Each broker's "rank. name", placed at the first offset where its box overlaps no label
    placed before it and no drawn actor (nor leaves the picture); when none is free, the
    offset with the least overlap."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    d.axis.apply_aspect()  # the equal aspect moves the axes box: place labels after it
    transform = d.axis.transData
    actor_boxes = []
    for node in d.tied:
        if node not in d.positions:
            continue
        x, y = transform.transform(d.positions[node])
        half = 12.0 if node in d.ranks else 5.0  # marker radius and edge, in pixels
        actor_boxes.append((x - half, y - half, x + half, y + half))
    frame = figure.bbox
    placed: list[tuple[float, float, float, float]] = []
    for node, rank in sorted(d.ranks.items(), key=lambda kv: kv[1]):
        if node not in d.positions:
            continue
        name = _shorten(d.shot.network.names.get(node) or node, LABEL_CHARS)
        best: tuple[float, Any, tuple[float, float, float, float]] | None = None
        for dx, dy in _LABEL_OFFSETS:
            label = d.axis.annotate(
                f"{rank}. {name}",
                d.positions[node],
                xytext=(dx, dy),
                textcoords="offset points",
                ha="left" if dx > 0 else "right" if dx < 0 else "center",
                fontsize=9,
                fontweight="bold",
                color="#111111",
                zorder=7,
                bbox=_LABEL_BOX,
            )
            extent = label.get_window_extent(renderer)
            box = (extent.x0, extent.y0, extent.x1, extent.y1)
            overlap = sum(_overlap(box, other) for other in placed)
            overlap += sum(_overlap(box, other) for other in actor_boxes)
            outside = (
                box[0] < frame.x0 or box[2] > frame.x1 or box[1] < frame.y0 or box[3] > frame.y1
            )
            cost = overlap + (1e9 if outside else 0.0)
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, label, box)
            else:
                label.remove()
            if cost == 0:
                break
        if best is not None:
            placed.append(best[2])


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """The area two boxes (x0, y0, x1, y1) share."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _shorten(name: str, limit: int) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _captions(figure: Figure, d: _Drawing, undirected: int, arcs: int) -> None:
    shot = d.shot
    figure.text(0.02, 0.955, shot.title, fontsize=13, fontweight="bold", ha="left", va="top")
    counts = (
        f"{len(d.tied)} actors with ties, {undirected} undirected pairs and {arcs} "
        f"directed arcs; tie types: {', '.join(shot.types) if shot.types else 'all'}"
        f"{_evidence_words(shot.network.selection)}. "
        f"Colour: {shot.group_by}. Labelled: the top {len(d.ranks)} brokers "
        "(Gould–Fernandez total)."
    )
    figure.text(0.02, 0.915, counts, fontsize=8.5, color="#444444", ha="left", va="top")
    figure.text(
        0.02,
        0.02,
        "Layout: spring layout of every selected tie over the whole case (fixed seed), "
        "so each actor keeps its place from one period to the next.",
        fontsize=7.5,
        color="#666666",
        ha="left",
    )
    figure.legend(
        handles=_legend_handles(shot.network.groups, d.colours, d.tied),
        loc="upper left",
        bbox_to_anchor=(0.74, 0.87),
        frameon=False,
        fontsize=8.5,
        title=None,
        borderaxespad=0.0,
        labelspacing=0.8,
        handlelength=2.4,
    )


def _evidence_words(selection: Selection) -> str:
    return f"; only {selection.describe()}" if selection.active else ""


def _legend_handles(
    groups: Mapping[str, str], colours: Mapping[str, str], tied: frozenset[str]
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
