"""Drive the real Neo4j Browser in headless Chromium: paste text into its editor, read the frames.

    with BrowserSession(browser_url, bolt_uri, user, password) as session:
        frames = session.run(":params {a: 1}")     # what a user pastes, then clicks Run
        frames = session.run("RETURN $a AS a")
        frames[0].columns, frames[0].rows          # ('a',), (('1.0',),)

The session logs in through the Browser's own connect form, pastes each text into the main
(Monaco) editor with a real ``paste`` event, as Ctrl+V does, clicks Run, and waits until every
frame the run produced has finished. A :class:`Frame` is what the user sees: its command, whether
it shows an error, the table view's header and cells as text, the messages under the result,
and for a multi-statement script the line of each statement with its status and summary.

Selectors are Neo4j Browser 5.24's own ``data-testid`` attributes (those its e2e tests use) and
its result table's class names; ``python -m tests.handoff.browser.browser`` runs a file's blocks
and prints the frames (see ``--help``).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote, urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# --disable-background-networking and friends: on a closed network Chromium's own background
# requests (component updates, sync, QUIC probes) otherwise fail loudly and slow the page down.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1600,1200",
)

# Every frame in the stream, read in one round trip. A frame is "done" when nothing in it is
# still running: a Cypher frame has its result (or error) rendered and no Stop button, a
# multi-statement script has no statement left waiting or pending.
_SNAPSHOT_JS = r"""
const text = (el) => (el ? el.innerText.trim() : "");
const q = (root, sel) => root.querySelector(sel);
const qa = (root, sel) => Array.from(root.querySelectorAll(sel));
return qa(document, '[data-testid="frame"]').map((frame) => {
  const contents = q(frame, '[data-testid="frameContents"]');
  const script = q(frame, '[data-testid="multi-statement-list"]');
  const cypherError = q(frame, '[data-testid="cypherFrameErrorMessage"]');
  const isCypher = Boolean(
    q(frame, '[data-testid="cypherFrameSidebarCode"]') ||
    q(frame, '[data-testid="cypherFrameSidebarTable"]') || cypherError);
  const pending = Boolean(q(frame, '[data-testid="stopRunFrameButton"]'));
  const loaded = Boolean(q(frame, '[data-testid="frame-loaded-contents"]'));
  const statements = script ? qa(script, '[data-testid="multi-statement-list-title"]').map(
    (title) => {
      const icon = q(title, '[data-testid="multi-statement-list-icon"]');
      const next = title.nextElementSibling;
      const open = next && next.getAttribute("data-testid") === "multi-statement-list-content";
      return {
        command: text(title),
        status: icon ? (icon.getAttribute("title") || "").replace(/^Status: /, "") : "",
        summary: open ? text(next) : null,
      };
    }) : [];
  const table = contents ? q(contents, "table.relatable__table") : null;
  const columns = table ? qa(table,
    "th.relatable__table-header-cell:not(.relatable__table-header-actions-cell)").map(text) : [];
  const rows = table ? qa(table, "tbody tr.relatable__table-body-row").map((row) =>
    qa(row, "td.relatable__table-body-cell:not(.relatable__table-row-actions-cell)").map(text))
    : [];
  const contentText = text(contents);
  let done;
  if (script) {
    done = statements.length > 0 &&
      statements.every((s) => !["waiting", "pending", ""].includes(s.status));
  } else if (isCypher) {
    done = loaded && !pending;
  } else {
    done = contentText !== "";
  }
  return {
    command: text(q(frame, '[data-testid="frameCommand"]')),
    whole: text(frame),
    kind: script ? "script" : isCypher ? "cypher" : "other",
    done: done,
    shows_graph: Boolean(q(frame, '[data-testid="cypherFrameSidebarVisualization"]')) &&
      !(table && table.offsetParent !== null),
    cypher_error: cypherError ? text(cypherError) : null,
    contents: contentText,
    statusbar: text(q(frame, '[data-testid="frameStatusbar"]')),
    columns: columns,
    rows: rows,
    statements: statements,
  };
});
"""

_TABLE_BUTTON = '[data-testid="cypherFrameSidebarTable"]'
_STATEMENT_TITLE = '[data-testid="multi-statement-list-title"]'

# The main editor is Monaco; a user's Ctrl+V reaches it as a paste event on its hidden
# textarea, whose clipboardData Monaco reads. Dispatching that event pastes exactly `text`
# (typing it instead would trigger auto-closing brackets and quotes).
_PASTE_JS = r"""
const area = document.querySelector('[data-testid="activeEditor"] textarea');
area.focus();
const data = new DataTransfer();
data.setData("text/plain", arguments[0]);
area.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                cancelable: true}));
"""

# The editor's rendered lines with their line numbers, paired by vertical position. Monaco
# renders only the lines in view (the end of a long paste), and the Browser's gutter shows
# its database prompt ("neo4j$") instead of the number 1.
_EDITOR_LINES_JS = r"""
const editor = document.querySelector('[data-testid="activeEditor"]');
const top = (el) => el.getBoundingClientRect().top;
const label = (el) => el.innerText.trim();
const gutter = Array.from(editor.querySelectorAll(".line-numbers"))
  .filter((el) => /^(\d+|\S*\$)$/.test(label(el)))
  .map((el) => [top(el), /^\d+$/.test(label(el)) ? Number(label(el)) : 1]);
