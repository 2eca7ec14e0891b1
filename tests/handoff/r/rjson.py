"""Run R through `rscript.run_r` and read back numbers it wrote as JSON, with base R only.

The inference checks (survival, CUG tests, waves) write their results with the
``write_json`` helper defined in the prelude below: a named list of numeric or character
vectors to ``out.json``, with no package needed (jsonlite may be missing).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.handoff.r.rscript import run_r

PRELUDE = r"""
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


def run_r_json(script: str, folder: Path) -> Any:
    """Run ``script`` in ``folder`` (R missing or failing: `RError`); what it wrote."""
    run_r(PRELUDE + script, folder)
    return json.loads((folder / "out.json").read_text(encoding="utf-8"))
