"""Inter-coder agreement on ties against the real Neo4j: generated two- and three-coder
REFI-QDA projects with known agreement, disagreements, settling, and coder aliases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli import app
from kb.coders import CoderAliases
from kb.errors import ValidationError
from kb.graph import KnowledgeBase
from kb.provenance import json_result
from tests.qdpx import Sel, Src, build, span

pytestmark = pytest.mark.neo4j
krippendorff = pytest.importorskip("krippendorff")
np = pytest.importorskip("numpy")

USERS = {"u1": "Julie Lavallée", "u2": "Samuel Bédard", "u3": "Mathieu Tessier"}
ACTORS = "id,name\np-a,Anne Alpha\np-b,Bruno Beta\np-c,Chloé Gamma\np-d,Denis Delta\n"
TIES = (
    "source,target,type,directed\n"
    "p-a,p-b,COLLABORATION,false\n"
    "p-a,p-c,COLLABORATION,false\n"
    "p-b,p-c,INFORMATION,true\n"
    "p-d,p-a,INFORMATION,true\n"
)
S1 = (
    "Anne et Bruno travaillent ensemble. Anne et Chloé aussi. "
    "Bruno informe Chloé chaque semaine. Fin."
)
S2 = "Denis informe Anne des changements. Anne et Bruno se voient parfois."
AB = ["actors/Anne Alpha", "actors/Bruno Beta", "ties/COLLABORATION"]
AC = ["actors/Anne Alpha", "actors/Chloé Gamma", "ties/COLLABORATION"]
BC = ["actors/Bruno Beta", "actors/Chloé Gamma", "ties/INFORMATION"]
AD = ["actors/Denis Delta", "actors/Anne Alpha", "ties/INFORMATION"]

# Units (source, pair, type) and each coder's value: 1 coded, 0 coded the source but not
# the tie, None did not code the source (u3 never opened S2).
EXPECTED = {
    ("S1", ("p-a", "p-b"), "COLLABORATION"): (1, 1, 1),
    ("S1", ("p-a", "p-c"), "COLLABORATION"): (1, 0, 1),
    ("S1", ("p-b", "p-c"), "INFORMATION"): (0, 1, 0),
    ("S2", ("p-a", "p-d"), "INFORMATION"): (1, 1, None),
    ("S2", ("p-a", "p-b"), "COLLABORATION"): (0, 1, None),
}


def _project(tmp_path: Path) -> Path:
    s1 = [
        Sel(*span(S1, "Anne et Bruno travaillent ensemble."), AB, user="u1"),
        Sel(*span(S1, "Anne et Chloé aussi."), AC, user="u1"),
        # u2 selects the same sentence as u1: its own passage, its own evidence item
        Sel(*span(S1, "Anne et Bruno travaillent ensemble."), AB, user="u2"),
        Sel(*span(S1, "Bruno informe Chloé chaque semaine."), BC, user="u2"),
        Sel(*span(S1, "Anne et Bruno travaillent ensemble."), AB, user="u3"),
        Sel(*span(S1, "Anne et Chloé aussi."), AC, user="u3"),
    ]
    s2 = [
        Sel(*span(S2, "Denis informe Anne des changements."), AD, user="u1"),
        Sel(*span(S2, "Denis informe Anne des changements."), AD, user="u2"),
        Sel(*span(S2, "Anne et Bruno se voient parfois."), AB, user="u2"),
    ]
    return build(
        tmp_path / "equipe.qdpx",
        [
            Src("S1", S1, s1, {"kind": "interview", "date": "2016-03"}),
            Src("S2", S2, s2, {"kind": "interview", "date": "2017-05"}),
        ],
        users=USERS,
    )


@pytest.fixture
def team(kb: KnowledgeBase, tmp_path: Path) -> KnowledgeBase:
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (folder / "ties.csv").write_text(TIES, encoding="utf-8")
    (folder / "stages.csv").write_text(
        "id,name,start,end\nearly,Early,2016-01,2016-12\nlate,Late,2017-01,2017-12\n",
        encoding="utf-8",
    )
    kb.import_data(folder)
    report = kb.import_project(_project(tmp_path), proposed=tmp_path / "p.csv")
    assert report.evidence == 9
    return kb


def _reference_alpha(rows: list[tuple[int | None, ...]]) -> float:
    matrix = np.array([[np.nan if v is None else v for v in row] for row in rows]).T
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def test_units_are_built_as_defined(team: KnowledgeBase) -> None:
    found = team.agreement_units()
    assert found.coders == ("Julie Lavallée", "Mathieu Tessier", "Samuel Bédard")
    order = [0, 2, 1]  # found.coders order -> u1, u3, u2
    titles = {"S1", "S2"}
    got = {}
    for unit in found.units:
        assert unit.source_title in titles
        values = tuple(unit.values[found.coders[i]] for i in order)
        got[unit.source_title, unit.actors, unit.type] = values
    assert got == EXPECTED


def test_three_coders_alpha_kappa_and_percent(team: KnowledgeBase) -> None:
    result = team.agreement(seed=3)
    rows = {r["coders"]: r for r in result.rows if r["group"] == "all"}
    alpha = _reference_alpha(list(EXPECTED.values()))
    assert rows["all coders"]["alpha"] == pytest.approx(alpha)
    assert rows["all coders"]["units"] == 5
    low, high = rows["all coders"]["alpha_low"], rows["all coders"]["alpha_high"]
    assert -1 <= low <= high <= 1
    assert team.agreement(seed=3).rows == result.rows  # seeded
    # Julie / Samuel on the 5 units both coded: u1 = 1,1,0,1,0; u2 = 1,0,1,1,1
    pair = rows["Julie Lavallée / Samuel Bédard"]
    p_o, p_e = 2 / 5, (3 / 5) * (4 / 5) + (2 / 5) * (1 / 5)
    assert (pair["units"], pair["percent"]) == (5, pytest.approx(p_o))
    assert pair["kappa"] == pytest.approx((p_o - p_e) / (1 - p_e))
    # Julie / Mathieu agree on the 3 units of S1
    same = rows["Julie Lavallée / Mathieu Tessier"]
    assert (same["units"], same["percent"], same["kappa"]) == (3, 1.0, 1.0)
    # Samuel / Mathieu: 1,0,1 against 1,1,0
    other = rows["Mathieu Tessier / Samuel Bédard"]
    assert other["kappa"] == pytest.approx((1 / 3 - 5 / 9) / (4 / 9))
    assert (result.units, result.disagreements) == (5, 3)


def test_two_coders_and_groups(team: KnowledgeBase) -> None:
    result = team.agreement(coders=["julie lavallée", "Samuel Bédard"], by="stage", seed=1)
    assert result.coders == ("Julie Lavallée", "Samuel Bédard")
    overall = next(r for r in result.rows if r["group"] == "all" and r["coders"] == "all coders")
    rows: list[tuple[int | None, ...]] = [(1, 1), (1, 0), (0, 1), (1, 1), (0, 1)]
    assert overall["alpha"] == pytest.approx(_reference_alpha(rows))
    stages = {r["group"] for r in result.rows}
    assert stages == {"all", "early", "late"}
    by_type = team.agreement(by="type", types=["INFORMATION"])
    groups = {r["group"] for r in by_type.rows}
    assert groups == {"all", "INFORMATION"}
    # S2 INFORMATION: one unit where both coded 1 -> alpha undefined, said so
    late = team.agreement(coders=["Julie Lavallée", "Samuel Bédard"], types=["INFORMATION"])
    first = late.rows[0]
    assert first["units"] == 2 and first["alpha"] is not None
    with pytest.raises(ValidationError, match="Julie"):
        team.agreement(coders=["Julia Lavalle", "Samuel Bédard"])
    with pytest.raises(ValidationError):
        team.agreement(coders=["Samuel Bédard"])


def test_undefined_statistics_are_said_not_printed(team: KnowledgeBase) -> None:
    result = team.agreement(
        coders=["Julie Lavallée", "Mathieu Tessier"], types=["COLLABORATION"], by="source"
    )
    # Julie and Mathieu coded S1's two collaborations alike: one category only
    overall = result.rows[0]
    assert overall["alpha"] is None and "one category" in overall["undefined"]
    pair = result.rows[1]
    assert pair["kappa"] is None and pair["percent"] == 1.0 and pair["undefined"]


def test_disagreements_settle_and_raw_agreement_unchanged(team: KnowledgeBase) -> None:
    before = team.agreement(seed=2)
    listed = team.disagreements()
    assert len(listed) == 3
    unit = next(u for u in listed if u["type"] == "INFORMATION")
    assert unit["coded_by"] == ["Samuel Bédard"]
    assert set(unit["not_coded_by"]) == {"Julie Lavallée", "Mathieu Tessier"}
    assert [q["coder"] for q in unit["quotes"]] == ["Samuel Bédard"]
    assert unit["quotes"][0]["text"] == "Bruno informe Chloé chaque semaine."
    done = team.settle(unit["unit"], keep=True, why="Weekly information is a tie.")
    assert done["decision"] == "keep" and done["previous"] is None
    again = team.settle(unit["unit"], keep=False, why="Second reading: one-off.")
    assert again["previous"] == "keep"
    after = team.agreement(seed=2)
    assert after.rows == before.rows  # raw agreement unchanged
    assert (after.settled, after.kept, after.dropped) == (1, 0, 1)
    assert len(team.disagreements(settled=False)) == 2
    settled = team.disagreements(settled=True)
    assert [(u["settled"], u["why"]) for u in settled] == [("drop", "Second reading: one-off.")]
    with pytest.raises(ValidationError, match="no agreement unit"):
        team.settle("u-0000000000", keep=True, why="x")
    with pytest.raises(ValidationError):
        team.settle(unit["unit"], keep=True, why="  ")


def test_aliases_merge_one_person_and_lookalikes_warn(team: KnowledgeBase) -> None:
    # A hand-added item of "JL" from S2: one person under two names until declared.
    document = next(u.source for u in team.agreement_units().units if u.source_title == "S2")
    team.add(
        "evidence",
        {
            "id": "ev-jl",
            "kind": "interview",
            "document": document,
            "coder": "JL",
            "quote": "Anne et Bruno se voient parfois.",
        },
    )
    team.link_evidence("ev-jl", kind="tie", target=_tie(team, "p-a", "p-b"))
    raw = team.agreement()
    assert "JL" in raw.coders and any("look like one person" in w for w in raw.warnings)
    aliases = CoderAliases.of(["JL=Julie Lavallée"])
    merged = team.agreement(aliases=aliases)
    assert "JL" not in merged.coders and not any("one person" in w for w in merged.warnings)
    units = {
        (u.source_title, u.actors, u.type): u for u in team.agreement_units(aliases=aliases).units
    }
    assert units["S2", ("p-a", "p-b"), "COLLABORATION"].values["Julie Lavallée"] == 1


def _tie(kb: KnowledgeBase, a: str, b: str) -> str:
    rows = kb.read("export/relationships", rel_type="TIE", at_first=None, at_last=None)
    for row in rows:
        if {row["source"], row["target"]} == {a, b}:
            return str(row["props"]["id"] if "props" in row else row["id"])
    raise AssertionError(f"no tie {a}-{b}")


def test_import_applies_aliases_and_cli_commands(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (folder / "ties.csv").write_text(TIES, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(folder)], env=cli_env).exit_code == 0
    aliases = tmp_path / "coders.csv"
    aliases.write_text("alias,coder\nMathieu Tessier,Julie Lavallée\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "import",
            str(_project(tmp_path)),
            "--coder-aliases",
            str(aliases),
            "--coder-alias",
            "Samuel Bédard=S. Bédard",
        ],
        env=cli_env,
    )
    assert result.exit_code == 0, result.output
    coders = {r["coder"] for r in kb.read("vocabulary/coders")}
    assert coders == {"Julie Lavallée", "S. Bédard"}
    result = runner.invoke(
        app, ["evidence", "agreement", "--seed", "4", "--by", "type", "-f", "json"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["coders"] == ["Julie Lavallée", "S. Bédard"] and data["units"] == 5
    table = runner.invoke(app, ["evidence", "agreement"], env=cli_env)
    assert table.exit_code == 0 and "alpha" in table.stdout
    listed = runner.invoke(app, ["evidence", "disagreements", "-f", "json"], env=cli_env)
    units = json_result(json.loads(listed.stdout))
    assert units
    csv_out = runner.invoke(app, ["evidence", "disagreements", "-f", "csv"], env=cli_env)
    assert csv_out.stdout.splitlines()[0].startswith("unit,")
    settle = runner.invoke(
        app, ["evidence", "settle", units[0]["unit"], "--drop", "--why", "not a tie"], env=cli_env
    )
    assert settle.exit_code == 0, settle.output
    neither = runner.invoke(
        app, ["evidence", "settle", units[0]["unit"], "--why", "x"], env=cli_env
    )
    assert neither.exit_code == 2
    unknown = runner.invoke(app, ["evidence", "agreement", "--coders", "Nobody,JL"], env=cli_env)
    assert unknown.exit_code == 5 and "--coders" in unknown.stderr
