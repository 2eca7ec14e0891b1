"""kb reforms survival says when its Cox model cannot be trusted, flags a placebo window that
holds another reform, and lets --placebo-origin choose another; the report and the plot show
the same (issue 17, sections 1 and 5)."""

from __future__ import annotations

from html import unescape
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.cli import ExitCode, app
from kb.graph import KnowledgeBase
from kb.measures.survival import STATUS_ADVICE
from kb.presentation.report import render_report
from kb.presentation.survival_plot import survival_figure
from tests.support import run_json

pytestmark = pytest.mark.neo4j

runner = CliRunner()
LIBRARY_WORDS = ("lifelines", "Newton-Raphson failed", "http", "norm(delta)", "Column ")


def cox_rows(cohort: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in cohort["cox"]["coefficients"]}


def test_bill_20_json_gives_every_cox_row_a_status(case_env: dict[str, str]) -> None:
    result = run_json(case_env, "reforms", "survival", "--reform", "bill-20")
    reform, placebo = result["cohorts"]
    rows = cox_rows(reform)
    assert set(STATUS_ADVICE) >= {c["status"] for c in rows.values()}
    # no exposed tie at all: nothing to estimate; weight: the ended ties always had the
    # lowest weight of those still active (monotone likelihood); no FUNDING tie ended
    assert rows["exposed"]["status"] == "no-variance"
    assert rows["weight"]["status"] == "separation" and "lowest weight" in rows["weight"]["detail"]
    assert rows["type=FUNDING"]["status"] == "separation"
    for row in rows.values():
        if row["status"] != "ok":
            assert row["hazard_ratio"] is None and row["lower"] is None and row["upper"] is None
        else:
            assert 0 < row["lower"] < row["hazard_ratio"] < row["upper"] < 1e6 * row["lower"]
    # placebo: every FUNDING tie ended, yet the model converges (coxph: HR 30.5); its
    # proportional-hazards test cannot be computed (R's cox.zph stops there)
    funding = cox_rows(placebo)["type=FUNDING"]
    assert funding["status"] == "ok" and 10 < funding["hazard_ratio"] < 100
    assert funding["ph_p"] is None and placebo["cox"]["ph_global_p"] is None
    # few ends per covariate: Peduzzi's warning
    assert reform["cox"]["events_per_covariate"] == reform["events"] / 2 < 10
    assert any("Peduzzi" in w and w.startswith("reform:") for w in result["warnings"])
    # the placebo year holds bill-10
    assert placebo["other_reforms"] == [
        {"id": "bill-10", "name": placebo["other_reforms"][0]["name"], "date": "2015-04-01"}
    ]
    assert any(w.startswith("The placebo window") for w in placebo["warnings"])
    assert any("bill-10" in w and "--placebo-origin" in w for w in result["warnings"])
    for warning in result["warnings"]:
        assert not any(word in warning for word in LIBRARY_WORDS), warning


def test_bill_20_table_shows_statuses_and_warnings_in_kbs_words(case_env: dict[str, str]) -> None:
    shown = runner.invoke(
        app, ["reforms", "survival", "--reform", "bill-20"], env={**case_env, "COLUMNS": "80"}
    )
    assert shown.exit_code == 0, shown.output
    cox = shown.stdout.split("Cox model: hazard ratios")[1].split("Cox model fit")[0]
    weight = next(
        line for line in cox.splitlines() if line.startswith("reform") and "weight" in line
    )
    assert weight.split()[2:] == ["separation"]  # the status, and no number beside it
    assert "inf" not in cox and "3852" not in cox
    assert "bill-10 (2015-04-01) !" in shown.stdout
    assert "Warning: reform: weight (separation)" in shown.stderr
    assert STATUS_ADVICE["separation"] in shown.stderr
    assert "Warning: placebo: The placebo window 2014-11-09 to 2015-11-08 contains bill-10" in (
        " ".join(shown.stderr.split())
    )
    for word in LIBRARY_WORDS:
        assert word not in shown.output


def test_placebo_origin_chooses_the_window_and_is_validated(case_env: dict[str, str]) -> None:
    result = run_json(
        case_env, "reforms", "survival", "--reform", "bill-20", "--placebo-origin", "2013-11"
    )
    placebo = result["cohorts"][1]
    assert (placebo["origin"], placebo["until"]) == ("2013-11-01", "2014-10-31")
    assert placebo["other_reforms"] == [] and placebo["warnings"] == []
    assert not any(w.startswith("placebo: The placebo window") for w in result["warnings"])

    def refused(*options: str) -> str:
        done = runner.invoke(
            app, ["reforms", "survival", "--reform", "bill-20", *options], env=case_env
        )
        assert done.exit_code == ExitCode.INVALID_INPUT, done.output
        return " ".join(done.stderr.split())

    assert "YYYY-MM-DD" in refused("--placebo-origin", "soon")
    assert "on or before 2014-11-09" in refused("--placebo-origin", "2015-06-01")
    too_late = refused("--placebo-origin", "2030")
    assert "observed from 2003-01-01" in too_late and "to 2018-12-31" in too_late
    assert "needs a placebo window" in refused("--placebo", "0", "--placebo-origin", "2013")


def test_plot_survival_takes_the_placebo_origin(case_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "survival.svg"
    drawn = runner.invoke(
        app,
        [
            "plot",
            "survival",
            "--reform",
            "bill-20",
            "--placebo-origin",
            "2013-11",
            "--out",
            str(out),
        ],
        env=case_env,
    )
    assert drawn.exit_code == 0, drawn.output
    assert out.read_text().startswith("<?xml")
    late = runner.invoke(
        app,
        [
            "plot",
            "survival",
            "--reform",
            "bill-20",
            "--placebo-origin",
            "2015-06",
            "--out",
            str(out),
        ],
        env=case_env,
    )
    assert late.exit_code == ExitCode.INVALID_INPUT and "past the reform's eve" in late.stderr


def test_report_shows_the_statuses_and_warnings_the_cli_shows(example: KnowledgeBase) -> None:
    page = render_report(example.case_results())
    section = unescape(page.split('id="survival"')[1].split('id="evolution"')[0])
    result = example.tie_survival(reform="bill-20")
    for warning in result["warnings"]:
        assert f"Warning: {warning}" in section, warning
    assert "placebo: No proportional-hazards test for type=FUNDING" in section
    assert "bill-10 (2015-04-01): not a clean placebo" in section
    assert '<span class="flag">separation</span>' in section
    assert "3852" not in section and ">inf<" not in section


def test_plot_labels_the_at_risk_rows_with_their_groups(example: KnowledgeBase) -> None:
    result = example.tie_survival(reform="bill-10", by="sector-pair")
    figure = survival_figure(result, cohorts=("reform", "placebo"))
    _, table = figure.axes
    labels = [t.get_text() for t in table.texts if t.get_ha() == "right"]
    groups = [g["group"] for g in result["cohorts"][0]["groups"]]
    assert sorted(labels) == sorted(groups) and len(groups) > 2
    # each label sits on the row of its numbers
    for text in table.texts:
        if text.get_ha() == "right":
            row = text.get_position()[1]
            numbers = [
                t for t in table.texts if t.get_ha() == "center" and t.get_position()[1] == row
            ]
            assert {t.get_color() for t in numbers} == {text.get_color()}
