"""`kb view`'s page opened in Debian's headless Chromium (Selenium), as a reader opens it.

At every change date of the example case the page shows exactly the ties `kb export csv
--at D` writes and the actors it writes; a tie's evidence is what `kb why` gives; no
request leaves the file; the console stays clean; the URL fragment restores a view; names
and quotes holding HTML or script are shown as text, never run; a case without ties or
without dates still gives a working page.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.analyses.network import Network
from kb.analyses.selection import Selection
from kb.analyses.view import CaseView, Frame
from kb.cli import app
from kb.exports.tables import table_rows
from kb.graph import KnowledgeBase
from kb.presentation.view import render_view
from tests.handoff.browser.browser import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, BrowserError

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "quebec-wg"
# Headless Chromium draws WebGL in software only when asked to (sigma.js needs WebGL).
VIEW_FLAGS = ("--enable-unsafe-swiftshader", "--window-size=1400,1000")
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for program in (CHROMIUM, CHROMEDRIVER):
        if not Path(program).exists():
            raise BrowserError(f"{program} is missing (Debian: chromium, chromium-driver)")
    with tempfile.TemporaryDirectory(prefix="kb-view-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*CHROMIUM_FLAGS, *VIEW_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            yield driver
        finally:
            driver.quit()


def _open(driver: Any, page: Path, fragment: str = "") -> None:
    driver.get("about:blank")
    driver.get_log("browser")  # start each page with an empty log
    driver.get_log("performance")
    driver.get(page.as_uri() + fragment)
    assert driver.execute_script("return document.readyState") == "complete"
    assert driver.execute_script("return typeof window.kbView") == "object"


def _console_problems(driver: Any) -> list[dict[str, Any]]:
    """Console errors, and any warning of the page's own script; the software renderer's
    driver notes ("GPU stall due to ReadPixels", source ``rendering``) are Chromium's."""
    return [
        e
        for e in driver.get_log("browser")
        if e["level"] == "SEVERE" or e.get("source") in ("javascript", "console-api")
    ]


