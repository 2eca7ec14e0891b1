"""What the safety tests share: running the real `kb` program as separate processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KB = str(Path(sys.executable).with_name("kb"))


def kb_process(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """Start ``kb ARGS`` as its own process (stdout and stderr captured as text)."""
    return subprocess.Popen(
        [KB, *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_kb(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``kb ARGS`` to the end and return what it did."""
    return subprocess.run(
        [KB, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=timeout
    )
