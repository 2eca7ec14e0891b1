"""Run R code with the real R (``Rscript``) and read back what it computed.

`run_r(code, cwd)` runs ``code`` with ``Rscript`` in ``cwd`` and returns its output. When
``Rscript`` is not on PATH it raises `RError` saying how to install R: a missing R is an
error, never a skip. `r_recipe_check(name)` is the R code (``checks/<name>.R``) that a test
appends to a documented recipe to write what the recipe computed to ``result.json``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIMEOUT = 300  # seconds; loading igraph and sna takes a few


class RError(RuntimeError):
    """R is missing, or the R code failed."""


def rscript() -> str:
    """The path of ``Rscript``.

    Raises:
        RError: R is not installed.
    """
    found = shutil.which("Rscript")
    if found is None:
        raise RError(
            "`Rscript` is not on PATH: the R tests need R with igraph, network and sna "
            "(Debian: apt-get install r-base-core r-cran-igraph r-cran-network r-cran-sna "
            "r-cran-jsonlite)."
        )
    return found


def run_r(code: str, cwd: Path) -> str:
    """Run ``code`` as an R script in ``cwd``; its standard output and error.

    Raises:
        RError: R is missing, or the script failed (the message holds R's output).
    """
    script = cwd / "script.R"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [rscript(), "--vanilla", str(script)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise RError(f"Rscript failed (exit {done.returncode}):\n{output[-4000:]}")
    return output


def r_recipe_check(name: str) -> str:
    """The R code that reports what the recipe ``name`` computed (``checks/<name>.R``)."""
    return (HERE / "checks" / f"{name}.R").read_text(encoding="utf-8")
