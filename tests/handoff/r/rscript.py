"""Run R on data kb wrote and read back what R computed.

Tests marked ``r`` need ``Rscript`` with the survival and sna packages (Debian:
r-base-core r-cran-survival r-cran-sna r-cran-network). Without R they fail with a message
saying what to install: a reference check that silently skips would prove nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

INSTALL = "apt-get install r-base-core r-cran-survival r-cran-sna r-cran-network"


def rscript() -> str:
    """The Rscript program; fails the test when R is not installed."""
    found = shutil.which("Rscript")
    if found is None:
        pytest.fail(f"Rscript is not installed; these tests compare with R. Install: {INSTALL}")
    return found


def run_r(script: str, folder: Path, *, timeout: float = 300) -> Any:
    """Run ``script`` in ``folder`` and return the JSON it writes to ``out.json``.

    The script writes its results with the ``write_json`` helper defined below (base R
    only, so no jsonlite is needed): a named list of numeric vectors.
    """
    prelude = r"""
write_json <- function(x, path = "out.json") {
  num <- function(v) ifelse(is.na(v), "null", ifelse(is.infinite(v), "null",
                      formatC(v, digits = 17, format = "g")))
  item <- function(name, v) {
    if (is.character(v)) body <- paste0('"', v, '"', collapse = ",")
    else body <- paste(num(as.numeric(v)), collapse = ",")
    paste0('"', name, '":[', body, "]")
  }
  writeLines(paste0("{", paste(mapply(item, names(x), x), collapse = ","), "}"), path)
}
"""
    path = folder / "script.R"
    path.write_text(prelude + script, encoding="utf-8")
    done = subprocess.run(
        [rscript(), "--vanilla", str(path)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        pytest.fail(f"R failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads((folder / "out.json").read_text(encoding="utf-8"))
