"""kb plot evolution / network and kb report against the real Neo4j with the example case.

Pictures: valid PNG/SVG, byte-identical across runs, brokers marked = brokers the analysis
ranks top. Report: every section, no external reference, pictures embedded, data escaped.
CLI: files written, exit codes of bad input.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

import kb.cli.report  # noqa: F401  (registers `kb plot` and `kb report`, in case kb.cli does not yet)
from kb.analyses.brokerage import TOP_BROKERS, BrokerageResult
from kb.analyses.selection import Selection
from kb.analyses.snapshot import Snapshot
from kb.cli import ExitCode, app
from kb.errors import EmptyCaseError, ValidationError
from kb.graph import KnowledgeBase
from kb.presentation import plots
from kb.presentation.report import SECTIONS, render_report

pytestmark = pytest.mark.neo4j

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "quebec-wg"
SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EVIL = "<script>alert('kb')</script> Louise & Co"
DRAW_ALL = """
import sys
from pathlib import Path
from kb import connect
from kb.analyses.selection import Selection
from kb.presentation import plots
from kb.presentation.report import render_report
out = Path(sys.argv[1])
out.mkdir()
with connect() as base:
    n_png = plots.network_picture(base.network_snapshot(Selection.build(at="2016")), fmt="png")
    n_svg = plots.network_picture(base.network_snapshot(stage="mobilization"), fmt="svg")
    (out / "n.png").write_bytes(n_png)
    (out / "n.svg").write_bytes(n_svg)
    (out / "r.html").write_text(render_report(base.case_results()), encoding="utf-8")
"""
runner = CliRunner()


@pytest.fixture
def case(example: KnowledgeBase) -> KnowledgeBase:
    return example


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_MAGIC)
    with Image.open(io.BytesIO(data)) as image:
        image.verify()  # raises on a corrupt file
        return image.size


def evolution_chart(case: KnowledgeBase, *, by: str, fmt: str) -> bytes:
    rows = case.evolution(by=by)
    return plots.evolution_picture(
        rows, stages=case.stages(), reforms=case.reforms(), by=by, fmt=fmt
    )


def network_chart(
    case: KnowledgeBase, *, fmt: str = "png", **options: Any
) -> tuple[bytes, Snapshot]:
    at = options.pop("at", None)
    shot = case.network_snapshot(Selection.build(at=at), **options)
    return plots.network_picture(shot, fmt=fmt), shot


def build_report(case: KnowledgeBase, **options: Any) -> str:
    return render_report(case.case_results(**options))


def top_ids(brokerage: BrokerageResult, n: int = TOP_BROKERS) -> list[str]:
    return [a["id"] for a in brokerage.actors if a["roles"]["total"]["raw"] > 0][:n]


# -- pictures -----------------------------------------------------------------------------------
@pytest.mark.parametrize("by", ["stage", "quarter"])
def test_evolution_plot_is_valid_and_byte_identical(case: KnowledgeBase, by: str) -> None:
    png = evolution_chart(case, by=by, fmt="png")
    assert png == evolution_chart(case, by=by, fmt="png")
    assert png_size(png) == (1000, 1100)

    svg = evolution_chart(case, by=by, fmt="svg")
    assert svg == evolution_chart(case, by=by, fmt="svg")
    texts = svg_texts(svg)
    # stage bands labelled, reforms labelled with their dates, the six panels
    assert {"Problem definition", "Mobilization"} <= set(texts)
    assert "Loi 10 (2015-04-01)" in texts and "Loi 20 (2015-11-10)" in texts
    assert {"actors with ties", "density", "E-I index", "pairs formed / dissolved"} <= set(texts)
    assert b"<dc:date>" not in svg.lower() and b"<metadata>" not in svg


def test_network_plot_marks_the_top_brokers_of_the_brokerage_analysis(case: KnowledgeBase) -> None:
    by_stage = {r["at"]: r for r in case.brokerage_by(by="stage", group_by="sector")}
    for stage in ("problem-definition", "mobilization"):
        data, shot = network_chart(case, stage=stage, fmt="svg")
        expected = top_ids(by_stage[stage])
        assert shot.broker_ids == expected and len(expected) == TOP_BROKERS
        texts = svg_texts(data)
        names = {a["id"]: a["name"] for a in by_stage[stage]["actors"]}
        for rank, actor in enumerate(expected, start=1):
            assert any(t.startswith(f"{rank}. {names[actor][:20]}") for t in texts), actor
        assert "undirected tie" in texts and "directed tie (arrow at the target)" in texts

    _, at = network_chart(case, at="2015-03-31", fmt="png")
    assert at.broker_ids == top_ids(
        case.brokerage(Selection.build(at="2015-03-31"), group_by="sector")
    )
    # the README's story: before Bill 10 the CLSC organizer Martine Gagnon is the top broker
    assert at.broker_ids[0] == "p-mgagnon"


def test_network_plot_draws_the_ties_of_the_period_directed_and_undirected(
    case: KnowledgeBase,
) -> None:
    shot = case.network_snapshot(stage="mobilization")
    assert {t.directed for t in shot.network.ties} == {True, False}
    assert shot.period is not None
    first, last = shot.period.first, shot.period.last
    assert first is not None and last is not None
    for tie in shot.network.ties:
        assert (tie.start is None or tie.start <= last) and (tie.end is None or tie.end >= first)
    assert set(shot.actors_with_ties) == {
        n for t in shot.network.ties for n in (t.source, t.target)
    }


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_network_plot_is_byte_identical_across_runs(case: KnowledgeBase, fmt: str) -> None:
    first = network_chart(case, stage="problem-definition", fmt=fmt)[0]
    assert first == network_chart(case, stage="problem-definition", fmt=fmt)[0]
    if fmt == "png":
        assert png_size(first) == (1100, 850)


def test_pictures_and_report_are_identical_across_processes(
    case: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """Separate interpreters with different hash seeds (set order) write the same bytes."""
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / seed
        subprocess.run(
            [sys.executable, "-c", DRAW_ALL, str(target)],
            env={**os.environ, **cli_env, "PYTHONHASHSEED": seed},
            check=True,
            capture_output=True,
        )
        outputs.append([(target / name).read_bytes() for name in ("n.png", "n.svg", "r.html")])
    assert outputs[0] == outputs[1]


def test_network_plot_rejects_bad_periods(case: KnowledgeBase) -> None:
    with pytest.raises(ValidationError, match="no stage 'nope'.*mobilization, problem-definition"):
        network_chart(case, stage="nope")
    with pytest.raises(ValidationError, match="not both"):
        network_chart(case, stage="mobilization", at="2016")
    with pytest.raises(ValidationError, match="at='2016-13'"):
        network_chart(case, at="2016-13")


# -- the report ---------------------------------------------------------------------------------
class PageScan(HTMLParser):
    """Headings, elements, attribute values and style/script bodies of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h2: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.code: list[str] = []  # <style> and <script> bodies
        self.text: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._stack.append(tag)
        self.attributes += [(tag, k, v or "") for k, v in attrs]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, k, v or "") for k, v in attrs]

    def handle_endtag(self, tag: str) -> None:
        while self._stack and self._stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        current = self._stack[-1] if self._stack else ""
        if current in ("style", "script"):
            self.code.append(data)
        else:
            self.text.append(data)
            if current == "h2":
                self.h2.append(data.strip())


