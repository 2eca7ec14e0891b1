"""kb export waves stops at the end of observation, the day survival censors ties at."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kb.analyses.survival import observation_end
from kb.errors import ValidationError
from kb.exports.waves import write_waves
from kb.graph import KnowledgeBase
from tests.support import write_csv_folder

pytestmark = pytest.mark.neo4j

ACTORS = [{"id": a, "name": a.upper(), "kind": "person"} for a in ("a", "b", "c", "d")]
# One tie recorded as running to 2033, one that starts after observation ends.
TIES = [
    {"id": "t-ab", "source": "a", "target": "b", "type": "ADVICE", "start": "2016-03"},
    {"id": "t-bc", "source": "b", "target": "c", "type": "ADVICE", "start": "2017", "end": "2033"},
    {"id": "t-cd", "source": "c", "target": "d", "type": "ADVICE", "start": "2019-09"},
]


def case(tmp_path: Path, observed_until: str | None) -> Path:
    tables: dict[str, list[dict[str, Any]]] = {"actors": ACTORS, "ties": TIES}
    if observed_until:
        tables["case"] = [{"id": "c", "name": "C", "observed_until": observed_until}]
    return write_csv_folder(tmp_path / "case", tables)


def waves(folder: Path) -> list[dict[str, str]]:
    with (folder / "waves.csv").open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_waves_end_where_survival_censors(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.import_data(case(tmp_path, "2019-06-30"))
    until = observation_end(kb)["observed_until"]
    assert until == date(2019, 6, 30)
    result = write_waves(kb, tmp_path / "years", by="year")
    rows = waves(tmp_path / "years")
    assert [r["label"] for r in rows] == ["2016", "2017", "2018", "2019"]
    assert result.counts["waves"] == 4
    assert result.warnings == [
        "The waves stop at the end of observation, 2019-06-30 (observed_until of case c); "
        "later dates in the data are not waves."
    ]
    assert (rows[-1]["first"], rows[-1]["last"]) == ("2019-01-01", str(until))
    # the tie starting 2019-09 is after observation: not in the last wave
    assert [int(r["arcs"]) for r in rows] == [1, 2, 2, 2]
    write_waves(kb, tmp_path / "quarters", by="quarter")
    quarters = waves(tmp_path / "quarters")
    assert quarters[-1]["label"] == "2019-Q2" and quarters[-1]["last"] == "2019-06-30"


def test_without_a_declared_end_the_data_sets_it(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.import_data(case(tmp_path, None))
    assert observation_end(kb)["observed_until"] == date(2033, 12, 31)
    assert write_waves(kb, tmp_path / "years", by="year").warnings == []
    assert waves(tmp_path / "years")[-1]["label"] == "2033"


def test_observation_ending_before_the_first_wave_is_an_error(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    kb.import_data(case(tmp_path, "2015-06"))
    with pytest.raises(ValidationError, match="Observation ends on 2015-06-30, before"):
        write_waves(kb, tmp_path / "years", by="year")
