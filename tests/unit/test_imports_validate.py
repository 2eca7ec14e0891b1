"""Validation rules of the import format: every problem, located by file:row:column."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kb import model
from kb.errors import Issue, Location, ValidationError
from kb.imports import Dataset, Validation, open_dataset, records, validate


def check(folder: Path, **files: str) -> Validation:
    """Validate a folder holding `files` (table name -> CSV text)."""
    for table, text in files.items():
        (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    return validate(open_dataset(folder))


def problems(result: Validation) -> list[str]:
    return [str(issue) for issue in result.issues]


ACTORS = "id,name\np1,Ann\np2,Bob\n"
ORGS = "id,name\no1,CDC\no2,CIUSSS\n"


# --- ids ------------------------------------------------------------------------------------


def test_issue_text_leaves_out_missing_parts() -> None:
    assert str(Issue("ties.csv", 14, "end", "end 2015 is before start 2016", "fix it")) == (
        "ties.csv:14:end: end 2015 is before start 2016 (hint: fix it)"
    )
    assert str(Issue("case.json#ties", None, None, "ties must be an array")) == (
        "case.json#ties: ties must be an array"
    )
    assert Issue("a.csv", 2, "id", "m").location == Location("a.csv", 2, "id")


def test_ids_must_be_present_short_and_without_control_characters(tmp_path: Path) -> None:
    long_id = "x" * 201
    result = check(tmp_path, actors=f'id,name\n,Ann\n{long_id},Bob\n"p\tq",Cy\n{"y" * 200},Di\n')
    hint = " (hint: ids are 1 to 200 characters, without tabs or line breaks)"
    assert problems(result) == [
        "actors.csv:2:id: id is required",
        "actors.csv:3:id: id is 201 characters long" + hint,
        "actors.csv:4:id: id 'p\\tq' contains a control character" + hint,
    ]


def test_duplicate_ids_name_both_rows(tmp_path: Path) -> None:
    result = check(tmp_path, actors="id,name\np1,Ann\np2,Bob\np1,Ann again\n")
    assert problems(result) == ["actors.csv:4:id: duplicate id 'p1': also on row 2"]


def test_persons_and_organizations_share_one_id_space(tmp_path: Path) -> None:
    result = check(tmp_path, organizations="id,name\nx,CDC\n", actors="id,name\nx,Ann\n")
    assert problems(result) == [
        "actors.csv:2:id: duplicate id 'x': also on organizations.csv row 2 "
        "(hint: persons and organizations share one id space)"
    ]


def test_other_kinds_have_their_own_id_space(tmp_path: Path) -> None:
    result = check(tmp_path, actors="id,name\nx,Ann\n", problems="id,statement\nx,Access\n")
    assert result.issues == []


# --- headers --------------------------------------------------------------------------------


def test_missing_required_column_is_one_issue_for_the_file(tmp_path: Path) -> None:
    result = check(tmp_path, ties="source,kind,start\np1,INFO,2016\np2,INFO,2016\n")
    hint = (
        " (hint: ties has the columns source, target, type, [start], [end], [directed], "
        "[weight], [evidence], [id])"
    )
    assert problems(result) == [
        "ties.csv:1:target: required column target is missing" + hint,
        "ties.csv:1:type: required column type is missing" + hint,
    ]


def test_required_value_empty_is_reported_at_the_cell(tmp_path: Path) -> None:
    result = check(tmp_path, actors=ACTORS, ties="source,target,type\np1,p2,\np1,,INFO\n")
    assert problems(result) == [
        "ties.csv:2:type: type is required",
        "ties.csv:3:target: target is required",
    ]


def test_header_problems(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        actors="id,Name,name,Birth Year,kb_source,extra,age,,\np1,Ann,,1950,x,y,71,,\np2,Bob\n",
    )
    assert problems(result) == [
        "actors.csv:1:name: column name appears more than once in the header",
        "actors.csv:1:birth year: extra column 'birth year' cannot become a property "
        "(hint: name extra columns with up to 64 letters, digits and _, not starting with "
        "a digit)",
        "actors.csv:1:kb_source: extra column kb_source uses a name kb reserves",
        "actors.csv:1:extra: extra column extra uses a name kb reserves",
    ]


def test_date_suffixes_of_a_tables_dates_are_reserved(tmp_path: Path) -> None:
    result = check(tmp_path, actors=ACTORS, ties="source,target,type,start_first\np1,p2,A,x\n")
    assert problems(result) == [
        "ties.csv:1:start_first: extra column start_first uses a name kb reserves"
    ]


def test_extra_columns_become_string_properties(tmp_path: Path) -> None:
    (tmp_path / "actors.csv").write_text(
        "id,name,Gender,age\np1,Ann, F ,71\np2,Bob,,\n", encoding="utf-8"
    )
    dataset = open_dataset(tmp_path)
    assert validate(dataset).issues == []
    assert [r["extra"] for r in records(dataset, "actors")] == [
        {"age": "71", "gender": "F"},
        {},
    ]


def test_value_without_a_header(tmp_path: Path) -> None:
    result = check(tmp_path, actors="id,name\np1,Ann,stray\np2,Bob,\n")
    assert problems(result) == [
        "actors.csv:2: a value sits in a column without a header "
        "(hint: name the column in the header row, or delete the value)"
    ]


# --- references -----------------------------------------------------------------------------


def test_unresolved_references_are_collected_with_their_first_location(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        actors="id,name,territory\np1,Ann,mtl\n",
        ties="source,target,type,evidence\np1,ext,INFO,e9\nx2,ext,INFO,e9;e8\n",
        memberships="person,organization\np9,o9\n",
        attendance="meeting,actor\nm1,p1\n",
        positions="actor,problem,stance\np1,pb1,agree\n",
        reform_effects="reform,organization,effect,successor\nloi10,o9,merged_into,o8\n",
        documents="id,author\nd1,p7\n",
        evidence="id,kind,document\ne1,document,d9\n",
    )
    assert result.issues == []
    assert result.unresolved == {
        ("Territory", "mtl"): Location("actors.csv", 2, "territory"),
        ("Actor", "p7"): Location("documents.csv", 2, "author"),
        ("Document", "d9"): Location("evidence.csv", 2, "document"),
        ("Actor", "ext"): Location("ties.csv", 2, "target"),
        ("Evidence", "e9"): Location("ties.csv", 2, "evidence"),
        ("Actor", "x2"): Location("ties.csv", 3, "source"),
        ("Evidence", "e8"): Location("ties.csv", 3, "evidence"),
        ("Person", "p9"): Location("memberships.csv", 2, "person"),
        ("Organization", "o9"): Location("memberships.csv", 2, "organization"),
        ("Meeting", "m1"): Location("attendance.csv", 2, "meeting"),
        ("ReformEvent", "loi10"): Location("reform_effects.csv", 2, "reform"),
        ("Organization", "o8"): Location("reform_effects.csv", 2, "successor"),
        ("Problem", "pb1"): Location("positions.csv", 2, "problem"),
    }


def test_references_to_the_wrong_kind_are_errors_at_once(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        organizations=ORGS,
        actors=ACTORS,
        memberships="person,organization\no1,o2\np1,p2\n",
        reforms="id,name,date\nloi10,Loi 10,2015-04-01\n",
        reform_effects="reform,organization,effect,successor\nloi10,o1,merged_into,p1\n",
    )
    assert problems(result) == [
        "memberships.csv:2:person: person 'o1' is an organization, not a person "
        "(see organizations.csv row 2) (hint: person takes an id from actors)",
        "memberships.csv:3:organization: organization 'p2' is a person, not an organization "
        "(see actors.csv row 3) (hint: organization takes an id from organizations)",
        "reform_effects.csv:2:successor: successor 'p1' is a person, not an organization "
        "(see actors.csv row 2) (hint: successor takes an id from organizations)",
    ]
    assert result.unresolved == {}


def test_ties_and_attendance_accept_persons_and_organizations(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        organizations=ORGS,
        actors=ACTORS,
        meetings="id,date\nm1,2016-03-14\n",
        ties="source,target,type\np1,o1,INFO\no1,o2,INFO\n",
        attendance="meeting,actor\nm1,p1\nm1,o2\n",
    )
    assert result.issues == [] and result.unresolved == {}


def test_a_territory_may_name_a_parent_listed_after_it(tmp_path: Path) -> None:
    result = check(tmp_path, territories="id,name,parent\nmtl,Montréal,qc\nqc,Québec,\n")
    assert result.issues == [] and result.unresolved == {}


def test_a_territory_cannot_be_its_own_parent(tmp_path: Path) -> None:
    result = check(tmp_path, territories="id,name,parent\nqc,Québec,qc\n")
    assert problems(result) == ["territories.csv:2:parent: parent is the same as id ('qc')"]


def test_evidence_lists_ignore_empty_items_and_collapse_repeats(tmp_path: Path) -> None:
    (tmp_path / "evidence.csv").write_text("id,kind\ne1,interview\ne2,other\n", encoding="utf-8")
    (tmp_path / "ties.csv").write_text(
        'source,target,type,evidence\np1,p2,INFO," e2 ;; e1;e2; "\n', encoding="utf-8"
    )
    dataset = open_dataset(tmp_path)
    result = validate(dataset)
    assert result.issues == []
    assert set(result.unresolved) == {("Actor", "p1"), ("Actor", "p2")}
    assert next(records(dataset, "ties"))["evidence"] == ["e2", "e1"]


def test_ids_of_broken_rows_still_resolve_references(tmp_path: Path) -> None:
    result = check(tmp_path, actors="id,name,sector\np1,,x\n", ties="source,target,type\np1,p1,A\n")
    assert problems(result) == [
        "actors.csv:2:name: name is required",
        "ties.csv:2:target: target is the same as source ('p1')",
    ]
    assert result.unresolved == {}


# --- values ---------------------------------------------------------------------------------


def test_dates_are_checked(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        meetings="id,date\nm1,14/03/2016\nm2,2016-02-30\nm3,March 2016\nm4,1850\nm5, 2016-3 \n",
    )
    assert problems(result) == [
        "meetings.csv:2:date: '14/03/2016' is ambiguous (day/month or month/day?); expected "
        "YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2016-03-14 if it means day 14, month 3",
        "meetings.csv:3:date: 2016-02-30 does not exist",
        "meetings.csv:4:date: 'March 2016' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD",
        "meetings.csv:5:date: year 1850 is outside 1900-2100",
        "meetings.csv:6:date: '2016-3' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD, "
        "with two-digit months and days (write 2016-03)",
    ]


def test_tie_types_are_normalised_and_checked(tmp_path: Path) -> None:
    (tmp_path / "ties.csv").write_text(
        "source,target,type\na,b,information sharing\na,c, co-funding \na,d,échange\na,e,1ST\n",
        encoding="utf-8",
    )
    dataset = open_dataset(tmp_path)
    hint = (
        " (hint: use up to 40 letters A-Z, digits and _, starting with a letter, "
        "e.g. COLLABORATION)"
    )
    assert problems(validate(dataset)) == [
        "ties.csv:4:type: type 'échange' is not a valid type" + hint,
        "ties.csv:5:type: type '1ST' is not a valid type" + hint,
    ]
    dataset = Dataset.from_records(
        {"ties": [{"source": "a", "target": "b", "type": "information sharing"}]}
    )
    assert next(records(dataset, "ties"))["type"] == "INFORMATION_SHARING"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("yes", True), ("Oui", True), ("VRAI", True), ("1", True), ("true", True), ("", True)]
    + [("no", False), ("NON", False), ("faux", False), ("0", False), ("False", False)],
)
def test_directed_words(text: str, expected: bool) -> None:
    dataset = Dataset.from_records(
        {"ties": [{"source": "a", "target": "b", "type": "A", "directed": text}]}
    )
    assert validate(dataset).issues == []
    assert next(records(dataset, "ties"))["directed"] is expected


def test_directed_and_weight_are_checked(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        ties="source,target,type,directed,weight\n"
        'a,b,A,maybe,\na,c,A,,heavy\na,d,A,,0\na,e,A,,-1\na,f,A,,"0,5"\na,g,A,,1e400\n',
    )
    assert problems(result) == [
        "ties.csv:2:directed: directed 'maybe' is not a yes/no value "
        "(hint: use true/false, yes/no, 1/0, oui/non or vrai/faux)",
        "ties.csv:3:weight: weight 'heavy' is not a number (hint: write it like 0.5 or 0,5)",
        "ties.csv:4:weight: weight must be a number greater than 0, not 0",
        "ties.csv:5:weight: weight must be a number greater than 0, not -1",
        "ties.csv:7:weight: weight must be a number greater than 0, not 1e400",
    ]


def test_a_broken_undirected_tie_is_reported_not_crashed_on(tmp_path: Path) -> None:
    result = check(tmp_path, ties="source,target,type,directed\n,p2,INFO,no\n")
    assert problems(result) == ["ties.csv:2:source: source is required"]


def test_a_tie_cannot_join_an_actor_to_itself(tmp_path: Path) -> None:
    result = check(tmp_path, actors=ACTORS, ties="source,target,type\np1,p1,INFO\n")
    assert problems(result) == ["ties.csv:2:target: target is the same as source ('p1')"]


def test_end_before_start_in_ties_memberships_and_stages(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        organizations=ORGS,
        actors=ACTORS,
        stages="id,name,start,end\ns1,One,2016-06,2016-05-31\ns2,Two,2016-06,2016\n",
        ties="source,target,type,start,end\np1,p2,A,2016,2015-03\np1,o1,A,2016-03,2016\n",
        memberships="person,organization,start,end\np1,o1,2016-03-14,2016-03\n"
        "p2,o1,2016-03-14,2016-03-13\n",
    )
    assert problems(result) == [
        "stages.csv:2:end: end 2016-05-31 is before start 2016-06",
        "ties.csv:2:end: end 2015-03 is before start 2016",
        "memberships.csv:3:end: end 2016-03-13 is before start 2016-03-14",
    ]


def test_enumerations(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        evidence="id,kind\ne1,Interview\ne2,rumour\n",
        positions="actor,problem,stance\np1,pb,AGREE\np1,pb2,pour\n",
        reform_effects="reform,organization,effect\nr,o,Abolished\nr,o2,closed\n",
    )
    assert problems(result) == [
        "evidence.csv:3:kind: kind 'rumour' is not one of interview, observation, document, other",
        "reform_effects.csv:3:effect: effect 'closed' is not one of abolished, merged_into, "
        "created, restructured",
        "positions.csv:3:stance: stance 'pour' is not one of agree, disagree, neutral",
    ]


def test_successor_goes_with_merged_into_only(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        reform_effects="reform,organization,effect,successor\n"
        "r,o1,merged_into,\nr,o2,abolished,o3\nr,o4,MERGED_INTO,o5\nr,o6,merged_into,o6\n",
    )
    assert problems(result) == [
        "reform_effects.csv:2:successor: effect merged_into needs a successor",
        "reform_effects.csv:3:successor: successor is only allowed when effect is merged_into",
        "reform_effects.csv:5:successor: successor is the same as organization ('o6')",
    ]


# --- duplicates of derived ids ----------------------------------------------------------------


def test_duplicate_ties_name_both_rows_with_a_hint(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        ties="source,target,type,start,directed,id\n"
        "a,b,INFO,2016,,\n"
        "a,b,info,2016-03,,\n"
        "a,b,Info, 2016 ,yes,\n"
        "c,d,INFO,,no,\n"
        "d,c,INFO,,false,\n"
        "e,f,INFO,,,t1\n"
        "e,f,INFO,,,t1\n",
    )
    hint = " (hint: add distinct start dates, or give each row its own id)"
    derived_ab = model.tie_id("a", "b", "INFO", "2016")
    derived_cd = model.tie_id("c", "d", "INFO", None, directed=False)
    assert problems(result) == [
        f"ties.csv:4: same tie as row 2 (derived id {derived_ab})" + hint,
        f"ties.csv:6: same tie as row 5 (derived id {derived_cd})" + hint,
        "ties.csv:8:id: duplicate id 't1': also on row 7",
    ]


def test_directed_ties_in_both_directions_are_two_ties() -> None:
    ab = {"source": "a", "target": "b", "type": "A"}
    ba = {"source": "b", "target": "a", "type": "A"}
    dataset = Dataset.from_records({"ties": [ab, ba]})
    assert validate(dataset).issues == []


def test_duplicate_links_of_other_tables(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        memberships="person,organization,role,start\np,o,chair,2016\np,o,chair,2016\n"
        "p,o,Chair,2016\np,o,chair,2017\n",
        attendance="meeting,actor,role\nm,p,chair\nm,p,guest\n",
        reform_effects="reform,organization,effect\nr,o,created\nr,o,CREATED\nr,o,restructured\n",
        positions="actor,problem,stance,date\np,pb,agree,2016\np,pb,disagree,2016\n"
        "p,pb,agree,2017\n",
    )
    # Roles are free text, compared as written: "Chair" is another membership than "chair".
    assert [m.split(" (derived id")[0] for m in problems(result)] == [
        "memberships.csv:3: same membership as row 2",
        "attendance.csv:3: same attendance as row 2",
        "reform_effects.csv:3: same reform effect as row 2",
        "positions.csv:3: same position as row 2",
    ]
    assert str(result.issues[1]).endswith(
        f"(derived id {model.attendance_id('m', 'p')}) "
        "(hint: an actor attends a meeting once; merge the two rows)"
    )


# --- whole runs -----------------------------------------------------------------------------


def test_every_problem_is_reported_in_file_then_row_order(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        ties="source,target,type,start\np1,p1,A,2016\np1,p2,,x\n",
        actors="id,name\np1,\n,Bob\n",
    )
    assert problems(result) == [
        "actors.csv:2:name: name is required",
        "actors.csv:3:id: id is required",
        "ties.csv:2:target: target is the same as source ('p1')",
        "ties.csv:3:type: type is required",
        "ties.csv:3:start: 'x' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD",
    ]
    assert result.rows == {"actors": 2, "ties": 2}


def test_issues_are_capped_per_file_and_counted(tmp_path: Path) -> None:
    rows = "".join(f"p{i},\n" for i in range(30))
    (tmp_path / "actors.csv").write_text("id,name\n" + rows, encoding="utf-8")
    result = validate(open_dataset(tmp_path), max_issues_per_table=10)
    assert len(result.issues) == 11
    assert str(result.issues[-1]) == "actors.csv: 20 more problems in this file are not listed"


def test_raise_for_issues_and_records_refuse_invalid_rows(tmp_path: Path) -> None:
    result = check(tmp_path, actors="id,name\np1,\n")
    with pytest.raises(ValidationError) as caught:
        result.raise_for_issues()
    assert caught.value.issues == result.issues
    assert str(caught.value) == (
        "1 problem in the input; first: actors.csv:2:name: name is required"
    )
    with pytest.raises(ValidationError, match="actors.csv:2:name"):
        list(records(open_dataset(tmp_path), "actors"))
    check(tmp_path, actors="id\np1\n")
    with pytest.raises(ValidationError, match="required column name is missing"):
        list(records(open_dataset(tmp_path), "actors"))


def test_an_empty_folder_validates_with_a_warning(tmp_path: Path) -> None:
    result = validate(open_dataset(tmp_path))
    assert result.ok and result.rows == {}
    assert result.warnings == [f"{tmp_path.name} holds no kb table."]


def test_record_keys_follow_the_spec() -> None:
    rows = {
        "ties": [{"source": "a", "target": "b", "type": "A"}],
        "memberships": [{"person": "p", "organization": "o"}],
        "attendance": [{"meeting": "m", "actor": "p"}],
        "positions": [{"actor": "p", "problem": "pb", "stance": "agree"}],
        "reform_effects": [{"reform": "r", "organization": "o", "effect": "created"}],
        "stages": [{"id": "s", "name": "S", "start": "2016"}],
    }
    dataset = Dataset.from_records(rows)
    assert validate(dataset).issues == []
    for table in rows:
        (record,) = records(dataset, table)
        spec = model.TABLES_BY_NAME[table]
        assert set(record) == set(spec.record_keys)
        assert record["id"][:2] in {"t-", "m-", "a-", "p-", "r-", "s"}


def test_derived_ids_are_stable() -> None:
    assert model.tie_id("a", "b", "INFO", "2016") == model.tie_id("a", "b", "INFO", "2016")
    assert model.tie_id("a", "b", "INFO", None) != model.tie_id("b", "a", "INFO", None)
    assert model.tie_id("a", "b", "INFO", None, directed=False) == model.tie_id(
        "b", "a", "INFO", None, directed=False
    )
    # Fields are joined with a separator ids cannot hold, so shifting text between fields
    # gives another id.
    assert model.attendance_id("ab", "c") != model.attendance_id("a", "bc")
    assert model.membership_id("p", "o", None, None).startswith("m-")
    assert model.position_id("p", "pb", "2016").startswith("p-")
    assert model.effect_id("r", "o", "created").startswith("r-")
    joined = b"a\x1fb\x1fINFO\x1f2016"
    assert model.tie_id("a", "b", "INFO", "2016") == "t-" + hashlib.sha1(joined).hexdigest()[:12]


def test_the_sink_receives_the_records_the_write_reads(tmp_path: Path) -> None:
    ties = "source,target,type,start,evidence\np1,p2,advice,2016-03,e1;e1\np2,p1,INFO,,\n"
    (tmp_path / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (tmp_path / "ties.csv").write_text(ties, encoding="utf-8")
    dataset = open_dataset(tmp_path)
    seen: list[tuple[str, dict[str, object]]] = []
    assert validate(dataset, sink=lambda table, record: seen.append((table, record))).ok
    expected = [(t, r) for t in ("actors", "ties") for r in records(dataset, t)]
    assert seen == expected


def test_every_table_has_its_write_queries_spelled_out() -> None:
    from kb import queries
    from kb.imports.writer import SPLIT_TABLES, WRITE_QUERIES
    from kb.model import TABLES

    assert set(WRITE_QUERIES) == set(TABLES)
    names = [*WRITE_QUERIES.values()]
    names += [q for split in SPLIT_TABLES.values() for q in (split.new, split.state, split.count)]
    for name in names:
        assert queries.get(name).name == name
