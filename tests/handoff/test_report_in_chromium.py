"""kb's HTML report opened in Debian's headless Chromium, as a reader opens it.

The page loads with no console error and no request leaving the file; its pictures are
inline SVG that Chromium renders at a real size; and every link of the sticky menu lands
on its section with the heading visible below the menu, not hidden under it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kb.graph import KnowledgeBase
from kb.presentation.report import SECTIONS, render_report
from tests.handoff.browser.browser import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, BrowserError

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for program in (CHROMIUM, CHROMEDRIVER):
        if not Path(program).exists():
            raise BrowserError(f"{program} is missing (Debian: chromium, chromium-driver)")
    with tempfile.TemporaryDirectory(prefix="kb-report-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1200,900"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver: Any = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            yield driver
        finally:
            driver.quit()


def test_the_report_renders_and_every_menu_link_shows_its_heading(
    example: KnowledgeBase, chromium: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "report.html"
    page.write_text(render_report(example.case_results()), encoding="utf-8")
    chromium.get(page.as_uri())
    assert chromium.execute_script("return document.readyState") == "complete"
    problems = [e for e in chromium.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []
    # pictures are inline SVG, drawn at a real size
    sizes = chromium.execute_script(
        "return Array.from(document.querySelectorAll('figure svg'))"
        ".map(s => [s.getBoundingClientRect().width, s.getBoundingClientRect().height])"
    )
    assert len(sizes) >= 3 and all(w > 300 and h > 200 for w, h in sizes)
    resources = chromium.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name)"
    )
    assert [r for r in resources if not r.startswith(("file:", "data:"))] == []
    for key, title in SECTIONS:
        chromium.find_element(By.CSS_SELECTOR, f'nav a[href="#{key}"]').click()
        nav_bottom, heading_top, heading_bottom = chromium.execute_script(
            "const nav = document.querySelector('nav').getBoundingClientRect();"
            f"const h = document.querySelector('#{key} h2').getBoundingClientRect();"
            "return [nav.bottom, h.top, h.bottom];"
        )
        assert heading_top >= nav_bottom - 0.5, (title, nav_bottom, heading_top)
        assert heading_bottom <= chromium.execute_script("return window.innerHeight"), title


def test_the_report_embeds_the_view_which_shows_what_export_csv_at_a_date_writes(
    example: KnowledgeBase, tmp_path: Path
) -> None:
    """The view inside the report is the working page: its API answers in the frame, it
    shows the ties `kb export csv --at D` writes, and neither the report nor the frame
    makes a request or logs an error; the report itself runs no script."""
    import json

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    from kb.analyses.selection import Selection
    from kb.exports.tables import table_rows
    from kb.presentation.view import render_view

    page = tmp_path / "report.html"
    view = render_view(example.case_view(), title="The network over time")
    page.write_text(render_report(example.case_results(), view=view), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="kb-report-view-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        flags = (*CHROMIUM_FLAGS, "--enable-unsafe-swiftshader", "--window-size=1400,1000")
        for flag in (*flags, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        driver: Any = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            driver.get("about:blank")
            driver.get_log("browser")  # start with empty logs (the new-tab page's own)
            driver.get_log("performance")
            driver.get(page.as_uri())
            assert driver.execute_script("return document.readyState") == "complete"
            # the report's own document runs nothing: the one script is the frame's
            assert driver.execute_script("return document.scripts.length") == 0
            assert driver.execute_script("return typeof window.kbView") == "undefined"
            frame = driver.find_element(By.CSS_SELECTOR, "#view iframe")
            assert frame.get_attribute("sandbox") == "allow-scripts allow-downloads"
            driver.switch_to.frame(frame)
            assert driver.execute_script("return typeof window.kbView") == "object"
            # sandboxed without the report's origin: the frame cannot reach the report
            assert (
                driver.execute_script(
                    "try { return window.parent.document.title; } catch (e) { return 'blocked'; }"
                )
                == "blocked"
            )
            dates = driver.execute_script("return kbView.dates()")
            assert len(dates) > 20
            for day in [*dates[::7], dates[-1]]:
                driver.execute_script("kbView.setDate(arguments[0])", day)
                _, rows, _ = table_rows(example, "ties", Selection.build(at=day))
                expected = sorted(r["id"] for r in rows)
                assert driver.execute_script("return kbView.visibleTies()") == expected, day
            tie = driver.execute_script("return kbView.visibleTies()")[0]
            assert driver.execute_script("return kbView.evidence(arguments[0]).length", tie) > 0
            driver.switch_to.default_content()
            problems = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
            assert problems == []
            requests = [
                json.loads(e["message"])["message"]["params"]["request"]["url"]
                for e in driver.get_log("performance")
                if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"
            ]
            local = ("file:", "data:", "blob:", "about:")
            assert [u for u in requests if not u.startswith(local)] == []
        finally:
            driver.quit()
