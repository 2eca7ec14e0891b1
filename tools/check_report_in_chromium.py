#!/usr/bin/env python3
"""Open an HTML report (``kb report``) in headless Chromium and check that it is clean.

What it does:

1. loads the file in Debian's ``/usr/bin/chromium`` (``apt-get install -y chromium``) with a
   fresh profile, no background services, and a host resolver that resolves nothing, so no
   request can leave the machine;
2. takes a screenshot (``--screenshot``) of the top of the page, or with ``--full-page`` of
   all of it (plus tiles small enough to look at);
3. reads the browser's log for console messages (``CONSOLE`` lines, ``Uncaught`` errors) and
   its net log for requests the page itself made to anything but ``file:`` / ``data:``;
4. dumps the DOM after load and counts sections, headings, inline SVG pictures, tables and
   scripts.

Exit codes: 0 clean; 1 console messages or external requests; 2 usage (missing file or
chromium); 3 chromium failed or wrote no screenshot.

Example:
    python tools/check_report_in_chromium.py report.html --screenshot /tmp/report.png --full-page
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
    # Nothing resolves: a page that tries to load a URL fails here instead of reaching out.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\]\s*(?P<message>.*)$")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass
class Run:
    """One chromium run: its exit status, log lines, and the page's own network requests."""

    returncode: int
    stdout: str
    console: list[str] = field(default_factory=list)
    uncaught: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)


