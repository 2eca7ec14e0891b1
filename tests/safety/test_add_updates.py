"""`kb add` on an existing record changes only the fields given, and says what changed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.cli import ExitCode, app
from kb.graph import KnowledgeBase
from kb.imports import Dataset
from tests.support import DatabaseState, fills_database

pytestmark = pytest.mark.neo4j

runner = CliRunner()

CASE = {
    "territories": [{"id": "rls", "name": "RLS"}, {"id": "rls2", "name": "RLS 2"}],
    "organizations": [
        {"id": "agence", "name": "Agence", "sector": "public"},
        {"id": "popote", "name": "Popote", "sector": "community"},
    ],
    "actors": [
        {
            "id": "p-dlavoie",
            "name": "Daniel Lavoie",
            "sector": "community",
            "territory": "rls",
            "role": "director",
        },
        {"id": "p-other", "name": "Other", "sector": "public"},
    ],
    "evidence": [{"id": "ev-1", "kind": "document"}, {"id": "ev-2", "kind": "interview"}],
    "ties": [
        {
            "id": "t-012",
            "source": "agence",
            "target": "popote",
            "type": "FUNDING",
            "start": "2003",
            "end": "2015-03-31",
            "evidence": "ev-1",
            "amount": "61000",
        },
    ],
}


@pytest.fixture
@fills_database
def case(kb: KnowledgeBase, database_state: DatabaseState) -> KnowledgeBase:
    database_state.hold(kb, f"{__name__}.CASE", lambda: kb.import_data(Dataset.from_records(CASE)))
    return kb


def props(kb: KnowledgeBase, query: str, **params: Any) -> dict[str, Any]:
    records = kb.driver.execute_query(query, params).records
    assert records, query
    return dict(records[0]["p"])


def tie(kb: KnowledgeBase, ident: str = "t-012") -> dict[str, Any]:
    return props(kb, "MATCH ()-[r:TIE {id: $id}]->() RETURN properties(r) AS p", id=ident)


def actor(kb: KnowledgeBase, ident: str) -> dict[str, Any]:
    return props(
        kb,
        "MATCH (n:Actor {id: $id}) OPTIONAL MATCH (n)-[:IN_TERRITORY]->(t) "
        "RETURN n {.*, linked_territory: t.id} AS p",
        id=ident,
    )


def add(env: dict[str, str], *args: str) -> Any:
    return runner.invoke(app, ["add", *args], env=env)


def test_updating_a_tie_keeps_the_end_date_it_was_not_given(
    case: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    before = tie(case)
    result = add(
        cli_env,
        "tie",
        "--id",
        "t-012",
        "--source",
        "agence",
        "--target",
        "popote",
        "--type",
        "FUNDING",
        "--start",
        "2003",
        "--weight",
        "2",
    )
    assert result.exit_code == 0, result.output
    after = tie(case)
    assert after["end"] == "2015-03-31"
    assert after["end_last"] == before["end_last"]
    assert after["weight"] == 2.0
    assert after["amount"] == "61000" and after["evidence"] == ["ev-1"]
    assert "weight: (none) -> 2.0" in result.stderr
    assert "end" not in result.stderr  # only what changed is reported


def test_updating_a_person_keeps_sector_territory_and_extras(
    case: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    result = add(cli_env, "person", "--id", "p-dlavoie", "--name", "D. Lavoie", "-f", "json")
    assert result.exit_code == 0, result.output
    after = actor(case, "p-dlavoie")
    assert after["name"] == "D. Lavoie"
    assert (after["sector"], after["territory"], after["linked_territory"]) == (
        "community",
        "rls",
        "rls",
    )
    assert after["role"] == "director"
    data = json.loads(result.stdout)
    assert data["outcome"] == "updated"
    assert data["changes"] == [{"field": "name", "old": "Daniel Lavoie", "new": "D. Lavoie"}]


def test_an_update_may_leave_out_required_columns(
    case: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    result = add(cli_env, "person", "--id", "p-dlavoie", "--territory", "rls2")
    assert result.exit_code == 0, result.output
    after = actor(case, "p-dlavoie")
    assert (after["name"], after["linked_territory"]) == ("Daniel Lavoie", "rls2")
    assert "territory: rls -> rls2" in result.stderr


def test_a_new_record_still_needs_its_required_columns(
    case: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    result = add(cli_env, "person", "--id", "p-new", "--sector", "public")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "name" in result.stderr
    assert not case.driver.execute_query("MATCH (n {id: 'p-new'}) RETURN n").records


@pytest.mark.parametrize(
    ("prop", "says"),
    [
        ("id=p-dlavoie", "column of actors"),
        ("name=Y", "give it with --name"),
        ("ID=p-dlavoie", "column of actors"),
        ("kb_state=x", "reserves"),
        ("labels=x", "reserves"),
        ("element_id=x", "reserves"),
        ("bad name=x", "property name"),
    ],
)
def test_reserved_prop_names_are_refused_and_nothing_is_written(
    case: KnowledgeBase, cli_env: dict[str, str], prop: str, says: str
) -> None:
    before = actor(case, "p-dlavoie")
    result = add(cli_env, "person", "--id", "zz", "--name", "X", "--prop", prop)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert int(ExitCode.INVALID_INPUT) == 5
    assert says in result.stderr
    assert actor(case, "p-dlavoie") == before
    assert not case.driver.execute_query("MATCH (n {id: 'zz'}) RETURN n").records


def test_prop_on_a_tie_cannot_take_a_date_property(
    case: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    result = add(cli_env, "tie", "--id", "t-012", "--prop", "end_last=2099-01-01")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert tie(case)["end"] == "2015-03-31"


def test_clear_removes_a_field_and_its_date_properties(
    case: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    result = add(cli_env, "tie", "--id", "t-012", "--clear", "end", "--clear", "amount")
    assert result.exit_code == 0, result.output
    after = tie(case)
    assert not {"end", "end_first", "end_last", "end_precision", "amount"} & set(after)
    assert after["start"] == "2003" and after["evidence"] == ["ev-1"]
    assert "end: 2015-03-31 -> (none)" in result.stderr


@pytest.mark.parametrize(
    ("field", "says"),
    [
        ("colour", "not a field"),
        ("source", "cannot be cleared"),
        ("type", "required"),
        ("evidence", "only ever added"),
    ],
)
def test_clear_refuses_what_cannot_be_cleared(
    case: KnowledgeBase, cli_env: dict[str, str], field: str, says: str
) -> None:
    before = tie(case)
    result = add(cli_env, "tie", "--id", "t-012", "--clear", field)
    if field == "colour":  # an unknown extra property is a name it could have: no-op
        assert result.exit_code == 0, result.output
        assert tie(case) == before
        return
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert says in result.stderr
    assert tie(case) == before


def test_replace_overwrites_the_whole_record_but_keeps_evidence(
    case: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    result = add(
        cli_env,
        "tie",
        "--id",
        "t-012",
        "--source",
        "agence",
        "--target",
        "popote",
        "--type",
        "FUNDING",
        "--start",
        "2004",
        "--replace",
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.output
    after = tie(case)
    assert after["start"] == "2004"
    assert not {"end", "end_last", "amount"} & set(after)
    assert after["evidence"] == ["ev-1"]
    changed = {c["field"] for c in json.loads(result.stdout)["changes"]}
    assert changed == {"start", "end", "amount"}


def test_evidence_given_to_an_update_is_added(case: KnowledgeBase, cli_env: dict[str, str]) -> None:
    result = add(cli_env, "tie", "--id", "t-012", "--evidence", "ev-2")
    assert result.exit_code == 0, result.output
    assert tie(case)["evidence"] == ["ev-1", "ev-2"]
    assert "evidence: ev-1 -> ev-1;ev-2" in result.stderr


def test_an_unchanged_update_writes_nothing_and_says_so(
    case: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    result = add(cli_env, "person", "--id", "p-dlavoie", "--sector", "community", "-f", "json")
    data = json.loads(result.stdout)
    assert (data["outcome"], data["changes"]) == ("unchanged", [])


def test_ids_starting_with_a_dash(case: KnowledgeBase, cli_env: dict[str, str]) -> None:
    for args in (["--id=-x", "--name", "Dash"], ["--id", "-y", "--name", "Dash 2"]):
        result = add(cli_env, "person", *args)
        assert result.exit_code == 0, result.output
    assert actor(case, "-x")["name"] == "Dash"
    assert actor(case, "-y")["name"] == "Dash 2"
    refused = runner.invoke(app, ["timeline", "-x"], env=cli_env)
    assert refused.exit_code == ExitCode.USAGE
    shown = runner.invoke(app, ["timeline", "--", "-x"], env=cli_env)
    assert shown.exit_code == 0, shown.output
    assert "Dash (-x)" in shown.output
