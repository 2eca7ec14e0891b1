"""The code blocks of the documentation, and the markers that say how to run them.

A fenced block is run by the tests when its language is Python or a shell (``python``;
``bash``, ``sh``; ``console``, whose ``$ `` lines are the commands). HTML comments on the
lines right above the fence say what it needs, in words a reader of the Markdown source
understands:

- ``<!-- setup: COMMANDS -->``: shell commands run first, in the block's folder (most often
  ``kb import examples/quebec-wg``: the block expects the example case in the database);
- ``<!-- not-run: REASON -->``: the block is not run, for the reason given (it stops the
  server, needs another server, Chromium, ...). Keep these few.

R blocks are run by tests/handoff/test_export_recipes.py; blocks without a language are
output or file listings. docs/tutorial.md is generated and checked by
tools/build_tutorial.py, which runs its commands in order in a fresh copy of the checkout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.support import ROOT

PYTHON = {"python"}
SHELL = {"bash", "sh", "console"}
RUN_ELSEWHERE = {"r": "tests/handoff/test_export_recipes.py runs the R recipes"}
NOT_CODE = {"", "text", "cypher"}
GENERATED = {"tutorial.md": "tools/build_tutorial.py runs it (tests/integration/test_tutorial.py)"}

FENCE = re.compile(r"^```([\w-]*)\s*$")
MARKER = re.compile(r"^<!-- ([\w-]+): (.*?) -->$")


@dataclass(frozen=True)
class Block:
    """One fenced block of a document."""

    path: Path
    line: int  # of the opening fence, 1-based
    language: str
    code: str
    markers: dict[str, str]

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def setup(self) -> str | None:
        return self.markers.get("setup")

    @property
    def not_run(self) -> str | None:
        return self.markers.get("not-run")

    def shown_output(self) -> list[str]:
        """The output lines a console block shows, spaces collapsed, empty lines and a
        ``…`` alone (lines left out) skipped. A line ending in ``…`` is cut short: what
        precedes it must begin a printed line."""
        if self.language != "console":
            return []
        return [
            " ".join(line.split())
            for line in self.code.splitlines()
            if line.strip() not in ("", "…") and not line.startswith("$ ")
        ]

    def commands(self) -> str:
        """The block as a shell script (a console block's ``$ `` lines)."""
        if self.language != "console":
            return self.code
        return "\n".join(line[2:] for line in self.code.splitlines() if line.startswith("$ "))


def documents() -> list[Path]:
    """README.md and docs/*.md but the generated ones."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of ``path``, each with the markers right above it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    k = 0
    while k < len(lines):
        fence = FENCE.match(lines[k])
        if not fence:
            k += 1
            continue
        markers: dict[str, str] = {}
        above = k - 1
        while above >= 0 and (marker := MARKER.match(lines[above])):
            markers.setdefault(marker[1], marker[2])
            above -= 1
        end = next(i for i in range(k + 1, len(lines)) if lines[i].startswith("```"))
        found.append(Block(path, k + 1, fence[1], "\n".join(lines[k + 1 : end]), markers))
        k = end + 1
    return found


def all_blocks() -> list[Block]:
    return [b for path in documents() if path.name not in GENERATED for b in blocks(path)]


def runnable() -> list[Block]:
    """The Python and shell blocks the doc test runs."""
    return [b for b in all_blocks() if b.language in PYTHON | SHELL and not b.not_run]
