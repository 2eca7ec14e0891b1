"""`kb view`: the case over time as one self-contained HTML page (docs/view.md).

It receives a `CaseView` (kb.analyses.view: the network at every change date, measures,
evidence) and writes the page: a stable layout computed here with igraph, the data as
JSON, the page's own script (``kb/resources/view.js``) and the vendored sigma.js and
graphology (``kb/resources/vendor/``, tools/vendor_js.py), all inline, so the file opens
from a USB stick or an e-mail attachment with no request leaving it.

The same data gives the same bytes: positions come from seeded start positions and a
seeded igraph run, numbers are rounded, JSON keys sorted, and nothing records the time it
was written.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from html import escape
from importlib.resources import files
from typing import Any

from kb.analyses.view import CaseView, coverage
from kb.presentation.layout import fruchterman_reingold

LAYOUT_SEED = 21
DIGITS = 4  # positions and measures: enough for the eye, stable across platforms
# Okabe and Ito's palette, which survives the common colour-blindnesses (the page's
# legends use the same order; grey is kept for "(none)").
OKABE_ITO = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
VENDORED = ("graphology.umd.min.js", "sigma.min.js")
PLACEHOLDER = re.compile(r"\{\{(title|licences|style|vendored|data|script)\}\}")


def _start(actor: str) -> tuple[float, float]:
    """A start position from the actor's id alone: adding an actor moves no other start."""
    digest = hashlib.sha256(actor.encode("utf-8")).digest()
    return (
        int.from_bytes(digest[:4], "big") / 2**32 - 0.5,
        int.from_bytes(digest[4:8], "big") / 2**32 - 0.5,
    )


def anchored_layout(
    nodes: list[str], pairs: list[tuple[str, str]], *, seed: int = LAYOUT_SEED
) -> dict[str, tuple[float, float]]:
    """One position per actor in [0, 1]², for every date of the view.

    The layout is of every tie whatever its spell, so an actor keeps its place when others
    arrive or ties end (the mental map); igraph's Fruchterman-Reingold starts from
    positions derived from the ids and draws its random numbers from a seeded generator,
    so the same case gives the same positions.
    """
    if not nodes:
        return {}
    index = {node: k for k, node in enumerate(nodes)}
    edges = sorted({(min(index[a], index[b]), max(index[a], index[b])) for a, b in pairs if a != b})
    start = [list(_start(node)) for node in nodes]
    coords = fruchterman_reingold(len(nodes), edges, start, seed)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return {
        node: (
            round((x - min(xs)) / span, DIGITS),
            round((y - min(ys)) / span, DIGITS),
        )
        for node, (x, y) in zip(nodes, coords, strict=True)
    }


def _runs(view: CaseView) -> dict[str, list[list[int | None]]]:
    """Per tie, the frames in which it is selected, as ``[first, after]`` runs (``after``
    None: to the last frame); the page shows a tie in frame k when a run holds k."""
    runs: dict[str, list[list[int | None]]] = {}
    previous: set[str] = set()
    for k, frame in enumerate(view.frames):
        now = set(frame.ties)
        for tie in sorted(now - previous):
            runs.setdefault(tie, []).append([k, None])
        for tie in sorted(previous - now):
            runs[tie][-1][1] = k
        previous = now
    return runs


def page_data(view: CaseView, *, title: str) -> dict[str, Any]:
    """The JSON the page reads: actors, ties and the frames they are visible in, measures
    per frame, evidence per tie, reforms, stages and the slider's marks."""
    network = view.network
    positions = anchored_layout(network.nodes, [(t.source, t.target) for t in network.ties])
    actors = [
        {
            "id": node,
            "name": network.names.get(node) or node,
            "x": positions[node][0],
            "y": positions[node][1],
            "attributes": view.attributes.get(node, {}),
        }
        for node in network.nodes
    ]
    runs = _runs(view)
    ties = []
    for tie in sorted(network.ties, key=lambda t: t.id):
        items = view.evidence.get(tie.id, [])
        cover = coverage(items)
        ties.append(
            {
                "id": tie.id,
                "source": tie.source,
                "target": tie.target,
                "type": tie.type,
                "directed": tie.directed,
                "start": _iso(tie.start),
                "end": _iso(tie.end),
                "evidence_count": cover.evidence,
                "triangulated": cover.triangulated,
                "frames": runs.get(tie.id, []),
            }
        )
    names = sorted({name for f in view.frames for name in f.measures})
    measures = {name: _changes(view, name) for name in names}
    attributes = sorted({key for values in view.attributes.values() for key in values})
    return {
        "title": title,
        "selection": view.selection,
        "dates": [d.isoformat() for d in view.dates],
        "observed": [d.isoformat() for d in view.observed] if view.observed else None,
        "marks": _marks(view),
        "actors": actors,
        "ties": ties,
        "attributes": attributes,
        "measures": measures,
        "evidence": {tie: view.evidence[tie] for tie in sorted(view.evidence)},
        "reforms": view.reforms,
        "stages": view.stages,
        "palette": list(OKABE_ITO),
        "memberships": view.memberships,
    }


def _changes(view: CaseView, name: str) -> list[list[float]]:
    """Per actor, its value of measure ``name`` as ``[frame, value, frame, value, ...]``
    pairs, one where the value changes (from frame 0): a degree changes only when the
    actor's ties do, so a large case stays small."""
    found = []
    for node in view.network.nodes:
        pairs: list[float] = []
        for k, frame in enumerate(view.frames):
            value = round(frame.measures.get(name, {}).get(node, 0.0), DIGITS)
            if not pairs or pairs[-1] != value:
                pairs += [k, value]
        found.append(pairs)
    return found


def _marks(view: CaseView) -> list[dict[str, str]]:
    """Slider marks: every change date, reform, and stage's first and last day, in date
    order."""
    marks = [{"date": d.isoformat(), "kind": "change", "label": ""} for d in view.dates]
    for reform in view.reforms:
        if reform["day"]:
            marks.append({"date": reform["day"], "kind": "reform", "label": reform["name"]})
    for stage in view.stages:
        if stage["first"]:
            marks.append({"date": stage["first"], "kind": "stage", "label": stage["name"]})
        if stage["last"]:
            marks.append(
                {"date": stage["last"], "kind": "stage", "label": f"end of {stage['name']}"}
            )
    return sorted(marks, key=lambda m: (m["date"], m["kind"], m["label"]))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def script_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` as escapes, so a
    quote holding ``</script>`` cannot end the element (the page reads it with
    JSON.parse, which turns the escapes back into the characters, shown as text)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _resource(name: str) -> str:
    return files("kb").joinpath("resources").joinpath(name).read_text("utf-8")


def render_view(view: CaseView, *, title: str = "kb view") -> str:
    """The whole page as text (UTF-8 when written)."""
    vendored = "\n".join(f"<script>{_resource('vendor/' + name)}</script>" for name in VENDORED)
    licences = "\n\n".join(
        f"{package} (MIT):\n{_resource(f'vendor/{package}.LICENSE.txt')}"
        for package in ("sigma", "graphology")
    )
    values = {
        "title": escape(title),
        "licences": escape(licences),
        "style": _resource("view.css"),
        "vendored": vendored,
        "data": script_json(page_data(view, title=title)),
        "script": _resource("view.js"),
    }
    # One pass: a value (a quote, a minified library) holding "{{...}}" is never expanded.
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], _resource("view.html"))
