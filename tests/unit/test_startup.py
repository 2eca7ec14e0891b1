"""The import budget: a command pays only for the libraries it uses.

``kb --help`` and every command's help must not load the driver or any heavy library;
``kb.graph`` (what every command that connects loads) must not load the numeric and drawing
libraries, which only the analyses that need them import. Each check runs in a fresh
interpreter, so what earlier tests imported cannot hide a regression.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "numpy",
    "igraph",
    "matplotlib",
    "networkx",
    "openpyxl",
    "scipy",
    "lifelines",
    "lxml",
    "PIL",
    "pandas",
)


def loaded_after(code: str) -> list[str]:
    script = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps(sorted(m for m in {(*HEAVY, 'neo4j')!r} if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library_and_not_the_driver() -> None:
    assert loaded_after("import kb.cli") == []


@pytest.mark.parametrize(
    "command", [[], ["brokerage"], ["report"], ["export", "gexf"], ["import"], ["server", "start"]]
)
def test_help_loads_no_heavy_library_and_not_the_driver(command: list[str]) -> None:
    code = (
        "from kb.cli import app\n"
        f"try:\n    app({[*command, '--help']!r})\nexcept SystemExit:\n    pass"
    )
    assert loaded_after(code) == []


def test_the_library_loads_numeric_libraries_only_when_an_analysis_needs_them() -> None:
    assert loaded_after("import kb.graph, kb.analyses.case") == []
    assert loaded_after("import kb; kb.KnowledgeBase") == []
    # the driver comes without numpy and pandas: kb uses neither through it
    assert loaded_after("from kb import _neo4j; _neo4j.load()") == ["neo4j"]