def _requests(driver: Any) -> list[str]:
    """Every URL the page asked for that is not the file itself or inline data."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    urls += driver.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name)"
    )
    return [u for u in urls if not u.startswith(("file:", "data:", "blob:"))]


def _tie_ids(base: KnowledgeBase, day: str) -> list[str]:
    _, rows, _ = table_rows(base, "ties", Selection.build(at=day))
    return sorted(r["id"] for r in rows)


def test_the_page_shows_at_every_change_date_what_export_csv_at_that_date_writes(
    example: KnowledgeBase, chromium: Any, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    page = tmp_path / "case.html"
    result = CliRunner().invoke(app, ["view", "--out", str(page)], env=cli_env)
    assert result.exit_code == 0, result.output
    assert page.stat().st_size <= 2_000_000  # the example's file, as the issue asks
    _open(chromium, page)
    dates = chromium.execute_script("return kbView.dates()")
    assert len(dates) > 20 and dates == sorted(dates)
    # the actors are the people (actors.csv) and the organizations (organizations.csv)
    actors = sorted(r["id"] for t in ("actors", "organizations") for r in table_rows(example, t)[1])
    for day in dates:
        chromium.execute_script("kbView.setDate(arguments[0])", day)
        shown = chromium.execute_script("return [kbView.visibleTies(), kbView.visibleActors()]")
        assert shown[0] == _tie_ids(example, day), day
        assert shown[1] == actors, day
    # sizes come from kb's own measures: the page's degree and betweenness at a date are
    # those of `kb centrality --at` that date
    for day in dates[5::25]:
        chromium.execute_script("kbView.setDate(arguments[0])", day)
        for actor in example.centrality(Selection.build(at=day))["actors"][:12]:
            shown = chromium.execute_script(
                "return [kbView.measure('degree', arguments[0]),"
                " kbView.measure('betweenness', arguments[0])]",
                actor["id"],
            )
            assert shown == [actor["degree"], pytest.approx(actor["betweenness"], abs=1e-4)]
    # one date through the command itself, to tie the comparison to `kb export csv --at`
    folder = tmp_path / "export"
    day = dates[len(dates) // 2]
    exported = CliRunner().invoke(app, ["export", "csv", str(folder), "--at", day], env=cli_env)
    assert exported.exit_code == 0, exported.output
    with (folder / "ties.csv").open(encoding="utf-8") as handle:
        written = sorted(row["id"] for row in csv.DictReader(handle))
    chromium.execute_script("kbView.setDate(arguments[0])", day)
    assert chromium.execute_script("return kbView.visibleTies()") == written
    # a day between change dates shows the earlier one's network
    assert chromium.execute_script("kbView.setDate('2016-02-29'); return kbView.visibleTies()")
    assert chromium.execute_script("return kbView.visibleTies()") == _tie_ids(example, "2016-02-29")

    # evidence: what `kb why` gives for the tie, item by item
    ties = chromium.execute_script("return kbView.visibleTies()")
    checked = 0
    for tie_id in ties[::7]:
        tie = next(
            t
            for t in example.why(*_ends(example, tie_id))
            if t["tie"] == tie_id  # why lists every tie between the two actors
        )
        shown = chromium.execute_script("return kbView.evidence(arguments[0])", tie_id)
        assert [_why_item(i) for i in tie["evidence"]] == [_why_item(i) for i in shown]
        assert all(set(i) >= {"id", "quote", "kind", "date", "source", "coder"} for i in shown)
        checked += bool(shown)
    assert checked >= 3

    # clicking through the controls writes the fragment; the fragment restores the view
    chromium.execute_script("kbView.setDate(arguments[0])", dates[10])
    chromium.find_element("id", "kb-triangulated").click()
    state = chromium.execute_script("return kbView.state()")
    expected = chromium.execute_script("return kbView.visibleTies()")
    assert state["triangulated"] is True and state["date"] == dates[10]
    # (the page writes the fragment once it settles, 50 ms after the last change)
    fragment = chromium.execute_async_script(
        "const done = arguments[0]; setTimeout(() => done(location.hash), 300);"
    )
    assert "triangulated=1" in fragment
    _open(chromium, page, fragment)
    assert chromium.execute_script("return kbView.state()") == state
    assert chromium.execute_script("return kbView.visibleTies()") == expected
    assert set(expected) < set(_tie_ids(example, dates[10]))

    # stepping: next/previous change date, by stage, from the keyboard
    chromium.execute_script("kbView.setDate(arguments[0])", dates[3])
    assert chromium.execute_script("kbView.next(); return kbView.state().date") == dates[4]
    assert chromium.execute_script("kbView.previous(); return kbView.state().date") == dates[3]
    from selenium.webdriver.common.keys import Keys

    chromium.find_element("id", "kb-next").send_keys(Keys.PAGE_DOWN)
    assert chromium.execute_script("return kbView.state().date") == dates[4]
    chromium.find_element("id", "kb-stage-mode").click()
    chromium.execute_script("kbView.setDate('2015-01-01')")
    stage = example.stages()[0].period.first
    assert stage is not None
    assert chromium.execute_script("kbView.next(); return kbView.state().date") == stage.isoformat()
    # the SVG export draws the frame shown: a line per tie, a circle per actor
    svg = chromium.execute_script("return kbView.svg()")
    assert svg.count("<line ") == len(chromium.execute_script("return kbView.visibleTies()"))
    assert svg.count("<circle ") == len(chromium.execute_script("return kbView.visibleActors()"))
    chromium.find_element("id", "kb-png").click()
    chromium.find_element("id", "kb-svg").click()

    # a reform's day: the organizations it affected and the ties it broke
    chromium.execute_script("kbView.setDate('2015-04-01')")
    assert chromium.execute_script("return kbView.reforms()") == ["bill-10"]
    # (kb counts a tie ending the eve of the reform too; the page shows the date's ties)
    shown = set(chromium.execute_script("return kbView.visibleTies()"))
    broken = sorted({t["tie"] for t in example.broken_ties(reform="bill-10")} & shown)
    assert broken and chromium.execute_script("return kbView.brokenTies()") == broken
    chromium.execute_script("kbView.setDate('2016-06-01')")
    assert chromium.execute_script("return kbView.brokenTies()") == []

    # the search ignores accents and case
    found = chromium.execute_script("return kbView.search('EMILIE').actors")
    assert "p-ebouchard" in found

    # an actor's panel lists its memberships (memberships.csv) and, for an organization,
    # its members and the reforms that hit it (reform_effects.csv)
    with (EXAMPLE / "memberships.csv").open(encoding="utf-8") as handle:
        memberships = list(csv.DictReader(handle))
    names = {
        r["id"]: r["name"] for t in ("actors", "organizations") for r in table_rows(example, t)[1]
    }
    mine = [m for m in memberships if m["person"] == "p-lsimard"]
    panel = chromium.execute_script("return kbView.select('p-lsimard')")
    assert mine and "Memberships and reforms" in panel
    for m in mine:
        assert f"{m['role'] or 'member'} of {names[m['organization']]}" in panel
    panel = chromium.execute_script("return kbView.select('csss-riviere')")
    assert "reform " in panel and "merged_into" in panel
    for m in memberships:
        if m["organization"] == "csss-riviere":
            assert f"member: {names[m['person']]}" in panel
    assert chromium.execute_script("return kbView.state().selected") == "csss-riviere"

    assert _console_problems(chromium) == []
    assert _requests(chromium) == []


def test_clicking_a_tie_on_the_canvas_opens_its_evidence_and_an_actor_its_panel(
    example: KnowledgeBase, chromium: Any, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    """Real pointer clicks (Selenium's pointer actions) at the CSS pixels where sigma draws a
    tie's middle and an actor, found through sigma (``kbView.position``)."""
    import math
    import time

    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    page = tmp_path / "case.html"
    result = CliRunner().invoke(app, ["view", "--out", str(page)], env=cli_env)
    assert result.exit_code == 0, result.output
    _open(chromium, page, "#date=2016-06-01")
    ties = chromium.execute_script("return kbView.visibleTies()")
    actors = chromium.execute_script("return kbView.visibleActors()")
    where = {a: chromium.execute_script("return kbView.position(arguments[0])", a) for a in actors}
    points = {a: (p["x"], p["y"]) for a, p in where.items()}
    ends = {t: _ends(example, t) for t in ties}

    Point = tuple[float, float]

    def off_segment(p: Point, a: Point, b: Point) -> float:
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = dx * dx + dy * dy
        along = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length if length else 0.0
        along = max(0.0, min(1.0, along))
        return math.dist(p, (a[0] + along * dx, a[1] + along * dy))

    def clear_tie(tie_id: str) -> tuple[float, float] | None:
        """The tie's middle if no actor and no other tie is drawn near it."""
        a, b = (points[e] for e in ends[tie_id])
        middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        if any(math.dist(middle, p) < 25 for p in points.values()):
            return None
        for other in ties:
            if other != tie_id and off_segment(middle, *(points[e] for e in ends[other])) < 10:
                return None
        return middle

    box = chromium.execute_script(
        "const r = document.getElementById('kb-graph').getBoundingClientRect();"
        " return [r.left, r.top];"
    )

    def click_at(x: float, y: float) -> None:
        actions = ActionBuilder(chromium)
        pointer: Any = actions.pointer_action  # (selenium's own annotations are partial)
        pointer.move_to_location(round(box[0] + x), round(box[1] + y))
        pointer.click()
        actions.perform()
        time.sleep(0.5)  # sigma counts two clicks within 300 ms as a double click

    checked = 0
    for tie_id in ties:
        middle = clear_tie(tie_id)
        why = next(t for t in example.why(*ends[tie_id]) if t["tie"] == tie_id)
        if middle is None or not why["evidence"]:
            continue
        click_at(*middle)
        panel = chromium.execute_script(
            "const box = document.getElementById('kb-details');"
            " return [box.textContent,"
            " Array.from(box.querySelectorAll('.item .meta'), m => m.textContent.split(' · ')[0])];"
        )
        assert f"Tie {tie_id}," in panel[0]
        assert panel[1] == [i["id"] for i in why["evidence"]]
        checked += 1
        if checked == 3:
            break
    assert checked == 3, "no tie of the example drawn clear of others at this date"

    # an actor drawn clear of the others: a click on it opens its panel
    actor = next(
        a for a in actors if all(math.dist(points[a], p) > 30 for b, p in points.items() if b != a)
    )
    click_at(*points[actor])
    name = chromium.execute_script("return document.querySelector('#kb-details h2').textContent")
    names = {
        r["id"]: r["name"] for t in ("actors", "organizations") for r in table_rows(example, t)[1]
    }
    assert name == names[actor]
    assert chromium.execute_script("return kbView.state().selected") == actor
    assert _console_problems(chromium) == []


def _ends(base: KnowledgeBase, tie_id: str) -> tuple[str, str]:
    row = next(r for r in table_rows(base, "ties")[1] if r["id"] == tie_id)
    return row["source"], row["target"]


def _why_item(item: dict[str, Any]) -> tuple[Any, ...]:
    source = ", ".join(
        str(p)
        for p in (item.get("document_title") or item.get("document"), item.get("location"))
        if p
    )
    return (item["id"], item["kind"], item["date"], item["quote"], item["coder"], source)


def _hostile_case(folder: Path) -> Path:
    """A copy of the example with a hostile name and a hostile quote (a 10,000-character
    name cannot be imported: Neo4j indexes names; `_bare_view` pages have one)."""
    case = folder / "hostile"
    shutil.copytree(EXAMPLE, case, ignore=shutil.ignore_patterns("qda", "*.py", "*.md"))
    for table, column, key in (("actors", "name", "p-lsimard"), ("evidence", "quote", "ev-0001")):
        path = case / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields, rows = reader.fieldnames, list(reader)
        for row in rows:
            if row["id"] == key:
                row[column] = PAYLOAD + "é" * 10
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(fields or []))
            writer.writeheader()
            writer.writerows(rows)
    return case


