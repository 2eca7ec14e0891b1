"""Every Python and shell block of README.md and docs/ runs, as a reader would run it.

Each block runs on an empty database (the real test Neo4j) in a new folder holding a copy
of ``examples/``, after the commands of its ``<!-- setup: ... -->`` line; shell blocks with
bash (``set -e``: every command must succeed), the venv's ``kb`` first on the PATH, and a
console block's output lines must be among what its commands print; Python blocks with the
venv's Python. ``~`` and kb's home are inside that folder, so a block that
writes a backup into ``~/backups`` writes it there. What the markers mean:
tests/docblocks.py. docs/tutorial.md is run by tests/integration/test_tutorial.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.graph import KnowledgeBase
from tests.docblocks import PYTHON, Block, runnable
from tests.support import ROOT

pytestmark = pytest.mark.neo4j

BLOCKS = runnable()


def reader_env(cli_env: dict[str, str], folder: Path) -> dict[str, str]:
    """A reader's shell: the test database, the venv first on the PATH, home in ``folder``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KB_", "NEO4J_"))}
    return {
        **env,
        **cli_env,
        "HOME": str(folder),
        "KB_HOME": str(folder / ".local" / "share" / "kb"),
        "KB_CACHE": str(folder / ".cache" / "kb"),
        "PATH": str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
        "COLUMNS": "200",
    }


def run(args: list[str], folder: Path, env: dict[str, str], what: str) -> str:
    """What ``args`` printed (stdout, then stderr); it must succeed."""
    done = subprocess.run(
        args, cwd=folder, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, (
        f"{what} exited with {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout + done.stderr


def shown(line: str, printed: list[str]) -> bool:
    if line.endswith("…"):
        return any(p.startswith(line[:-1].rstrip()) for p in printed)
    return line in printed


def test_the_docs_have_blocks_to_run() -> None:
    assert len(BLOCKS) >= 10
    assert {b.path.name for b in BLOCKS} >= {"report.md", "qda.md", "backup.md", "exports.md"}


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.name)
def test_the_block_runs(
    block: Block, kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = reader_env(cli_env, tmp_path)
    if block.setup:
        run(["bash", "-e", "-c", block.setup], tmp_path, env, f"the setup of {block.name}")
    if block.language in PYTHON:
        script = tmp_path / "block.py"
        script.write_text(block.code + "\n", encoding="utf-8")
        run([sys.executable, str(script)], tmp_path, env, block.name)
    else:
        output = run(["bash", "-e", "-c", block.commands()], tmp_path, env, block.name)
        printed = [" ".join(line.split()) for line in output.splitlines()]
        # A console block's output is real: every line it shows, or its start when cut (…).
        missing = [line for line in block.shown_output() if not shown(line, printed)]
        assert missing == [], output
