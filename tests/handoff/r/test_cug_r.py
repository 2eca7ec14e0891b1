"""kb's CUG tests against sna::cug.test(cmode = "edges"), in distribution.

Both draw uniform directed graphs with the observed size and number of arcs and report the
share of draws at least / at most the observed statistic; the two Monte Carlo estimates
must agree within their combined standard error (4 sigma), and so must the null means.
The observed statistics themselves are sna's: brokerage counts and centralisation.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from kb.measures.permutation import brokerage_test, centralization_test
from tests.handoff.r.rjson import run_r_json as run_r
from tests.handoff.r.test_survival_r import write

pytestmark = pytest.mark.r

DRAWS = 2000

SCRIPT = """
suppressMessages(library(sna))
e <- read.csv("arcs.csv")
v <- read.csv("nodes.csv")
n <- nrow(v)
g <- matrix(0, n, n)
g[cbind(e$source, e$target)] <- 1
cl <- v$group
set.seed(7)
role <- function(g, cl, k) sum(brokerage(g, cl)$raw.nli[, k])
out <- list()
for (k in c("w_I", "w_O", "b_IO", "b_OI", "b_O")) {
  t <- cug.test(g, role, cmode = "edges", reps = %(draws)d, FUN.args = list(cl = cl, k = k))
  out[[paste0(k, ".obs")]] <- t$obs.stat
  out[[paste0(k, ".ge")]] <- t$pgteobs
  out[[paste0(k, ".le")]] <- t$plteobs
  out[[paste0(k, ".mean")]] <- mean(t$rep.stat)
}
for (f in c("degree", "betweenness")) {
  t <- cug.test(g, centralization, cmode = "edges", reps = %(draws)d, FUN.args = list(FUN = f))
  out[[paste0(f, ".obs")]] <- t$obs.stat
  out[[paste0(f, ".ge")]] <- t$pgteobs
  out[[paste0(f, ".mean")]] <- mean(t$rep.stat)
}
write_json(out)
"""

ROLE_OF = {
    "w_I": "coordinator",
    "w_O": "itinerant",
    "b_IO": "representative",
    "b_OI": "gatekeeper",
    "b_O": "liaison",
}


def within(a: float, b: float) -> bool:
    se = math.sqrt(max(a * (1 - a), 1 / DRAWS) / DRAWS + max(b * (1 - b), 1 / DRAWS) / DRAWS)
    return abs(a - b) <= 4 * se


@pytest.mark.parametrize("seed", [1, 2])
def test_cug_edges_agrees_with_sna(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    n = 14
    nodes = [f"a{i}" for i in range(n)]
    arcs = [(a, b) for a in nodes for b in nodes if a != b and rng.random() < 0.15]
    groups = {a: "XYZ"[rng.randrange(3)] for a in nodes}
    write(tmp_path / "nodes.csv", [{"group": groups[a]} for a in nodes], ["group"])
    index = {a: k + 1 for k, a in enumerate(nodes)}
    write(
        tmp_path / "arcs.csv",
        [{"source": index[a], "target": index[b]} for a, b in arcs],
        ["source", "target"],
    )
    r = run_r(SCRIPT % {"draws": DRAWS}, tmp_path)
    ours = brokerage_test(nodes, arcs, groups=groups, null="cug-edges", draws=DRAWS, seed=seed)
    assert ours.method == "monte carlo" and ours.draws == DRAWS
    for sna_name, role in ROLE_OF.items():
        test = ours.tests[role]
        assert test.observed == r[f"{sna_name}.obs"][0]
        assert within(test.p_greater, r[f"{sna_name}.ge"][0]), role
        assert within(test.p_less, r[f"{sna_name}.le"][0]), role
        spread = max(test.sd, 1e-9) * math.sqrt(2 / DRAWS)
        assert abs(test.mean - r[f"{sna_name}.mean"][0]) <= 4 * spread, role
    central = centralization_test(nodes, arcs, draws=DRAWS, seed=seed)
    for name, key in (
        ("degree", "degree_centralization"),
        ("betweenness", "betweenness_centralization"),
    ):
        test = central.tests[key]
        assert test.observed == pytest.approx(r[f"{name}.obs"][0])
        assert within(test.p_greater, r[f"{name}.ge"][0]), name
        spread = max(test.sd, 1e-9) * math.sqrt(2 / DRAWS)
        assert abs(test.mean - r[f"{name}.mean"][0]) <= 4 * spread, name