def test_hostile_names_and_quotes_are_shown_as_text_never_run(
    kb: KnowledgeBase, chromium: Any, tmp_path: Path
) -> None:
    kb.import_data(_hostile_case(tmp_path))
    page = tmp_path / "hostile.html"
    page.write_text(render_view(kb.case_view(), title=PAYLOAD), encoding="utf-8")
    assert PAYLOAD not in page.read_text(encoding="utf-8")  # never raw in the file
    _open(chromium, page, "#actor=p-lsimard")
    assert chromium.execute_script("return window.__pwned") is None
    assert chromium.execute_script("return document.querySelectorAll('img').length") == 0
    details = chromium.execute_script("return document.getElementById('kb-details').textContent")
    assert PAYLOAD in details
    assert chromium.execute_script("return document.getElementById('kb-title').textContent") == (
        PAYLOAD
    )
    hits = chromium.execute_script("return kbView.search('onerror=').quotes")
    assert any(h["evidence"] == "ev-0001" for h in hits)
    tie = hits[0]["tie"]
    items = chromium.execute_script("return kbView.evidence(arguments[0])", tie)
    assert any(PAYLOAD in (i["quote"] or "") for i in items)
    chromium.execute_script("document.querySelector('#kb-search').value = 'x'")
    assert chromium.execute_script("return window.__pwned") is None
    assert _console_problems(chromium) == []
    assert _requests(chromium) == []