class DomSummary(HTMLParser):
    """Counts what the rendered DOM holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[str] = []
        self.headings: list[str] = []
        self.svgs = 0
        self.tables = 0
        self.scripts = 0
        self.images = 0
        self._in_h2 = False
        self._h2 = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and found.get("id"):
            self.sections.append(str(found["id"]))
        elif tag == "svg":
            self.svgs += 1
        elif tag == "table":
            self.tables += 1
        elif tag == "script":
            self.scripts += 1
        elif tag == "img":
            self.images += 1
        elif tag == "h2":
            self._in_h2, self._h2 = True, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._in_h2:
            self.headings.append(self._h2.strip())
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self._h2 += data


def find_chromium(given: str | None) -> str | None:
    for candidate in (given, "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def page_requests(net_log: Path) -> list[str]:
    """URLs the page (top frame ``file://``) asked for over the network."""
    try:
        data = json.loads(net_log.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    kinds = {
        number: name for name, number in data.get("constants", {}).get("logEventTypes", {}).items()
    }
    found = []
    for event in data.get("events", []):
        params = event.get("params") or {}
        if kinds.get(event.get("type")) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        # Chromium's own requests (updates, accounts) are not keyed to the file:// page.
        if "file://" not in str(params.get("network_isolation_key", "")):
            continue
        url = str(params["url"])
        if not url.startswith(("file:", "data:")):
            found.append(url)
    return sorted(set(found))


def run_chromium(chromium: str, url: str, extra: list[str], timeout: float) -> Run:
    """Run chromium once on ``url`` with a new profile; collect console lines and requests."""
    with tempfile.TemporaryDirectory(prefix="kb-chromium-") as scratch:
        net_log = Path(scratch) / "net-log.json"
        command = [
            chromium,
            *FLAGS,
            f"--user-data-dir={Path(scratch) / 'profile'}",
            f"--log-net-log={net_log}",
            *extra,
            url,
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,  # its own process group, so a hung run can be ended
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            stderr += f"\n(chromium did not finish within {timeout:.0f} s)"
            process.returncode = process.returncode or 124
        run = Run(process.returncode, stdout)
        for line in stderr.splitlines():
            match = CONSOLE.search(line)
            if match:
                run.console.append(match.group("message"))
            if "Uncaught" in line and not match:
                run.uncaught.append(line.strip())
        run.external_requests = page_requests(net_log)
        if process.returncode != 0:
            tail = "\n".join(stderr.splitlines()[-15:])
            run.uncaught.append(f"chromium exited with {process.returncode}:\n{tail}")
        return run


def _size(path: Path) -> str:
    """``, 1280x2400 px`` from a PNG's header (width and height are bytes 16-24)."""
    try:
        header = path.read_bytes()[:24]
    except OSError:
        return ""
    if not header.startswith(PNG_MAGIC):
        return ""
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    return f", {width}x{height} px"


def crop_and_tile(screenshot: Path, tile_height: int) -> list[Path]:
    """Crop a tall screenshot to the page's content and cut it into numbered tiles.

    Needs Pillow (matplotlib depends on it); without it the tall screenshot stays as is.
    """
    try:
        from PIL import Image, ImageChops
    except ImportError:
        print("(Pillow is not installed: the full-page screenshot is not cropped or tiled)")
        return []
    with Image.open(screenshot) as opened:
        image = opened.convert("RGB")
    blank = Image.new("RGB", image.size, (255, 255, 255))
    box = ImageChops.difference(image, blank).getbbox()
    bottom = min(image.height, (box[3] if box else image.height) + 40)
    image = image.crop((0, 0, image.width, bottom))
    image.save(screenshot)
    tiles = []
    for number, top in enumerate(range(0, bottom, tile_height), start=1):
        tile = screenshot.with_name(f"{screenshot.stem}-{number:02d}.png")
        image.crop((0, top, image.width, min(bottom, top + tile_height))).save(tile)
        tiles.append(tile)
    return tiles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path, help="the HTML file to check")
    parser.add_argument("--screenshot", type=Path, help="PNG to write (default: REPORT.png)")
    parser.add_argument("--window-size", default="1280,2400", help="width,height in pixels")
    parser.add_argument(
        "--full-page",
        action="store_true",
        help="screenshot the whole page (a window --max-height tall, cropped to the content) "
        "and cut it into SCREENSHOT-NN.png tiles of --tile-height pixels for viewing",
    )
    parser.add_argument("--max-height", type=int, default=30000, help="with --full-page")
    parser.add_argument("--tile-height", type=int, default=2400, help="with --full-page")
    parser.add_argument("--chromium", help="the chromium binary (default /usr/bin/chromium)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per chromium run")
    args = parser.parse_args(argv)

    report: Path = args.report.resolve()
    if not report.is_file():
        print(f"Error: {report} does not exist.", file=sys.stderr)
        return 2
    chromium = find_chromium(args.chromium)
    if chromium is None:
        print(
            "Error: chromium not found. Install it with: apt-get update && "
            "apt-get install -y chromium",
            file=sys.stderr,
        )
        return 2
    screenshot: Path = (args.screenshot or report.with_suffix(".png")).resolve()
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    url = report.as_uri()
    width = args.window_size.split(",")[0]
    height = args.max_height if args.full_page else args.window_size.split(",")[1]
    window = f"--window-size={width},{height}"

    dom_run = run_chromium(
        chromium, url, ["--dump-dom", "--virtual-time-budget=3000"], args.timeout
    )
    dom = DomSummary()
    dom.feed(dom_run.stdout)
    screenshot.unlink(missing_ok=True)
    shot_run = run_chromium(chromium, url, [f"--screenshot={screenshot}", window], args.timeout)
    runs = [dom_run, shot_run]
    shots = [screenshot]
    rendered = screenshot.is_file() and screenshot.read_bytes().startswith(PNG_MAGIC)
    if rendered and args.full_page:
        shots += crop_and_tile(screenshot, args.tile_height)

    console = sorted({m for r in runs for m in r.console})
    uncaught = sorted({m for r in runs for m in r.uncaught})
    external = sorted({u for r in runs for u in r.external_requests})

    print(f"report:      {report} ({report.stat().st_size:,} bytes)")
    print(f"chromium:    {chromium}")
    print(f"sections:    {len(dom.sections)} ({', '.join(dom.sections) or 'none'})")
    print(f"h2 headings: {' | '.join(dom.headings) or 'none'}")
    print(
        f"inline svg:  {dom.svgs}   tables: {dom.tables}   img: {dom.images}   "
        f"script: {dom.scripts}"
    )
    for path in shots:
        state = f"{path.stat().st_size:,} bytes" if path.is_file() else "missing"
        print(f"screenshot:  {path} ({state}{_size(path)})")
    print(f"console:     {len(console)} message(s)")
    for message in console:
        print(f"  CONSOLE {message}")
    for line in uncaught:
        print(f"  {line}")
    print(f"requests:    {len(external)} external request(s) by the page")
    for address in external:
        print(f"  {address}")

    if any(r.returncode != 0 for r in runs) or not rendered:
        print("FAILED: chromium did not render the page.", file=sys.stderr)
        return 3
    if console or uncaught or external:
        print("FAILED: console messages or external requests.", file=sys.stderr)
        return 1
    print("OK: no console messages, no external requests.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
