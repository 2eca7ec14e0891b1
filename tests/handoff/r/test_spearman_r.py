"""kb's Spearman rho (`kb.measures.correlation.spearman`) against R's
``cor(x, y, method = "spearman")``, on scores with many ties (brokerage totals are mostly
zeros and small integers) and on scores without ties."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kb.measures.correlation import spearman
from tests.handoff.r.rjson import run_r_json

pytestmark = pytest.mark.r


def samples() -> list[tuple[list[float], list[float]]]:
    rng = random.Random(23)
    tied = [
        (
            [float(rng.choice([0, 0, 0, 1, 2, 4])) for _ in range(30)],
            [float(rng.choice([0, 0, 1, 3])) for _ in range(30)],
        )
        for _ in range(4)
    ]
    distinct = [([rng.random() for _ in range(12)], [rng.random() for _ in range(12)])]
    betweenness = [([0.0, 0, 2.5, 2.5, 7, 1, 0, 3], [0.0, 1, 2, 2, 9, 0, 0, 3])]
    return tied + distinct + betweenness


def test_spearman_is_rs_cor_spearman(tmp_path: Path) -> None:
    pairs = samples()
    script = "out <- list()\n"
    for k, (x, y) in enumerate(pairs):
        xs = ", ".join(repr(v) for v in x)
        ys = ", ".join(repr(v) for v in y)
        script += f'out[["r{k}"]] <- cor(c({xs}), c({ys}), method = "spearman")\n'
    script += "write_json(out)\n"
    expected = run_r_json(script, tmp_path)
    for k, (x, y) in enumerate(pairs):
        assert spearman(x, y) == pytest.approx(expected[f"r{k}"][0], abs=1e-12), k
    assert any(len(set(x)) < len(x) for x, _ in pairs), "the samples have ties"


def test_spearman_refuses_what_r_calls_na() -> None:
    with pytest.raises(ValueError, match="undefined"):
        spearman([1, 1, 1], [1, 2, 3])
    with pytest.raises(ValueError, match="as many"):
        spearman([1, 2], [1, 2, 3])
