#!/usr/bin/env python3
"""`kb view` at scale, measured in Debian's headless Chromium: file size, load time, and the
time one step of the slider takes to redraw.

The case is generated (seeded): ``--actors`` actors, ``--ties`` ties whose spells start and
end on ``--dates`` distinct days, so the view has about that many change dates. The frames
are computed with the library's own rule (`Network.during`, as `kb.analyses.view` does);
the measures per frame are the degree only, counted here: kb's betweenness and brokerage
on 5,000 actors at 500 dates take far longer than the page (see bench/README.md). No
database is involved.

Each round opens the kb page and a baseline page (the same vendored sigma and graphology
drawing the same network at the first change date, no kb code) in fresh browsers; the
medians, and kb's ratio to the baseline, are printed with the machine's load average
(bench/README.md defines each number: "loaded" is the first frame of the network at the
initial date painted). Targets from issue 21: step median <= 50 ms and p95 <= 100 ms,
load <= 3 s, file <= 15 MB.

Example:
    python bench/view_bench.py                                   # 5 k actors, 25 k ties, 500 dates
    python bench/view_bench.py --actors 500 --ties 2000 --dates 100 --steps 30
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

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


BASELINE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>baseline</title>
<style>#g {{ width: 1000px; height: 630px; }}</style></head><body><div id="g"></div>
<script type="application/json" id="d">{data}</script>
{vendored}
<script>
const data = JSON.parse(document.getElementById("d").textContent);
const graph = new graphology.MultiGraph();
for (const [id, x, y, label] of data.nodes) {{
  graph.addNode(id, {{ x, y: -y, label, size: 5, color: "#E69F00" }});
}}
for (const [id, s, t, directed] of data.edges) {{
  const type = directed ? "arrow" : "line";
  graph.addEdgeWithKey(id, s, t, {{ color: "#56B4E9", size: 1, type }});
}}
window.renderer = new Sigma(graph, document.getElementById("g"));
performance.mark("kb-view:drawn");
requestAnimationFrame(() => setTimeout(() => performance.mark("kb-view:painted"), 0));
</script></body></html>"""


def baseline_page(data: dict[str, Any]) -> str:
    """The same vendored sigma and graphology drawing the same network at the same date
    (the first change date) with sigma's default programs, and no kb code: what the
    renderer alone costs in this browser on this machine, measured in the same run."""
    from kb.presentation.view import VENDORED, _resource, script_json

    shown = [
        t for t in data["ties"] if any(a <= 1 and (b is None or 1 < b) for a, b in t["frames"])
    ]
    used = {end for t in shown for end in (t["source"], t["target"])}
    graph = {
        "nodes": [[a["id"], a["x"], a["y"], a["name"]] for a in data["actors"] if a["id"] in used],
        "edges": [[t["id"], t["source"], t["target"], t["directed"]] for t in shown],
    }
    vendored = "\n".join(f"<script>{_resource('vendor/' + name)}</script>" for name in VENDORED)
    return BASELINE.format(data=script_json(graph), vendored=vendored)


# Timing marks in seconds from navigation start, and the step loop: each step is timed
# twice, the call alone (kb's script and sigma's synchronous repaint) and up to the next
# frame committed (an animation frame, then a task after it), which adds what software
# WebGL takes to draw it.
MARKS = """const t = performance.getEntriesByType('navigation')[0];
const marks = {load_event: t.loadEventEnd};
for (const m of performance.getEntriesByType('mark')) {
  marks[m.name.replace('kb-view:', '')] = m.startTime;
}
return marks;"""
STEPS = """const done = arguments[arguments.length - 1];
const [days, baseline, staged] = [arguments[0], arguments[1], arguments[2]];
const out = [];
let k = 0;
function one() {
  if (k >= days.length) { done(out); return; }
  const t0 = performance.now();
  if (baseline) window.renderer.refresh(); else kbView.setDate(days[k]);
  k += 1;
  const t1 = performance.now();
  requestAnimationFrame(() => setTimeout(() => {
    out.push([t1 - t0, performance.now() - t0]);
    one();
  }, 0));
}
// wait until the page has settled (kb: the whole graph handed to sigma) before timing
(function wait() {
  if (baseline || !staged || performance.getEntriesByName('kb-view:complete').length) one();
  else setTimeout(wait, 20);
})();"""


