"""docs/tutorial.md is real output: rebuilding it from the example changes nothing.

The builder runs every command of the tutorial verbatim, in order, in a fresh copy of the
checkout, against the test database (which it empties) and compares, ignoring what belongs
to the machine (home folder, ports, pid) and runs of spaces. When a command's output
changes, rebuild the page: ``python tools/build_tutorial.py`` (see its docstring).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import TEST_BOLT_PORT, TEST_HTTP_PORT
from tests.support import ROOT, Neo4jUnderTest

pytestmark = pytest.mark.neo4j


def test_the_tutorial_is_current(neo4j_server: Neo4jUnderTest) -> None:
    s = neo4j_server.settings
    # The tutorial starts with `kb server start` / `kb server status`: they must name the
    # test server (make test exports these; by hand, the fixture's .kb-test server).
    local = {
        "KB_HOME": os.environ.get("KB_HOME", str(ROOT / ".kb-test")),
        "KB_BOLT_PORT": os.environ.get("KB_BOLT_PORT", str(TEST_BOLT_PORT)),
        "KB_HTTP_PORT": os.environ.get("KB_HTTP_PORT", str(TEST_HTTP_PORT)),
    }
    env = {
        **os.environ,
        **local,
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