def test_report_has_every_section_embedded_pictures_and_no_external_reference(
    case: KnowledgeBase,
) -> None:
    page = build_report(case, group_by="sector", from_group="community", to_group="public")
    assert page == build_report(case, group_by="sector", from_group="community", to_group="public")
    scan = PageScan()
    scan.feed(page)

    assert scan.h2 == [title for _, title in SECTIONS]
    # p-values as the CLI prints them (kb.presentation.numbers.p_value), never 0.0000
    assert ">0.0000<" not in page
    assert {f'id="{key}"' for key, _ in SECTIONS} <= {f'{a}="{v}"' for _, a, v in scan.attributes}
    # pictures are inline SVG: one per stage, the evolution plot and the survival of ties
    # across each of the two dated reforms; no <img>, <link>, script
    assert scan.tags.count("svg") == 3 + 2
    assert "Survival of ties after bill-10" in page and "Survival of ties after bill-20" in page
    assert "Monte Carlo: 1,000 random labelings, seed 20150401" in page
    assert not {"img", "link", "script", "iframe", "object", "embed"} & set(scan.tags)
    # no URL outside text: not in any attribute, not in the CSS
    for tag, name, value in scan.attributes:
        assert "http://" not in value and "https://" not in value, (tag, name, value)
        if name in ("href", "xlink:href", "src"):
            assert value.startswith("#"), (tag, name, value)
    assert not any("url(" in c or "@import" in c or "//" in c for c in scan.code)
    # content the analyses produce
    text = " ".join(scan.text)
    for expected in (
        "Louise Simard",
        "Loi 10",
        "Problem definition",
        "coordinator",
        "Depuis la fusion, on ne sait plus à qui parler au CIUSSS",
        "pb-transport",
    ):
        assert expected in text, expected


def test_report_escapes_html_in_the_data(case: KnowledgeBase) -> None:
    # The top broker of the case gets a hostile name; it shows in tables and picture labels.
    case.add("actors", {"id": "p-lsimard", "name": EVIL, "sector": "community"})
    page = build_report(case)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#x27;kb&#x27;)&lt;/script&gt; Louise &amp; Co" in page
    scan = PageScan()
    scan.feed(page)
    assert "script" not in scan.tags
    assert any(EVIL in t for t in scan.text)  # shown as text, not run as code


