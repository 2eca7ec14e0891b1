"""kb reforms survival, kb plot survival, --permutations and the case table, on the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli import ExitCode, app
from kb.errors import ValidationError
from kb.graph import KnowledgeBase
from kb.imports import Dataset
from tests.support import run_json

pytestmark = pytest.mark.neo4j

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "quebec-wg"


def test_survival_population_censoring_and_exposure(case_env: dict[str, str]) -> None:
    result = run_json(case_env, "reforms", "survival", "--reform", "bill-10")
    assert result["origin"] == "2015-03-31"
    reform, placebo = result["cohorts"]
    assert placebo["origin"] == "2014-03-31" and placebo["until"] == "2015-03-30"
    ties = [t for t in result["ties"] if t["cohort"] == "reform"]
    assert len(ties) == reform["ties"] == sum(g["n"] for g in reform["groups"])
    horizon = (
        __import__("datetime").date.fromisoformat(result["observed_until"])
        - __import__("datetime").date(2015, 3, 31)
    ).days + 1
    for tie in ties:
        assert 1 <= tie["time"] <= horizon
        if not tie["event"]:
            assert tie["time"] == horizon  # censored at the end of observation
        assert tie["exposed"] == bool(tie["exposed_via"])
    # every tie broken_ties lists is in the cohort, exposed and ended
    broken = run_json(case_env, "reforms", "broken-ties", "--reform", "bill-10", "--window", "12m")
    by_id = {t["tie"]: t for t in ties}
    for tie in broken:
        assert by_id[tie["tie"]]["exposed"] and by_id[tie["tie"]]["event"]
    exposed = next(g for g in reform["groups"] if g["group"] == "exposed")
    others = next(g for g in reform["groups"] if g["group"] == "not exposed")
    assert exposed["events"] / exposed["n"] > others["events"] / others["n"]
    assert reform["logrank"]["p"] < 0.05
    assert {c["name"] for c in reform["cox"]["coefficients"]} >= {"exposed", "cross_sector"}


def test_survival_options_table_and_csv(case_env: dict[str, str]) -> None:
    table = runner.invoke(
        app, ["reforms", "survival", "--reform", "bill-10", "--by", "type"], env=case_env
    )
    assert table.exit_code == 0, table.output
    assert "latest date in the data" in table.output and "Cox model" in table.output
    interval = run_json(
        case_env,
        "reforms",
        "survival",
        "--reform",
        "bill-10",
        "--dates",
        "interval",
        "--placebo",
        "0",
    )
    assert [c["cohort"] for c in interval["cohorts"]] == ["reform"]
    assert {g["estimator"] for g in interval["cohorts"][0]["groups"]} == {"turnbull"}
    csv_out = runner.invoke(
        app, ["reforms", "survival", "--reform", "bill-10", "-f", "csv"], env=case_env
    )
    # one row per tie of each cohort: the data R's survfit(Surv(time, event) ~ group) takes
    assert csv_out.stdout.splitlines()[0].startswith("cohort,tie,type,source,target")
    bad = runner.invoke(
        app, ["reforms", "survival", "--reform", "bill-10", "--dates", "exact"], env=case_env
    )
    assert bad.exit_code == ExitCode.INVALID_INPUT and "midpoint" in bad.output
    missing = runner.invoke(app, ["reforms", "survival", "--reform", "nope"], env=case_env)
    assert (
        missing.exit_code == ExitCode.INVALID_INPUT and "Known: bill-10, bill-20" in missing.stderr
    )


def test_plot_survival_writes_a_picture(case_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "survival.svg"
    result = runner.invoke(
        app, ["plot", "survival", "--reform", "bill-10", "--out", str(out)], env=case_env
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "<svg" in text and "exposed" in text and "at risk" in text


def test_case_table_declares_the_end_of_observation(kb: KnowledgeBase) -> None:
    kb.import_data(EXAMPLE)
    assert kb.observation_end()["source"] == "data"
    kb.import_data(
        Dataset.from_records(
            {"case": [{"id": "quebec-wg", "name": "Working group", "observed_until": "2017-06"}]}
        )
    )
    end = kb.observation_end()
    assert end == {
        "observed_until": __import__("datetime").date(2017, 6, 30),
        "source": "case",
        "case": "quebec-wg",
        "set_by": "observed_until of case quebec-wg",
    }
    result = kb.tie_survival(reform="bill-10", placebo=None)
    assert result["observed_until_source"] == "case"
    assert (
        max(t["time"] for t in result["ties"])
        == (
            __import__("datetime").date(2017, 6, 30) - __import__("datetime").date(2015, 3, 31)
        ).days
        + 1
    )
    # one case per database, one row per case table
    with pytest.raises(ValidationError) as error:
        kb.import_data(Dataset.from_records({"case": [{"id": "other", "name": "Other"}]}))
    assert "already holds case 'quebec-wg'" in str(error.value.issues[0])
    with pytest.raises(ValidationError) as error:
        kb.import_data(
            Dataset.from_records(
                {"case": [{"id": "quebec-wg", "name": "A"}, {"id": "x", "name": "B"}]}
            )
        )
    assert "at most 1 row" in str(error.value.issues[0])
    # before the reform: refused
    kb.import_data(
        Dataset.from_records(
            {"case": [{"id": "quebec-wg", "name": "WG", "observed_until": "2014"}]}
        )
    )
    with pytest.raises(ValidationError, match="before the reform"):
        kb.tie_survival(reform="bill-10")


def test_permutation_options_on_the_cli(case_env: dict[str, str]) -> None:
    args = ["--permutations", "200", "--seed", "5"]
    first = run_json(case_env, "brokerage", "--group-by", "sector", *args)
    again = run_json(case_env, "brokerage", "--group-by", "sector", *args)
    assert first["test"] == again["test"]
    assert first["test"]["method"] == "monte carlo" and first["test"]["seed"] == 5
    assert set(first["test"]["tests"]) == {
        "coordinator",
        "itinerant",
        "representative",
        "gatekeeper",
        "liaison",
        "total",
    }
    assert "test" in first["actors"][0]
    cug = run_json(case_env, "brokerage", "--null", "cug-edges", *args)
    assert cug["test"]["null"] == "cug-edges" and "test" not in cug["actors"][0]
    rows = run_json(case_env, "evolution", "--by", "stage", *args)
    assert all(
        set(r["test"]["tests"]) == {"ei_index", "density_within", "density_between"} for r in rows
    )
    central = run_json(case_env, "centrality", "--permutations", "50", "--seed", "1")
    assert set(central["test"]["tests"]) == {"degree_centralization", "betweenness_centralization"}
    refused = runner.invoke(
        app, ["centrality", "--permutations", "5", "--null", "labels"], env=case_env
    )
    assert refused.exit_code == ExitCode.INVALID_INPUT
    table = runner.invoke(app, ["brokerage", *args], env=case_env)
    assert "Monte Carlo: 200 random labelings, seed 5" in table.output
