"""What the safety tests share: running the real `kb` program as separate processes."""

from __future__ import annotations

import csv
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


def write_large_case(folder: Path, actors: int, ties: int) -> Path:
    """A case folder of ``actors`` people and ``ties`` INFO ties spread over the years."""
    folder.mkdir()
    with (folder / "actors.csv").open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "name"])
        writer.writerows([f"p{i}", f"Person {i}"] for i in range(actors))
    with (folder / "ties.csv").open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["source", "target", "type", "start"])
        writer.writerows(
            [f"p{i % actors}", f"p{(i * 7 + 1) % actors}", "INFO", str(1900 + i // actors)]
            for i in range(ties)
        )
    return folder