def test_report_rejects_a_group_no_actor_has(case: KnowledgeBase) -> None:
    with pytest.raises(ValidationError, match="citizens.*citizen, community, private, public"):
        build_report(case, from_group="citizens")


def test_report_of_an_empty_case_still_renders(kb: KnowledgeBase) -> None:
    with pytest.raises(EmptyCaseError, match="kb import"):  # an empty database: nothing
        build_report(kb)
    kb.add("reforms", {"id": "bill-10", "name": "Loi 10", "date": "2015-04-01"})
    page = build_report(kb)  # a case without actors yet: every section says what it lacks
    scan = PageScan()
    scan.feed(page)
    # every section but robustness by coder, which a case without two coders leaves out
    assert scan.h2 == [title for key, title in SECTIONS if key != "robustness-coders"]
    assert "The case has no actors." in page


# -- the command line ---------------------------------------------------------------------------
def test_cli_writes_the_pictures_and_the_report(
    case: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    commands = {
        "evolution.svg": ["plot", "evolution", "--by", "year", "--out"],
        "evolution.png": ["plot", "evolution", "--types", "COLLABORATION,INFORMATION", "--out"],
        "network.png": ["plot", "network", "--stage", "mobilization", "--out"],
        "network.svg": ["plot", "network", "--at", "2016", "--group-by", "territory", "--out"],
        "report.html": ["report", "--from", "community", "--to", "public", "--out"],
    }
    for name, args in commands.items():
        target = tmp_path / name
        result = runner.invoke(app, [*args, str(target)], env=cli_env)
        assert result.exit_code == 0, (name, result.output)
        assert f"Wrote {target}" in result.stderr
        data = target.read_bytes()
        if name.endswith(".png"):
            png_size(data)
        elif name.endswith(".svg"):
            svg_texts(data)
        else:
            assert data.startswith(b"<!DOCTYPE html>") and b"<svg" in data
    assert (
        "1. Louise Simard"
        in runner.invoke(
            app,
            ["plot", "network", "--stage", "mobilization", "--out", str(tmp_path / "n.svg")],
            env=cli_env,
        ).stderr
    )


def test_cli_report_embeds_the_view_in_a_sandboxed_frame_unless_no_view(
    case: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    pages = {}
    for name, extra in (("with.html", []), ("again.html", []), ("without.html", ["--no-view"])):
        target = tmp_path / name
        result = runner.invoke(app, ["report", "--out", str(target), *extra], env=cli_env)
        assert result.exit_code == 0, result.output
        pages[name] = target.read_text(encoding="utf-8")
    from kb.provenance import without_provenance

    # apart from its provenance (a JSON block, never run) the report itself holds no
    # script: the view's page is escaped into the frame's srcdoc
    bare = {name: "\n".join(without_provenance(tmp_path / name)) for name in pages}
    scan = PageScan()
    scan.feed(bare["with.html"])
    assert "script" not in scan.tags and scan.tags.count("iframe") == 1
    assert '<iframe class="view" title="The network over time (kb view)" ' in pages["with.html"]
    assert (
        'sandbox="allow-scripts allow-downloads" srcdoc="&lt;!DOCTYPE html&gt;'
        in pages["with.html"]
    )
    assert '<a href="#view">The network over time</a>' in pages["with.html"]
    assert bare["with.html"] == bare["again.html"]  # same data, same page, view included
    assert "<iframe" not in pages["without.html"] and 'href="#view"' not in pages["without.html"]
    assert len(pages["without.html"]) < len(pages["with.html"])


@pytest.mark.parametrize(
    ("args", "code", "text", "needs_case"),
    [
        (
            ["plot", "network", "--stage", "nope"],
            ExitCode.INVALID_INPUT,
            "no stage 'nope'. Known: mobilization, problem-definition.",
            True,
        ),
        (
            ["report", "--from", "citizens"],
            ExitCode.INVALID_INPUT,
            "no actor has sector = 'citizens'. Did you mean citizen?",
            True,
        ),
        (
            ["plot", "network", "--stage", "mobilization", "--at", "2016"],
            ExitCode.INVALID_INPUT,
            "Give --at or --stage, not both.",
            False,
        ),
        (["plot", "network", "--at", "2016-13"], ExitCode.INVALID_INPUT, "--at '2016-13'", False),
        (["plot", "evolution", "--by", "decade"], ExitCode.USAGE, "decade", False),
        (["plot", "evolution"], ExitCode.INVALID_INPUT, "The case has no stages", False),
        (["report", "--window", "soon"], ExitCode.INVALID_INPUT, "--window 'soon'", False),
    ],
)
def test_cli_bad_input_is_one_sentence_and_an_exit_code(
    kb: KnowledgeBase,
    cli_env: dict[str, str],
    tmp_path: Path,
    args: list[str],
    code: int,
    text: str,
    needs_case: bool,
) -> None:
    if needs_case:
        kb.import_data(EXAMPLE)
    else:  # a case with nothing the command needs (an empty database is another error)
        kb.add("actors", {"id": "a", "name": "A", "sector": "community"})
    out = tmp_path / ("report.html" if args[0] == "report" else "picture.png")
    result = runner.invoke(app, [*args, "--out", str(out)], env=cli_env)
    assert result.exit_code == code, result.output
    assert text in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_rejects_an_unknown_picture_format(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["plot", "evolution", "--out", str(tmp_path / "e.gif")], env=cli_env
    )
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "must end in .png or .svg" in result.stderr


def test_cli_writes_into_a_missing_folder_but_not_through_a_file(
    case: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "report.html"
    result = runner.invoke(app, ["report", "--out", str(target)], env=cli_env)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    target = blocked / "report.html"
    result = runner.invoke(app, ["report", "--out", str(target)], env=cli_env)
    assert result.exit_code == ExitCode.ERROR
    assert f"Cannot write {blocked}: it is not a folder" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("options", [{"stage": "mobilization"}, {"at": "2015-03-31"}, {}])
def test_broker_labels_overlap_neither_each_other_nor_actors(
    case: KnowledgeBase, options: dict[str, Any]
) -> None:
    at = options.pop("at", None)
    shot = case.network_snapshot(Selection.build(at=at), **options)
    positions = plots.layout(shot.whole)
    figure = plots.network_figure(
        shot, positions=positions, colours=plots.group_colours(shot.whole.groups)
    )
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axis = figure.axes[0]
    labels = [t for t in axis.texts if t.get_text()[:1].isdigit()]
    assert len(labels) == len(shot.brokers) == TOP_BROKERS
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    for node in shot.actors_with_ties:
        x, y = axis.transData.transform(positions[node])
        for box, label in zip(boxes, labels, strict=True):
            inside = box.x0 < x < box.x1 and box.y0 < y < box.y1
            assert not inside, (node, label.get_text())


def test_evolution_axes_start_at_zero(case: KnowledgeBase) -> None:
    figure = plots.evolution_figure(case.evolution(by="year"), stages=case.stages())
    for axis, (keys, _) in zip(figure.axes, plots.EVOLUTION_PANELS, strict=True):
        low, high = axis.get_ylim()
        assert (low, high) == (-1.1, 1.1) if keys[0] == "ei_index" else low == 0.0, keys


def test_texts_with_dollar_signs_are_drawn_literally(case: KnowledgeBase) -> None:
    case.add(
        "stages",
        {"id": "mobilization", "name": "Budget 5 $ – 50 % – 20 $", "start": "2017", "end": "2018"},
    )
    svg = evolution_chart(case, by="stage", fmt="svg")
    assert "Budget 5 $ – 50 % – 20 $" in svg_texts(svg)
    assert "Budget 5 $" in build_report(case)


def _stage_label_boxes(figure: Any) -> list[Any]:
    renderer = figure.canvas.get_renderer()
    figure.draw(renderer)  # the boxes as saved
    labels = plots.stage_labels(figure.axes[0])
    return [t.get_window_extent(renderer) for t in labels]


def _assert_apart(boxes: list[Any], frame: Any) -> None:
    for i, a in enumerate(boxes):
        assert frame.x0 - 1 <= a.x0 and a.x1 <= frame.x1 + 1, (a, frame)  # whole, inside
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


@pytest.mark.parametrize("by", ["stage", "year", "quarter"])
def test_stage_labels_never_overlap_on_the_example(case: KnowledgeBase, by: str) -> None:
    stages = case.stages()
    figure = plots.evolution_figure(case.evolution(by=by), stages=stages)
    boxes = _stage_label_boxes(figure)
    assert len(boxes) == len(stages) >= 2
    _assert_apart(boxes, figure.axes[0].get_window_extent())


def test_stage_labels_never_overlap_with_many_short_stages() -> None:
    """Twenty stages of a month or two each, with names longer than their bands."""
    from datetime import date

    from kb.analyses.stages import Stage
    from kb.periods import Period

    stages = []
    for i in range(20):
        first = date(2015 + i // 6, 1 + 2 * (i % 6), 1)
        last = date(first.year, first.month + 1, 28)
        stages.append(Stage(Period(f"s{i}", first, last), f"Stage {i + 1}: consultation"))
    rows = [
        {"period": s.id, "first": s.period.first, "last": s.period.last, "actors": 5 + i}
        for i, s in enumerate(stages)
    ]
    figure = plots.evolution_figure(rows, stages=stages)
    boxes = _stage_label_boxes(figure)
    assert len(boxes) == 20
    _assert_apart(boxes, figure.axes[0].get_window_extent())
