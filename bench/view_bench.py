#!/usr/bin/env python3
"""`kb view` at scale, measured in Debian's headless Chromium: file size, load time, and the
time one step of the slider takes to redraw.

The case is generated (seeded): ``--actors`` actors, ``--ties`` ties whose spells start and
end on ``--dates`` distinct days, so the view has about that many change dates. The frames
are computed with the library's own rule (`Network.during`, as `kb.analyses.view` does);
the measures per frame are the degree only, counted here: kb's betweenness and brokerage
on 5,000 actors at 500 dates take far longer than the page (see bench/README.md). No
database is involved.

It prints one line per measurement and, with ``--json``, the numbers as JSON. Targets from
issue 21: redraw median <= 50 ms and p95 <= 100 ms, load <= 3 s, file <= 15 MB.

Example:
    python bench/view_bench.py                                   # 5 k actors, 25 k ties, 500 dates
    python bench/view_bench.py --actors 500 --ties 2000 --dates 100 --steps 30
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from kb.analyses.network import Network, Tie
from kb.analyses.view import CaseView, Frame, change_dates
from kb.periods import Period
from kb.presentation.view import render_view

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--no-first-run",
    "--window-size=1400,900",
)


def generate(actors: int, ties: int, dates: int, seed: int) -> CaseView:
    """A case of that size whose spells start and end on ``dates`` days."""
    rng = random.Random(seed)
    nodes = [f"a-{k:05d}" for k in range(actors)]
    days = sorted(
        {date(2000, 1, 1) + timedelta(days=rng.randrange(0, 365 * 20)) for _ in range(dates)}
    )
    found = []
    for k in range(ties):
        a, b = rng.sample(nodes, 2)
        start_at = rng.randrange(len(days))
        start = days[start_at] if rng.random() > 0.1 else None
        end_at = rng.randrange(start_at, len(days))
        end = days[end_at] - timedelta(days=1) if rng.random() > 0.4 and end_at > start_at else None
        found.append(
            Tie(
                f"t-{k:06d}",
                a,
                b,
                rng.choice(["COLLABORATION", "INFORMATION", "FUNDING"]),
                rng.random() < 0.5,
                None,
                start,
                end,
            )
        )
    network = Network(
        nodes=nodes,
        names={n: f"Actor {n}" for n in nodes},
        groups={n: rng.choice(["community", "public", "private"]) for n in nodes},
        ties=found,
    )
    frames = []
    changes = change_dates(found)
    for day in [None, *changes]:
        at = (changes[0] - timedelta(days=1)) if day is None else day
        shown = network.during(Period(at.isoformat(), at, at))
        degree = Counter(n for t in shown.ties for n in (t.source, t.target))
        frames.append(
            Frame(
                day,
                sorted(t.id for t in shown.ties),
                {"degree": {n: float(degree[n]) for n in nodes}},
            )
        )
    attributes = {n: {"kind": "person", "sector": network.groups[n]} for n in nodes}
    return CaseView(network, attributes, frames, evidence={})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--ties", type=int, default=25000)
    parser.add_argument("--dates", type=int, default=500)
    parser.add_argument("--steps", type=int, default=60, help="slider steps to time")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    started = time.perf_counter()
    view = generate(args.actors, args.ties, args.dates, args.seed)
    page = render_view(view, title="bench")
    built = time.perf_counter() - started
    results: dict[str, float | int] = {
        "actors": args.actors,
        "ties": args.ties,
        "change_dates": len(view.dates),
        "build_s": round(built, 2),
        "file_mb": round(len(page.encode("utf-8")) / 1e6, 2),
    }
    with tempfile.TemporaryDirectory(prefix="kb-view-bench-") as scratch:
        path = Path(scratch) / "bench.html"
        path.write_text(page, encoding="utf-8")
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in (*FLAGS, f"--user-data-dir={Path(scratch) / 'profile'}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        driver.set_page_load_timeout(300)
        try:
            driver.get(path.as_uri())
            results["load_s"] = round(
                driver.execute_script(
                    "const t = performance.getEntriesByType('navigation')[0];"
                    "return t.loadEventEnd / 1000;"
                ),
                2,
            )
            # The page's own timing marks (parsed, controls, frame, drawn), in seconds
            # from navigation start: where the load time goes.
            for mark in driver.execute_script(
                "return performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]);"
            ):
                results[mark[0].replace("kb-view:", "mark_") + "_s"] = round(mark[1] / 1000, 2)
            dates = driver.execute_script("return kbView.dates()")
            steps = dates[: args.steps]
            times = driver.execute_script(
                """const times = [];
                for (const d of arguments[0]) {
                  const t0 = performance.now();
                  kbView.setDate(d);
                  times.push(performance.now() - t0);
                }
                return times;""",
                steps,
            )
        finally:
            driver.quit()
    ordered = sorted(times)
    results["redraw_median_ms"] = round(statistics.median(ordered), 1)
    results["redraw_p95_ms"] = round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(f"{key:18} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
