"""`kb reforms survival` on the example case against R's survival, from the ties kb read.

The analysis returns every tie's follow-up; R gets those rows and must find the same
curves, log-rank statistic and Cox coefficients (to 1e-6) as the analysis reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kb.analyses.survival import Survival
from kb.graph import KnowledgeBase
from tests.handoff.r.rjson import run_r_json as run_r
from tests.handoff.r.test_survival_r import (
    COX_SCRIPT,
    KM_SCRIPT,
    LOGRANK_SCRIPT,
    close,
    compare_cox,
    write,
    write_design,
)

pytestmark = [pytest.mark.r, pytest.mark.neo4j]

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "quebec-wg"


def check_case(cohort: dict[str, Any], result: Survival, tmp_path: Path) -> None:
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
    if model is None:  # bill-10's placebo year: no tie ended
        assert cohort["events"] == 0
        return
    fitted = [c["name"] for c in model["coefficients"] if c["coef"] is not None]
    write_design(tmp_path / "spells.csv", rows, fitted)
    compare_cox(model, run_r(COX_SCRIPT, tmp_path))


@pytest.mark.parametrize("by", ["exposure", "type"])
def test_example_case_survival_equals_r(kb: KnowledgeBase, tmp_path: Path, by: str) -> None:
    kb.import_data(EXAMPLE)
    result = kb.tie_survival(reform="bill-10", by=by)
    assert result["cohorts"][0]["ties"] > 50
    for cohort in result["cohorts"]:
        check_case(cohort, result, tmp_path)


def test_bill_20_with_separation_equals_r_on_what_can_be_estimated(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """bill-20: separated covariates are left out (R's coxph would report them with
    "coefficient may be infinite"); the rest equals R, and where R's cox.zph stops on a
    singular matrix kb gives no test."""
    kb.import_data(EXAMPLE)
    result = kb.tie_survival(reform="bill-20")
    reform, placebo = result["cohorts"]
    statuses = {c["name"]: c["status"] for c in reform["cox"]["coefficients"]}
    assert statuses["weight"] == "separation" and statuses["exposed"] == "no-variance"
    funding = next(c for c in placebo["cox"]["coefficients"] if c["name"] == "type=FUNDING")
    assert funding["status"] == "ok" and funding["ph_statistic"] is None
    for cohort in result["cohorts"]:
        check_case(cohort, result, tmp_path)