def _bare_view(network: Network, frames: list[Frame]) -> CaseView:
    return CaseView(
        network=network,
        attributes={n: {"kind": "person"} for n in network.nodes},
        frames=frames,
        evidence={},
    )


@pytest.mark.parametrize("with_actors", [False, True])
def test_a_case_without_ties_or_dates_gives_a_working_page(
    chromium: Any, tmp_path: Path, with_actors: bool
) -> None:
    nodes = ["a", "b"] if with_actors else []
    long_name = PAYLOAD + "n" * 10_000
    network = Network(nodes=nodes, names=dict.fromkeys(nodes, long_name), groups={})
    view = _bare_view(network, [Frame(None, [], {"degree": dict.fromkeys(nodes, 0.0)})])
    page = tmp_path / "empty.html"
    page.write_text(render_view(view), encoding="utf-8")
    _open(chromium, page, "#date=2016-01-01&types=NOPE&min_evidence=x")
    assert chromium.execute_script("return kbView.dates()") == []
    assert chromium.execute_script("return kbView.visibleTies()") == []
    assert chromium.execute_script("return kbView.visibleActors()") == nodes
    notice = chromium.execute_script("return document.getElementById('kb-graph').textContent")
    assert "no ties" in notice
    if with_actors:
        found = chromium.execute_script("return kbView.search('NNNNN').actors")
        assert found == nodes
    assert chromium.execute_script("return window.__pwned") is None
    assert _console_problems(chromium) == []


def test_ties_without_dates_are_shown_whatever_the_date(
    kb: KnowledgeBase, chromium: Any, tmp_path: Path
) -> None:
    case = tmp_path / "undated"
    case.mkdir()
    (case / "actors.csv").write_text("id,name\na,Anne\nb,Béa\nc,Carl\n", encoding="utf-8")
    (case / "ties.csv").write_text(
        "id,source,target,type\nt-1,a,b,COLLABORATION\n", encoding="utf-8"
    )
    kb.import_data(case)
    page = tmp_path / "undated.html"
    page.write_text(render_view(kb.case_view()), encoding="utf-8")
    _open(chromium, page)
    assert chromium.execute_script("return kbView.dates()") == []
    assert chromium.execute_script("return kbView.visibleTies()") == ["t-1"]
    assert chromium.execute_script("return kbView.visibleActors()") == ["a", "b", "c"]
    notice = chromium.execute_script("return document.getElementById('kb-graph').textContent")
    assert "No tie of this case has a date" in notice
    assert _console_problems(chromium) == []
