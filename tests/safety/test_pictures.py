"""Pictures and the report on ordinary data: a case of 2,000 actors, and names with `$`."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.cli import app
from kb.graph import KnowledgeBase
from kb.imports import Dataset
from kb.provenance import without_provenance

pytestmark = pytest.mark.neo4j

runner = CliRunner()
DOLLARS = "Budget 5 $ – 50 % – 20 $"


def invoke(env: dict[str, str], *args: str) -> Any:
    result = runner.invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    return result


def large_case(actors: int = 2000, ties: int = 5000) -> Dataset:
    rng = random.Random(7)
    sectors = ["community", "public", "citizen"]
    rows = [{"id": f"p{i}", "name": f"Person {i}", "sector": sectors[i % 3]} for i in range(actors)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < ties:
        a, b = rng.randrange(actors), rng.randrange(actors)
        if a != b:
            pairs.add((a, b))
    return Dataset.from_records(
        {
            "actors": rows,
            "stages": [
                {"id": "s1", "name": "Problem definition", "start": "2015", "end": "2016"},
                {"id": "s2", "name": "Mobilization", "start": "2017"},
            ],
            "ties": [
                {
                    "source": f"p{a}",
                    "target": f"p{b}",
                    "type": "INFO",
                    "start": str(2015 + (a + b) % 4),
                }
                for a, b in sorted(pairs)
            ],
        }
    )


def test_pictures_and_report_of_2000_actors(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    kb.import_data(large_case())
    invoke(cli_env, "plot", "network", "--out", str(tmp_path / "net.png"))
    invoke(cli_env, "plot", "network", "--stage", "s2", "--out", str(tmp_path / "s2.svg"))
    invoke(cli_env, "plot", "evolution", "--out", str(tmp_path / "evolution.png"))
    assert (tmp_path / "net.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "evolution.png").read_bytes().startswith(b"\x89PNG")
    svg = (tmp_path / "s2.svg").read_text()
    assert svg.count("<path") > 1000  # the ties are drawn
    again = tmp_path / "again.svg"
    invoke(cli_env, "plot", "network", "--stage", "s2", "--out", str(again))
    # the layout is seeded: the same picture, its provenance (time, file name) aside
    assert without_provenance(again) == without_provenance(tmp_path / "s2.svg")
    invoke(
        cli_env,
        "report",
        "--out",
        str(tmp_path / "report.html"),
        "--from",
        "community",
        "--to",
        "public",
    )
    html = (tmp_path / "report.html").read_text()
    assert html.count("<svg") >= 2 and "Mobilization" in html


def test_a_dollar_sign_in_names_is_drawn_as_written(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    kb.import_data(
        Dataset.from_records(
            {
                "actors": [
                    {"id": "a", "name": "$x$ and $", "sector": "$ public"},
                    {"id": "b", "name": "B", "sector": "community"},
                    {"id": "c", "name": r"C \$ \frac{1}{2}", "sector": "community"},
                ],
                "stages": [{"id": "s1", "name": DOLLARS, "start": "2015", "end": "2016"}],
                "reforms": [{"id": "r1", "name": "Loi $10$", "date": "2015-04-01"}],
                "ties": [
                    {"source": "a", "target": "b", "type": "INFO", "start": "2015"},
                    {"source": "b", "target": "c", "type": "INFO", "start": "2016"},
                    {"source": "c", "target": "a", "type": "INFO", "start": "2016"},
                ],
            }
        )
    )
    evolution = tmp_path / "evolution.svg"
    invoke(cli_env, "plot", "evolution", "--out", str(evolution))
    network = tmp_path / "network.svg"
    invoke(cli_env, "plot", "network", "--stage", "s1", "--out", str(network), "--top", "3")
    drawn = evolution.read_text() + network.read_text()
    for text in (DOLLARS, "Loi $10$", "$x$ and $", "$ public"):
        assert text.replace("&", "&amp;") in drawn, text
    invoke(
        cli_env,
        "report",
        "--out",
        str(tmp_path / "report.html"),
        "--from",
        "community",
        "--to",
        "$ public",
    )
    assert DOLLARS in (tmp_path / "report.html").read_text()
    invoke(cli_env, "plot", "network", "--out", str(tmp_path / "network.png"))
