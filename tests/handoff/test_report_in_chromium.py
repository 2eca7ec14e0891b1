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
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
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