def chromium_cpu_s(driver_pid: int) -> float:
    """CPU seconds (user + system) used so far by every process under chromedriver: the
    browser, its renderer and its GPU process (where SwiftShader draws)."""
    import os

    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        stats[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    total, todo = 0.0, [driver_pid]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


def measure(
    path: Path, scratch: Path, days: list[str], *, baseline: bool, staged: bool
) -> dict[str, Any]:
    """One fresh browser: open the page, read its marks, time the steps. ``staged``: the
    page marks "painted" and "complete" (kb pages since the staged first frame)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="profile-", dir=scratch)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    service = Service("/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(300)
    driver.set_script_timeout(600)
    try:
        pid = service.process.pid
        cpu0 = chromium_cpu_s(pid)
        driver.get(path.as_uri())
        # a page written before the "painted" mark existed (--page): its load event
        wanted = "mark" if staged else "load"
        while not driver.execute_script(
            "return arguments[0] === 'mark'"
            " ? performance.getEntriesByName('kb-view:painted').length"
            " : performance.getEntriesByType('navigation')[0].loadEventEnd > 0",
            wanted,
        ):
            time.sleep(0.05)
        marks = driver.execute_script(MARKS)
        cpu_load = chromium_cpu_s(pid) - cpu0
        steps = driver.execute_async_script(STEPS, days, baseline, staged) if days else []
    finally:
        driver.quit()
    found: dict[str, Any] = {k: round(v / 1000, 2) for k, v in marks.items()}
    # loaded: the network at the initial date drawn and the frame committed, and the
    # document's load event passed (both; the later of the two)
    found["load_s"] = max(found.get("painted", 0), found["load_event"])
    found["load_cpu_s"] = round(cpu_load, 2)
    if steps:
        calls = sorted(s[0] for s in steps)
        frames = sorted(s[1] for s in steps)
        found["step_median_ms"] = round(statistics.median(calls), 1)
        found["step_p95_ms"] = round(_p95(calls), 1)
        found["frame_median_ms"] = round(statistics.median(frames), 1)
        found["frame_p95_ms"] = round(_p95(frames), 1)
    return found


def _p95(ordered: list[float]) -> float:
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def _load() -> str:
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--ties", type=int, default=25000)
    parser.add_argument("--dates", type=int, default=500)
    parser.add_argument("--steps", type=int, default=60, help="slider steps to time")
    parser.add_argument("--repeat", type=int, default=3, help="page loads of each page")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--page", type=Path, help="reuse this kb page (skips the generation)")
    parser.add_argument("--save", type=Path, help="also write the kb page here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from kb.presentation.view import page_data

    started = time.perf_counter()
    if args.page:
        page = args.page.read_text("utf-8")
        match = re.search(r'id="kb-view-data">(.*?)</script>', page, re.S)
        if not match:
            parser.error(f"{args.page}: not a kb view page")
        data = json.loads(match.group(1))
        change_count = len(data["dates"])
    else:
        view = generate(args.actors, args.ties, args.dates, args.seed)
        page = render_view(view, title="bench")
        data = page_data(view, title="bench")
        change_count = len(view.dates)
        if args.save:
            args.save.write_text(page, encoding="utf-8")
    built = time.perf_counter() - started
    results: dict[str, Any] = {
        "actors": len(data["actors"]),
        "ties": len(data["ties"]),
        "change_dates": change_count,
        "build_s": round(built, 2),
        "file_mb": round(len(page.encode("utf-8")) / 1e6, 2),
        "load_average_before": _load(),
    }
    runs: dict[str, list[dict[str, Any]]] = {"kb": [], "baseline": []}
    with tempfile.TemporaryDirectory(prefix="kb-view-bench-") as scratch:
        paths = {"kb": Path(scratch) / "bench.html", "baseline": Path(scratch) / "baseline.html"}
        paths["kb"].write_text(page, encoding="utf-8")
        paths["baseline"].write_text(baseline_page(data), encoding="utf-8")
        days = data["dates"][: args.steps]
        for round_ in range(args.repeat):
            for name in ("baseline", "kb"):
                # steps are timed in the first round only (they take long in software GL)
                run = measure(
                    paths[name],
                    Path(scratch),
                    days if round_ == 0 else [],
                    baseline=name == "baseline",
                    staged=name == "baseline" or "kb-view:complete" in page,
                )
                run["load_average"] = _load()
                runs[name].append(run)
                print(f"{name:8} round {round_ + 1}: {json.dumps(run)}", file=sys.stderr)
    results["load_average_after"] = _load()
    for name, found in runs.items():
        for key in ("load_s", "load_cpu_s", "drawn", "painted", "complete", "parsed"):
            values = [r[key] for r in found if key in r]
            if values:
                results[f"{name}_{key}"] = round(statistics.median(values), 2)
        for key in ("step_median_ms", "step_p95_ms", "frame_median_ms", "frame_p95_ms"):
            if key in found[0]:
                results[f"{name}_{key}"] = found[0][key]
    results["load_ratio"] = round(results["kb_load_s"] / results["baseline_load_s"], 2)
    results["load_cpu_ratio"] = round(results["kb_load_cpu_s"] / results["baseline_load_cpu_s"], 2)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(f"{key:24} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
