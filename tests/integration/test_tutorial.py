"""docs/tutorial.md is real output: rebuilding it from the example changes nothing.

The builder runs every command of the tutorial against the test database (which it
empties) and compares, ignoring what belongs to the machine (home folder, ports, pid) and
runs of spaces. When a command's output changes, rebuild the page:
``python tools/build_tutorial.py`` (see its docstring).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support import ROOT, Neo4jUnderTest

pytestmark = pytest.mark.neo4j


def test_the_tutorial_is_current(neo4j_server: Neo4jUnderTest) -> None:
    s = neo4j_server.settings
    env = {
        **os.environ,
        "NEO4J_URI": s.uri,
        "NEO4J_USERNAME": s.user,
        "NEO4J_PASSWORD": s.password or "",
        "NEO4J_DATABASE": s.database,
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_tutorial.py"), "--check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
