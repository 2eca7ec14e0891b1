#!/usr/bin/env python3
"""Screenshots of a `kb view` page at given dates, in Debian's headless Chromium (Selenium).

docs/view.md's pictures come from this: the page is opened once per date with the date in
its URL fragment (as a shared link would), and the window saved as PNG.

Example:
    python tools/screenshot_view.py case.html docs/img/view 2015-03-31 2015-04-01 2017-06-01
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",  # sigma.js draws with WebGL: software rendering
    "--disable-background-networking",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1400,900",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=Path, help="the HTML file kb view wrote")
    parser.add_argument("prefix", help="PNG files are PREFIX-DATE.png")
    parser.add_argument("dates", nargs="+", help="YYYY-MM-DD dates to show")
    parser.add_argument("--fragment", default="", help="more state, e.g. actor=p-lsimard")
    args = parser.parse_args(argv)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="kb-shots-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            for day in args.dates:
                extra = f"&{args.fragment}" if args.fragment else ""
                driver.get("about:blank")
                driver.get(f"{args.page.resolve().as_uri()}#date={day}{extra}")
                state = driver.execute_script("return kbView.state()")
                if state["date"] != day:
                    print(f"Error: the page did not go to {day}.", file=sys.stderr)
                    return 1
                out = Path(f"{args.prefix}-{day}.png")
                out.parent.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(out))
                print(out)
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
