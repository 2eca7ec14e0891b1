"""`kb reforms survival` on the example case against R's survival, from the ties kb read.

The analysis returns every tie's follow-up; R gets those rows and must find the same
curves, log-rank statistic and Cox coefficients (to 1e-6) as the analysis reports.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from kb.analyses.survival import design
from kb.graph import KnowledgeBase
from tests.handoff.r.rjson import run_r_json as run_r
from tests.handoff.r.test_survival_r import COX_SCRIPT, KM_SCRIPT, LOGRANK_SCRIPT, close, write

pytestmark = [pytest.mark.r, pytest.mark.neo4j]

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "quebec-wg"


def check_case(result: dict[str, Any], tmp_path: Path) -> None:
    cohort = result["cohorts"][0]
    rows = [
        {**t, "event": int(t["event"])} for t in result["ties"] if t["cohort"] == cohort["cohort"]
    ]
    write(tmp_path / "spells.csv", rows, ["time", "event", "group"])
    r = run_r(KM_SCRIPT, tmp_path)
    for group in cohort["groups"]:
        name = group["group"]
        assert [s["time"] for s in group["steps"]] == r[f"{name}.time"]
        for step, surv, low, high in zip(
            group["steps"],
            r[f"{name}.surv"],
            r[f"{name}.lower"],
            r[f"{name}.upper"],
            strict=True,
        ):
            assert close(step["survival"], surv)
            assert close(step["lower"], low) and close(step["upper"], high)
        assert [group["median"], group["median_lower"], group["median_upper"]] == r[
            f"{name}.median"
        ]
    if cohort["logrank"]:
        r = run_r(LOGRANK_SCRIPT, tmp_path)
        assert close(cohort["logrank"]["statistic"], r["chisq"][0])
    model = cohort["cox"]
    covariates, _ = design(rows)
    kept = [c["name"] for c in model["coefficients"]]
    columns = {"time": [t["time"] for t in rows], "event": [t["event"] for t in rows]}
    columns.update({name: covariates[name] for name in kept})
    with (tmp_path / "spells.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(list(columns))
        writer.writerows(zip(*columns.values(), strict=True))
    r = run_r(COX_SCRIPT, tmp_path)
    assert kept == r["names"]
    for c, coef, se, ph in zip(model["coefficients"], r["coef"], r["se"], r["ph"], strict=True):
        assert close(c["coef"], coef), c["name"]
        assert close(c["se"], se), c["name"]
        assert close(c["ph_statistic"], ph), c["name"]


@pytest.mark.parametrize("by", ["exposure", "type"])
def test_example_case_survival_equals_r(kb: KnowledgeBase, tmp_path: Path, by: str) -> None:
    kb.import_data(EXAMPLE)
    result = kb.tie_survival(reform="bill-10", by=by)
    assert result["cohorts"][0]["ties"] > 50
    check_case(result, tmp_path)
