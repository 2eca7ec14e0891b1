"""kb export waves: each wave is kb's own selection of that period, and base R reads it all.

RSiena and networkDynamic cannot be installed here, so waves.R itself is not run; what it
reads is read with base R (read.table / read.csv) and checked for the expected dimensions
and values.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kb.analyses.network import fetch
from kb.exports.waves import write_waves
from kb.graph import KnowledgeBase
from tests.handoff.r.rjson import run_r_json as run_r

pytestmark = [pytest.mark.r, pytest.mark.neo4j]

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "quebec-wg"

READ = """
actors <- read.csv("actors.csv", stringsAsFactors = FALSE)
waves <- read.csv("waves.csv", stringsAsFactors = FALSE)
members <- as.matrix(read.csv("memberships.csv", check.names = FALSE)[, -1, drop = FALSE])
out <- list(actors = nrow(actors), waves = nrow(waves), members = dim(members),
            ids = actors$id)
for (k in seq_len(nrow(waves))) {
  m <- as.matrix(read.table(waves$file[k]))
  out[[paste0("dim", k)]] <- dim(m)
  out[[paste0("values", k)]] <- sort(unique(as.vector(m)))
  out[[paste0("ones", k)]] <- sum(m == 1)
  out[[paste0("zeros10_", k)]] <- sum(m == 10)
  out[[paste0("diag", k)]] <- sum(diag(m))
}
write_json(out)
"""


@pytest.mark.parametrize("by", ["stage", "year"])
def test_waves_equal_kb_selection_and_base_r_reads_them(
    kb: KnowledgeBase, tmp_path: Path, by: str
) -> None:
    kb.import_data(EXAMPLE)
    result = write_waves(kb, tmp_path, by=by)
    periods = kb.periods(by)
    assert result.counts["waves"] == len(periods)
    with (tmp_path / "actors.csv").open(encoding="utf-8") as stream:
        actors = [row["id"] for row in csv.DictReader(stream)]
    network = fetch(kb)
    assert sorted(actors) == sorted(network.nodes)
    for k, period in enumerate(periods, start=1):
        matrix = [
            [int(v) for v in line.split()]
            for line in (tmp_path / f"wave-{k:02d}.txt").read_text().splitlines()
        ]
        arcs = {
            (actors[i], actors[j])
            for i, row in enumerate(matrix)
            for j, v in enumerate(row)
            if v == 1
        }
        expected = {(s, t) for s, t in network.during(period).arcs if s != t}
        assert arcs == expected, period.label
        # an actor with a tie in the wave is present: its row has no structural zero there
        for s, t in expected:
            assert matrix[actors.index(s)][actors.index(t)] == 1
    r = run_r(READ, tmp_path)
    n = len(actors)
    assert r["actors"] == [n] and r["waves"] == [len(periods)]
    assert r["members"] == [n, len(periods)]
    assert r["ids"] == actors
    for k in range(1, len(periods) + 1):
        assert r[f"dim{k}"] == [n, n]
        assert set(r[f"values{k}"]) <= {0, 1, 10}
        assert r[f"diag{k}"] == [0]
        lines = (tmp_path / "waves.csv").read_text().splitlines()
        assert r[f"ones{k}"] == [int(lines[k].split(",")[-1])]
    assert "sienaDataCreate" in (tmp_path / "waves.R").read_text()
