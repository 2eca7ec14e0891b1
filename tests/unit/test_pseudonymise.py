"""kb.exports.pseudonymise and kb.exports.risk without a database: keys, pseudonyms, the
import tables pseudonymised, and the risk measures on small networks worked out by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kb.errors import SettingsError, ValidationError
from kb.exports.network import ActorNetwork, NetworkEdge, NetworkNode
from kb.exports.pseudonymise import (
    SHARED_NAME,
    Pseudonymisation,
    Pseudonymiser,
    case_key,
    coarse_date,
    coarse_day,
    pseudonym,
)
from kb.exports.risk import assess, neighbourhood_shape

KEY = bytes(range(32))


def test_the_key_is_created_once_private_and_refused_when_shared(tmp_path: Path) -> None:
    first = case_key("wg-case", home=tmp_path)
    assert case_key("wg-case", home=tmp_path) == first and len(first) == 32
    path = tmp_path / "keys" / "pseudonyms-wg-case.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert case_key("other", home=tmp_path) != first
    path.chmod(0o644)
    with pytest.raises(SettingsError, match="chmod 600"):
        case_key("wg-case", home=tmp_path)


def test_pseudonyms_depend_on_the_key_and_hold_nothing_of_the_id() -> None:
    name = pseudonym(KEY, "P", "p-lsimard")
    assert name == pseudonym(KEY, "P", "p-lsimard")
    assert name != pseudonym(bytes(32), "P", "p-lsimard")
    assert name.startswith("P-") and len(name) == 10 and "lsimard" not in name.lower()


@pytest.mark.parametrize(
    ("value", "level", "expected"),
    [
        ("2015-06-17", "month", "2015-06"),
        ("2015-06-17", "year", "2015"),
        ("2015-06", "month", "2015-06"),
        ("2015", "month", "2015"),
        ("2015-06-17", None, "2015-06-17"),
        ("not a date", "year", "not a date"),
    ],
)
def test_partial_dates_coarsen_and_stay_partial(value: str, level: str, expected: str) -> None:
    assert coarse_date(value, level) == expected


def test_spell_days_widen_to_whole_months_and_years() -> None:
    assert coarse_day(date(2016, 2, 10), "month", last=True) == date(2016, 2, 29)
    assert coarse_day(date(2016, 2, 10), "year", last=False) == date(2016, 1, 1)
    assert coarse_day(None, "year", last=True) is None


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="scope"):
        Pseudonymisation(scope="everyone")
    with pytest.raises(ValidationError, match="dates"):
        Pseudonymisation(dates="week")


def _pseudonymiser(**settings: object) -> Pseudonymiser:
    return Pseudonymiser.build(
        KEY,
        Pseudonymisation(**settings),  # type: ignore[arg-type]
        people=[
            ("p-ines", {"name": "Inès Tremblay", "aliases": "Nénette"}),
            ("p-rob", {"name": "Robert Tremblay"}),
        ],
        organisations=[("o-cdc", {"name": "CDC de la Rivière"})],
        parents={"rls-a": "reg-1"},
        meetings=["m-2015-06-17"],
    )


def test_the_import_tables_are_pseudonymised() -> None:
    p = _pseudonymiser(dates="month", generalise=("territory", "sector"), keep_text=True)
    ines, rob = p.renamed["p-ines"], p.renamed["p-rob"]
    tables = {
        "actors": (
            ["id", "name", "sector", "territory", "description", "aliases"],
            [
                {
                    "id": "p-ines",
                    "name": "Inès Tremblay",
                    "sector": "community",
                    "territory": "rls-a",
                    "description": "works with Robert",
                    "aliases": "Nénette",
                }
            ],
        ),
        "evidence": (
            ["id", "date", "quote", "coder", "speaker"],
            [
                {
                    "id": "ev-1",
                    "date": "2015-06-17",
                    "quote": "Selon d’Inès et NENETTE, I.T. a vu Tremblay et p-rob.",
                    "coder": "Julie Lavallée",
                    "speaker": "p-ines",
                }
            ],
        ),
        "attendance": (["meeting", "actor"], [{"meeting": "m-2015-06-17", "actor": "p-rob"}]),
    }
    out = p.tables(tables)
    actor = out["actors"][1][0]
    assert actor == {
        "id": ines,
        "name": ines,
        "sector": "",
        "territory": "reg-1",
        "description": f"works with {rob}",
        "aliases": "",
    }
    evidence = out["evidence"][1][0]
    assert evidence["date"] == "2015-06" and evidence["speaker"] == ines
    assert evidence["quote"] == f"Selon d’{ines} et {ines}, {ines} a vu {SHARED_NAME} et {rob}."
    assert evidence["coder"].startswith("C-") and "Julie" not in evidence["coder"]
    assert out["attendance"][1][0] == {"meeting": p.renamed["m-2015-06-17"], "actor": rob}
    dropped = _pseudonymiser().tables(tables)
    assert dropped["evidence"][1][0]["quote"] == ""
    assert dropped["actors"][1][0]["territory"] == "rls-a"


def test_organisations_are_renamed_only_with_scope_all() -> None:
    assert "o-cdc" not in _pseudonymiser().renamed
    everyone = _pseudonymiser(scope="all")
    assert everyone.renamed["o-cdc"].startswith("O-")
    assert everyone.text("la CDC de la Rivière") == f"la {everyone.renamed['o-cdc']}"


def _network(edges: list[tuple[str, str]], attributes: dict[str, dict[str, str]]) -> ActorNetwork:
    nodes = [NetworkNode(n, n, a) for n, a in attributes.items()]
    return ActorNetwork(
        nodes,
        [
            NetworkEdge(f"t{i}", s, t, "tie", "T", False, None, None, None, {})
            for i, (s, t) in enumerate(edges)
        ],
    )


def test_risk_of_a_star_and_a_triangle() -> None:
    # A star a-(b,c,d) and a triangle e-f-g: the hub a alone has degree 3; b, c and d share
    # their neighbourhood (a leaf of a 3-star); e, f and g share theirs (a triangle).
    same = {"sector": "community"}
    network = _network(
        [("a", "b"), ("a", "c"), ("a", "d"), ("e", "f"), ("f", "g"), ("g", "e")],
        {n: dict(same) for n in "abcdefg"},
    )
    report = assess(network, set("abcdefg"), threshold=3)
    assert report.quasi_identifiers == ["sector"]
    assert report.k == 7 and report.unique_by_attributes == 0
    assert report.unique_by_degree_and_attributes == pytest.approx(1 / 7)
    assert report.unique_by_neighbourhood == pytest.approx(1 / 7)
    assert [r.pseudonym for r in report.at_risk] == ["a"]
    assert report.mean_degree == pytest.approx(12 / 7)


def test_attributes_make_groups_and_uniques() -> None:
    network = _network(
        [("a", "b"), ("c", "d")],
        {"a": {"sector": "x"}, "b": {"sector": "x"}, "c": {"sector": "y"}, "d": {"sector": "z"}},
    )
    report = assess(network, set("abcd"), threshold=2)
    assert report.k == 1 and report.groups_below_threshold == 2
    assert report.unique_by_attributes == 0.5
    assert report.unique_by_neighbourhood == 0  # four leaves of one edge
    assert "at risk" in report.summary() and "| k-anonymity" in report.markdown()
    assert report.data()["at_risk"] == 2


def test_a_neighbourhood_shape_ignores_names_but_not_the_root() -> None:
    path = {"a": {"b"}, "b": {"a", "c"}, "c": {"b"}}
    renamed = {"x": {"y"}, "y": {"x", "z"}, "z": {"y"}}
    assert neighbourhood_shape("a", path) == neighbourhood_shape("x", renamed)
    assert neighbourhood_shape("a", path) != neighbourhood_shape("b", path)