const numberAt = (y) => {
  const near = gutter.filter((g) => Math.abs(g[0] - y) < 5);
  return near.length === 1 ? near[0][1] : null;
};
return Array.from(editor.querySelectorAll(".view-lines .view-line"))
  .map((el) => [numberAt(top(el)), el.innerText.replace(/\u00a0/g, " ")])
  .filter((line) => line[0] !== null)
  .sort((a, b) => a[0] - b[0]);
"""


class BrowserError(RuntimeError):
    """Neo4j Browser did not do what the harness waited for (with what it showed instead)."""


@dataclass(frozen=True)
class Statement:
    """One line of a multi-statement script frame, as the Browser lists it.

    Attributes:
        command: the statement as shown in the list.
        status: ``success``, ``error``, ``skipped`` or ``ignored``.
        summary: the text shown when the statement is opened, e.g.
            ``SUCCESS Started streaming 2 records after 3 ms and completed after 4 ms.``
    """

    command: str
    status: str
    summary: str


@dataclass(frozen=True)
class Frame:
    """One result frame of the stream, as the user sees it.

    Attributes:
        command: the frame's command line (the Browser joins its lines with spaces).
        kind: ``cypher`` (a query's result), ``script`` (a multi-statement run) or ``other``
            (``:params``, ``:param``, client-command errors, ...).
        error: whether the frame shows an error (for a script: whether a statement failed).
        columns: the table view's header; empty when the result has no columns.
        rows: the table view's cells as displayed text, one tuple per row.
        message: for a Cypher frame the status bar (``Started streaming 2 records ...``) or,
            without columns, the body message (``(no changes, no records)``); for an error the
            error text; for other frames their whole text.
        statements: the statements of a multi-statement script.
        text: the whole text of the frame's contents.
    """

    command: str
    kind: str
    error: bool
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    message: str = ""
    statements: tuple[Statement, ...] = field(default=())
    text: str = ""

    def records(self) -> list[dict[str, str]]:
        """The rows as ``{column: cell text}``."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def describe(self) -> str:
        """A readable multi-line account of the frame, for reports and assertion messages."""
        lines = [f"[{self.kind}{' ERROR' if self.error else ''}] {self.command}"]
        if self.statements:
            for st in self.statements:
                lines.append(f"    - {st.status:8} {st.command}")
                lines.append(f"      {st.summary}")
        if self.columns:
            lines.append("    columns: " + " | ".join(self.columns))
            lines.extend("    row:     " + " | ".join(row) for row in self.rows)
        if self.message and not self.statements:
            lines.extend("    " + line for line in self.message.splitlines())
        return "\n".join(lines)


@dataclass
class BrowserSession:
    """A headless Chromium logged into Neo4j Browser; use as a context manager.

    Args:
        browser_url: where the Browser is served, e.g. ``http://127.0.0.1:7474/browser/``.
        bolt_uri: the Bolt address the Browser connects to, e.g. ``bolt://127.0.0.1:7687``.
        user: the user to log in as.
        password: that user's password, typed into the connect form.
        database: the database the Browser uses.
        timeout: seconds to wait for the Browser to load, connect, or finish a run.
    """

    browser_url: str
    bolt_uri: str
    user: str
    password: str
    database: str = "neo4j"
    timeout: float = 30.0
    _version: str = field(default="", init=False, repr=False)
    _driver: Any = field(default=None, init=False, repr=False)
    _profile: str = field(default="", init=False, repr=False)

    # -- life cycle --------------------------------------------------------------------------

    def __enter__(self) -> Self:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        for program in (CHROMIUM, CHROMEDRIVER):
            if not Path(program).exists():
                raise BrowserError(f"{program} is missing (Debian: chromium, chromium-driver)")
        self._profile = tempfile.mkdtemp(prefix="kb-browser-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={self._profile}"):
            options.add_argument(flag)
        try:
            self._driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
            self._driver.set_script_timeout(self.timeout)
            self._login()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Quit Chromium and remove its throw-away profile."""
        if self._driver is not None:
            self._driver.quit()
            self._driver = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = ""

    @property
    def connect_url(self) -> str:
        """The Browser URL that pre-fills the connect form (as ``kb browse`` prints it)."""
        bolt = urlsplit(self.bolt_uri)
        connect = f"{bolt.scheme}://{self.user}@{bolt.netloc}"
        return (
            f"{self.browser_url}?dbms={quote(connect, safe=':/@')}"
            f"&db={quote(self.database, safe='')}"
        )

    def _login(self) -> None:
        from selenium.webdriver.common.by import By

        driver = self._driver
        driver.get(self.connect_url)
        password = self._wait(
            lambda: self._first_displayed('input[data-testid="password"]'),
            "the connect form",
        )
        address = driver.find_element(By.CSS_SELECTOR, 'input[data-testid="boltaddress"]')
        expected = urlsplit(self.bolt_uri).netloc
        if expected not in (address.get_attribute("value") or ""):
            raise BrowserError(
                f"the connect form shows {address.get_attribute('value')!r}, not {expected}"
            )
        password.send_keys(self.password)
        self._click(lambda: driver.find_element(By.CSS_SELECTOR, 'button[data-testid="connect"]'))

        def connected() -> bool | None:
            for frame in self._snapshot():
                if "You are connected as user" in frame["contents"]:
                    return True
                # A refused login stays on the form, the server's error under it.
                refused = re.search(r"Neo\.ClientError\.[\w.]+: [^\n]*", frame["whole"])
                if refused:
                    raise BrowserError(f"Neo4j Browser could not log in: {refused.group(0)}")
            return None

        self._wait(connected, "the Browser to connect to " + self.bolt_uri)

    @property
    def version(self) -> str:
        """The Browser's version, as its About drawer names it (read once, drawer closed)."""
        if not self._version:
            about = '[data-testid="navigationAbout"]'
            self._click(lambda: self._first_displayed(about))

            def version() -> str | None:
                body = self._driver.execute_script("return document.body.innerText")
                found = re.search(r"Neo4j Browser version:\s*(\S+)", body)
                return found.group(1) if found else None

            try:
                self._version = str(self._wait(version, "the About drawer"))
            finally:
                self._click(lambda: self._first_displayed(about))
        return self._version

    # -- running what a user pastes ----------------------------------------------------------

    def run(self, text: str, *, clear: bool = True) -> list[Frame]:
        """Paste ``text`` into the main editor, click Run, and return the frames it produced.

        Args:
            text: exactly what the user pastes (one or several lines).
            clear: empty the stream first (``:clear``) so that only this run's frames are
                returned; the Browser's parameters and settings are kept. Without it, every
                frame of the stream is returned.

        Returns:
            The frames, newest first (the order the Browser shows them in).

        Raises:
            BrowserError: nothing finished within ``timeout`` seconds.
        """
        if clear:
            self._submit(":clear")
            self._wait(lambda: not self._snapshot() or None, "the stream to clear")
        self._submit(text)
        frames = self._settle()
        return [self._read(index, raw) for index, raw in enumerate(frames)]

    def editor_lines(self) -> list[tuple[int, str]]:
        """The main editor's lines in view, as ``(line number, text)``."""
        return [(int(n), str(t)) for n, t in self._driver.execute_script(_EDITOR_LINES_JS)]

    def _shows(self, text: str) -> bool:
        """Whether the editor holds ``text``: as many lines, those in view equal to it.

        Monaco draws only the lines in view, and of a long line only its start.
        """
        wanted = text.split("\n")
        shown = self.editor_lines()
        return (
            bool(shown)
            and shown[-1][0] == len(wanted)
            and all(wanted[n - 1].startswith(line.rstrip()) for n, line in shown)
        )

    def _submit(self, text: str) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        driver = self._driver
        area = driver.find_element(By.CSS_SELECTOR, '[data-testid="activeEditor"] textarea')
        # Whatever is left in the editor goes: select all, delete (as a user would).
        area.send_keys(Keys.CONTROL, "a")
        area.send_keys(Keys.DELETE)
        driver.execute_script(_PASTE_JS, text)
        try:
            self._wait(lambda: self._shows(text) or None, "the editor to show the pasted text")
        except BrowserError as error:
            shown = "\n".join(f"  {n:3} {line}" for n, line in self.editor_lines())
            raise BrowserError(f"{error}\npasted:\n{text}\neditor shows:\n{shown}") from None
        self._click(lambda: driver.find_element(By.CSS_SELECTOR, '[data-testid="editor-Run"]'))

    def _settle(self) -> list[dict[str, Any]]:
        """Wait until at least one frame exists and every frame is done and stable."""
        previous: list[dict[str, Any]] | None = None

        def settled() -> list[dict[str, Any]] | None:
            nonlocal previous
            frames = self._snapshot()
            ok = bool(frames) and all(f["done"] for f in frames)
            # Frames render in steps (a script lists its statements as they are added): a
            # snapshot counts only when it equals the previous one, 100 ms earlier.
            stable = ok and frames == previous
            previous = frames
            return frames if stable else None

        frames: list[dict[str, Any]] = self._wait(settled, "the run to finish", poll=0.1)
        # Results holding nodes open in the graph view; the table view is where rows are read.
        graphs = [index for index, frame in enumerate(frames) if frame["shows_graph"]]
        for index in graphs:
            self._click(partial(self._frame_element, index, _TABLE_BUTTON))
        if graphs:
            previous = None
            frames = self._wait(settled, "the table view", poll=0.1)
        return frames

    def _read(self, index: int, raw: dict[str, Any]) -> Frame:
        statements = tuple(self._statements(index, raw)) if raw["kind"] == "script" else ()
        if raw["kind"] == "script":
            error = any(st.status == "error" for st in statements)
            message = raw["contents"]
        elif raw["kind"] == "cypher":
            error = raw["cypher_error"] is not None
            if error:
                message = raw["cypher_error"]
            elif raw["columns"]:
                message = raw["statusbar"]
            else:
                message = "\n".join(filter(None, (raw["contents"], raw["statusbar"])))
        else:
            body = raw["contents"]
            error = body.startswith("ERROR") or "Something went wrong" in raw["statusbar"]
            message = "\n".join(filter(None, (body, raw["statusbar"])))
        return Frame(
            command=raw["command"],
            kind=raw["kind"],
            error=error,
            columns=tuple(raw["columns"]),
            rows=tuple(tuple(row) for row in raw["rows"]),
            message=message,
            statements=statements,
            text=raw["contents"],
        )

    def _statements(self, index: int, raw: dict[str, Any]) -> list[Statement]:
        """Each statement's summary: the list shows one at a time, opened by a click."""
        statements = []
        for number, listed in enumerate(raw["statements"]):
            summary = listed["summary"]
            if summary is None:
                self._click(partial(self._statement_title, index, number))

                def opened(number: int = number) -> str | None:
                    shown = self._snapshot()[index]["statements"][number]["summary"]
                    return shown or None

                summary = self._wait(opened, f"statement {number + 1} of the script to open")
            statements.append(Statement(listed["command"], listed["status"], summary or ""))
        return statements

    # -- plumbing ----------------------------------------------------------------------------

    def _snapshot(self) -> list[dict[str, Any]]:
        return list(self._driver.execute_script(_SNAPSHOT_JS))

    def _frame_elements(self, index: int, selector: str) -> list[Any]:
        from selenium.webdriver.common.by import By

        frame = self._driver.find_elements(By.CSS_SELECTOR, '[data-testid="frame"]')[index]
        return list(frame.find_elements(By.CSS_SELECTOR, selector))

    def _statement_title(self, index: int, number: int) -> Any:
        return self._frame_elements(index, _STATEMENT_TITLE)[number]

    def _frame_element(self, index: int, selector: str) -> Any:
        return self._frame_elements(index, selector)[0]

    def _click(self, locate: Callable[[], Any]) -> None:
        """Click what ``locate`` finds once it can take the click.

        Frames slide in and grow while they render: until the layout settles the element may
        be covered, out of view, or replaced; each try finds it again and scrolls to it.
        """
        from selenium.common.exceptions import (
            ElementClickInterceptedException,
            ElementNotInteractableException,
            StaleElementReferenceException,
        )

        def clicked() -> bool | None:
            element = locate()
            if element is None:
                return None
            try:
                self._driver.execute_script(
                    "arguments[0].scrollIntoView({block: 'center'})", element
                )
                element.click()
            except (
                ElementClickInterceptedException,
                ElementNotInteractableException,
                StaleElementReferenceException,
            ):
                return None
            return True

        self._wait(clicked, "an element to take a click")

    def _first_displayed(self, selector: str) -> Any:
        from selenium.webdriver.common.by import By

        for element in self._driver.find_elements(By.CSS_SELECTOR, selector):
            if element.is_displayed() and element.is_enabled():
                return element
        return None

    def _wait(self, condition: Any, what: str, *, poll: float = 0.05) -> Any:
        """Poll ``condition`` until it returns something truthy; fail after ``timeout``."""
        deadline = time.monotonic() + self.timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                shown = "\n".join(
                    f"  {f['command']!r}: {f['contents'][:300]!r}" for f in self._snapshot()
                )
                raise BrowserError(
                    f"timed out after {self.timeout:.0f} s waiting for {what}; "
                    f"frames:\n{shown or '  (none)'}"
                )
            time.sleep(poll)


def read_blocks(path: Path) -> list[tuple[str, str]]:
    """``(title, text)`` blocks of a file where each block starts with a line ``---- title``."""
    blocks: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("----"):
            blocks.append((line[4:].strip(), []))
        elif blocks:
            blocks[-1][1].append(line)
    return [(title, "\n".join(lines).strip("\n")) for title, lines in blocks]


def main(argv: Sequence[str] | None = None) -> None:
    """Paste each block of a file into Neo4j Browser, in order, and print the frames."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("file", type=Path, help="blocks to paste, each after a line '---- title'")
    parser.add_argument("--browser-url", default="http://127.0.0.1:7474/browser/")
    parser.add_argument("--bolt", default="bolt://127.0.0.1:7687")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password-file", type=Path, required=True)
    parser.add_argument("--json", action="store_true", help="print the frames as JSON")
    args = parser.parse_args(argv)
    started = time.monotonic()
    password = args.password_file.read_text().strip()
    with BrowserSession(args.browser_url, args.bolt, args.user, password) as session:
        print(f"# logged in after {time.monotonic() - started:.1f} s; Browser {session.version}")
        for title, block in read_blocks(args.file):
            t0 = time.monotonic()
            frames = session.run(block)
            print(f"\n## {title} ({time.monotonic() - t0:.1f} s); pasted:")
            print("\n".join("   > " + line for line in block.splitlines()))
            for frame in frames:
                if args.json:
                    print(json.dumps(frame.__dict__, default=list, ensure_ascii=False, indent=1))
                else:
                    print(frame.describe())
    print(f"\n# total {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
