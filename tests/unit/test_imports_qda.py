"""The coding convention and the QDA codebook, without a database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kb.errors import ValidationError
from kb.exports.qdc import codebook_tree
from kb.imports.qda import (
    Claim,
    MappingRow,
    Target,
    code_guid,
    convert,
    fold,
    read_mapping,
    resolve_codes,
)
from kb.imports.refi import Code, read_codebook, read_project
from kb.imports.validate import validate
from tests.qdpx import Sel, Src, build, span

ROOT = Path(__file__).resolve().parents[2]
ACTORS = [
    {"id": "p-lsimard", "name": "Louise Simard", "sector": "community"},
    {"id": "p-mgagnon", "name": "Martine Gagnon", "sector": "public"},
    {"id": "p-hdumont", "name": "Hélène Dumont", "sector": "community"},
    {"id": "ciusss-cn", "name": "CIUSSS du Centre-Nord", "sector": "public"},
    {"id": "p-jroy", "name": "Jean Roy", "sector": "public"},
    {"id": "p-jroy2", "name": "Jean Roy", "sector": "citizen"},
]


def code(path: str, *, children: int = 0, guid: str | None = None, description: str = "") -> Code:
    parts = tuple(path.split("/"))
    return Code(guid or f"g-{path}", parts[-1], parts, 7, children, description or None)


def test_fold_ignores_case_accents_and_apostrophes() -> None:
    assert fold("  HÉLÈNE  Dumont ") == "helene dumont"
    assert fold("Centre d’action") == fold("centre d'action")


def test_convention_names_actors_by_id_or_name_and_ties_by_type() -> None:
    codes = [
        code("actors", children=4),
        code("actors/community/helene dumont"),
        code("actors/ciusss-cn"),
        code("actors/Martine Gagnon (p-mgagnon)"),
        code("actors/Quelqu'un", description="kb id: p-lsimard"),
        code("actors/Personne inconnue"),
        code("ties/collaboration"),
        code("ties/échange d'infos"),
        code("thèmes/accès"),
    ]
    result = resolve_codes(codes, ACTORS)
    targets = {c.name: result.targets.get(c.guid) for c in codes}
    assert targets["helene dumont"] == Target(actor="p-hdumont")
    assert targets["ciusss-cn"] == Target(actor="ciusss-cn")
    assert targets["Martine Gagnon (p-mgagnon)"] == Target(actor="p-mgagnon")
    assert targets["Quelqu'un"] == Target(actor="p-lsimard")
    assert targets["collaboration"] == Target(tie_type="COLLABORATION")
    unmatched = {c.name for c in result.unmatched}
    assert unmatched == {"Personne inconnue", "échange d'infos", "accès"}
    assert not result.issues


def test_kb_codebook_guids_win() -> None:
    codes = [code("actors/renamed by the coder", guid=code_guid("actor", "p-mgagnon"))]
    assert resolve_codes(codes, ACTORS).targets[codes[0].guid] == Target(actor="p-mgagnon")


def test_an_ambiguous_name_is_an_issue() -> None:
    result = resolve_codes([code("actors/Jean Roy")], ACTORS)
    (issue,) = result.issues
    assert "p-jroy, p-jroy2" in issue.message and issue.row == 7


def test_mapping_wins_and_is_checked(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(
        "code,actor,tie_type\nLa CDC,p-lsimard,\npartenariat,,collaboration\n"
        "fantôme,p-nobody,\nabsent,p-mgagnon,\n",
        encoding="utf-8",
    )
    rows = read_mapping(mapping)
    assert rows[1] == MappingRow("partenariat", Target(tie_type="COLLABORATION"), 3)
    codes = [code("thèmes/la cdc"), code("thèmes/Partenariat")]
    result = resolve_codes(codes, ACTORS, rows, mapping_file="mapping.csv")
    assert result.targets[codes[0].guid] == Target(actor="p-lsimard")
    assert result.targets[codes[1].guid] == Target(tie_type="COLLABORATION")
    assert [str(i) for i in result.issues] == [
        "mapping.csv:4:actor: unknown actor 'p-nobody' (hint: use an actor id of kb "
        "(kb timeline ID shows one))"
    ]
    assert any("absent" in w for w in result.warnings)


def test_mapping_rows_need_exactly_one_target(tmp_path: Path) -> None:
    mapping = tmp_path / "m.csv"
    mapping.write_text("code,actor,tie_type\nx,p-lsimard,INFORMATION\ny,,\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_mapping(mapping)
    assert [i.row for i in caught.value.issues] == [2, 3]


TEXT = (
    "Louise Simard et Martine Gagnon préparent ensemble l'ordre du jour.\n"
    "Hélène Dumont n'était pas là.\nLes gens ne savent plus à quelle porte frapper.\n"
)


def test_convert_makes_evidence_mentions_and_claims(tmp_path: Path) -> None:
    both = span(TEXT, "Louise Simard et Martine Gagnon préparent ensemble")
    alone = span(TEXT, "Hélène Dumont n'était pas là.")
    theme = span(TEXT, "Les gens ne savent plus")
    path = build(
        tmp_path / "p.qdpx",
        [
            Src(
                "Entretien",
                TEXT,
                [
                    Sel(
                        *both,
                        ["actors/Louise Simard", "actors/Martine Gagnon", "ties/COLLABORATION"],
                    ),
                    Sel(*alone, ["actors/Hélène Dumont", "ties/INFORMATION"], user="u2"),
                    Sel(*theme, ["thèmes/accès"]),
                ],
                variables={"kind": "Entretien", "date": "2016-03-14"},
            )
        ],
    )
    project = read_project(path)
    resolution = resolve_codes(project.codes.values(), ACTORS)
    conversion = convert(project, resolution)
    try:
        assert conversion.passages == 3 and conversion.without_actor == 1
        assert conversion.lone_tie_codes == 1
        (claim,) = conversion.claims
        assert claim == Claim(conversion.evidence_ids[0], "p-lsimard", "p-mgagnon", "COLLABORATION")
        result = validate(conversion.dataset)
        assert result.ok, result.issues
        assert result.rows == {"documents": 1, "evidence": 2, "mentions": 3}
        evidence = [raw.values for raw in conversion.dataset.raw_rows("evidence")]
        assert evidence[0]["kind"] == "interview" and evidence[0]["date"] == "2016-03-14"
        assert evidence[0]["quote"] == "Louise Simard et Martine Gagnon préparent ensemble"
        assert evidence[1]["coder"] == "Coder Two"
        assert result.unresolved.keys() == {
            ("Actor", a) for a in ("p-lsimard", "p-mgagnon", "p-hdumont")
        }
    finally:
        conversion.close()


def test_a_bad_kind_variable_is_an_issue(tmp_path: Path) -> None:
    path = build(
        tmp_path / "p.qdpx",
        [
            Src(
                "Entretien",
                TEXT,
                [Sel(0, 13, ["actors/Louise Simard"])],
                variables={"kind": "sondage", "date": "mars 2016"},
            )
        ],
    )
    project = read_project(path)
    convert(project, resolve_codes(project.codes.values(), ACTORS)).close()
    messages = [i.message for i in project.issues]
    assert any("variable kind 'sondage'" in m for m in messages)
    assert any("variable date 'mars 2016'" in m for m in messages)


def test_codebook_is_valid_and_reads_back_to_the_same_targets(tmp_path: Path) -> None:
    from lxml import etree

    tree = codebook_tree(ACTORS, ["COLLABORATION", "INFORMATION"])
    buffer = io.BytesIO()
    tree.write(buffer, encoding="UTF-8", xml_declaration=True)
    schema = etree.XMLSchema(etree.parse(str(ROOT / "tests/data/refi-qda/Codebook.xsd")))
    assert schema.validate(etree.fromstring(buffer.getvalue()).getroottree()), schema.error_log
    file = tmp_path / "codebook.qdc"
    file.write_bytes(buffer.getvalue())
    codes = read_codebook(file)
    # The same name twice gets the id in the code name; guids are kb's.
    assert {c.name for c in codes if c.name.startswith("Jean Roy")} == {
        "Jean Roy (p-jroy)",
        "Jean Roy (p-jroy2)",
    }
    result = resolve_codes(codes, ACTORS)
    assert sorted(t.actor or t.tie_type or "" for t in result.targets.values()) == sorted(
        [a["id"] for a in ACTORS] + ["COLLABORATION", "INFORMATION"]
    )
    assert not result.unmatched and not result.issues
    # Without kb's guids (a program that renumbers codes), names and ids still match.
    renamed = [Code("x" + c.guid, c.name, c.path, c.line, c.children, c.description) for c in codes]
    assert len(resolve_codes(renamed, ACTORS).targets) == len(result.targets)


def _informants(path: Path) -> tuple[list[str | None], list[str], list[str]]:
    project = read_project(path)
    conversion = convert(project, resolve_codes(project.codes.values(), ACTORS))
    try:
        rows = [raw.values.get("informant") for raw in conversion.dataset.raw_rows("evidence")]
    finally:
        conversion.close()
    return rows, [i.message for i in project.issues], project.warnings


def test_the_informant_is_the_variable_or_the_case_naming_an_actor(tmp_path: Path) -> None:
    sel = [Sel(0, 13, ["actors/Louise Simard"])]
    sources = [
        Src("A", TEXT, sel, variables={"kind": "interview", "informant": "helene dumont"}),
        Src("B", TEXT, sel, variables={"kind": "interview"}),
        Src("C", TEXT, sel, variables={"kind": "interview"}),
    ]
    # Cases come before Sources (the standard's order): they must still reach the sources.
    cases = {"Martine Gagnon": ["B", "A"], "Groupe 2016": ["C"]}
    rows, issues, _ = _informants(build(tmp_path / "p.qdpx", sources, cases=cases))
    assert rows == ["p-hdumont", "p-mgagnon", None] and not issues


def test_an_unknown_informant_is_an_issue_naming_the_closest(tmp_path: Path) -> None:
    sources = [Src("A", TEXT, [Sel(0, 13, ["actors/Louise Simard"])], {"informant": "L Simard"})]
    _, issues, _ = _informants(build(tmp_path / "p.qdpx", sources))
    (message,) = issues
    assert "variable informant 'L Simard' is no actor of kb" in message
    assert "p-lsimard" in message
