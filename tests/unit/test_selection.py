"""`Selection`, the one tie selection: built and checked once, the same parameters as its
Cypher fragment, and the CLI's one option bundle (no server needed)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from kb import queries
from kb.analyses.selection import ALL_TIES, TRIANGULATED, Coverage, Selection
from kb.cli.selection import SELECTED, selection_options
from kb.errors import QueryParameterError, ValidationError
from kb.periods import Period


def test_build_parses_and_checks_the_command_line_values() -> None:
    chosen = Selection.build(types="collaboration, mutual aid", at="2016", min_evidence=2)
    assert chosen.types == ("COLLABORATION", "MUTUAL_AID")
    assert chosen.period == Period("2016", date(2016, 1, 1), date(2016, 12, 31))
    assert chosen.at == "2016" and chosen.period_parameter == "at"
    spanned = Selection.build(between=("2015", "2016-06"))
    assert spanned.period == Period("2015..2016-06", date(2015, 1, 1), date(2016, 6, 30))
    assert spanned.period_parameter == "between"
    assert Selection.build() == ALL_TIES and Selection() == ALL_TIES
    assert Selection.build(types=["info", "INFO"]).types == ("INFO",)  # normalised, once each


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"at": "2016", "between": ("2015", "2016")}, "Give at or between, not both."),
        ({"at": "2016-13"}, "at='2016-13'"),
        ({"between": ("2017", "2015")}, "between 2017 2015: the end is before the start."),
        ({"types": "collab!"}, "types 'collab!' is not a tie type"),
        ({"types": " , "}, "types is empty"),
        ({"min_evidence": -1}, "min_evidence=-1: give 0 (every tie) or more"),
        ({"min_evidence": True}, "min_evidence=True: give a whole number."),
        ({"triangulated": "yes"}, "triangulated='yes': give true or false."),
    ],
)
def test_malformed_values_are_refused_in_the_parameters_words(
    values: dict[str, object], words: str
) -> None:
    with pytest.raises(ValidationError) as error:
        Selection.build(**values)  # type: ignore[arg-type]
    assert words in str(error.value)


def test_params_are_exactly_the_fragments_parameters() -> None:
    fragment = queries.fragment("selected")
    chosen = Selection.build(types="info", at="2016", min_evidence=1, triangulated=True)
    assert set(chosen.params()) == set(fragment.params)
    assert (
        chosen.params().items()
        >= {
            "types": ["INFO"],
            "at_first": date(2016, 1, 1),
            "at_last": date(2016, 12, 31),
            "min_evidence": 1,
            "triangulated": True,
        }.items()
    )
    assert ALL_TIES.params() == {n: fragment.params[n].default_value() for n in fragment.params}
    back = Selection.from_params(chosen.params())
    assert back.params() == chosen.params()
    # every field but the option naming the period travels as a parameter; known_at is
    # not a parameter: the reads run in the past state instead (kb.journal)
    assert {f.name for f in fields(Selection)} - {"period", "period_parameter", "known_at"} <= set(
        chosen.params()
    )


def test_keeps_is_type_period_and_evidence() -> None:
    chosen = Selection.build(types="info", at="2016", min_evidence=2)
    strong = Coverage(2, frozenset({"interview", "document"}))
    thin = Coverage(1, frozenset({"interview"}))
    info = {"type": "INFO", "start_first": date(2015, 1, 1)}
    assert chosen.keeps(info, strong)
    assert not chosen.keeps(info, thin)  # evidence
    assert not chosen.keeps({"type": "FUNDING"}, strong)  # type
    old = {"type": "INFO", "end_last": date(2015, 12, 31)}
    assert not chosen.keeps(old, strong)  # period
    assert TRIANGULATED.keeps({"type": "ANY"}, strong)
    assert not TRIANGULATED.keeps({"type": "ANY"}, thin)
    assert chosen.during(None).keeps(old, strong)


def test_it_describes_its_evidence_rule() -> None:
    assert ALL_TIES.describe() == "all ties" and ALL_TIES.words() == ""
    assert Selection(min_evidence=1).describe() == "ties with at least 1 evidence item"
    both = Selection(min_evidence=2, triangulated=True)
    assert both.words() == " (triangulated ties with at least 2 evidence items)"
    assert both.mentions() == "{min_evidence:_min_evidence} {triangulated}"
    assert both.evidence_params() == {"min_evidence": 2, "triangulated": True, "coders": None}
    coded = Selection(min_evidence=2, coders=("Julie Lavallée", "Bob"))
    assert coded.evidence_params()["coders"] == ["Julie Lavallée", "Bob"]
    assert coded.words() == " (ties with at least 2 evidence items coded by Julie Lavallée or Bob)"


def test_fragments_splice_with_the_queries_variable() -> None:
    text, added, came_with = queries.splice(
        "x/y", "// Doc.\n// mode: read\nMATCH ()-[r:TIE]->()\nWHERE @selected(r)"
    )
    assert "r.type IN $types" in text and "r.start_first" in text and "ev.id IN r.evidence" in text
    assert " t." not in text and "(t." not in text
    assert list(added) == list(queries.fragment("selected").params)
    known = ["types", "at_first", "at_last", "min_evidence", "triangulated"]
    assert [p for p in added if p in known] == known  # in the order the predicate reads them
    assert set(came_with.values()) == {"selected"}
    with pytest.raises(QueryParameterError, match="No fragment @nothing; the fragments are:"):
        queries.splice("x/y", "// Doc.\nMATCH (n) WHERE @nothing(n)")
    # a query's header does not repeat a fragment's parameters
    with pytest.raises(QueryParameterError, match="comes with a fragment"):
        queries.parse(
            "x/y",
            "// Doc.\n//\n// params:\n//   $types  list = null  types\n// returns: n\n"
            "// mode: read\nMATCH ()-[t:TIE]->() WHERE @selected(t) RETURN t",
        )


def test_a_spliced_predicate_stands_under_the_line_that_uses_it() -> None:
    text, _, _ = queries.splice(
        "x/y", "// mode: read\nMATCH ()-[r:TIE]->()\n    WHERE @selected(r)"
    )
    spliced = text.splitlines()[2:]
    assert len(spliced) > 3 and spliced[0].startswith("    WHERE (")
    assert all(line.startswith("      ") for line in spliced[1:]), spliced


def _app() -> tuple[typer.Typer, list[Selection]]:
    app = typer.Typer()
    got: list[Selection] = []

    @app.command()
    @selection_options(between=True)
    def show(
        name: str = typer.Argument("x"),
        selection: Selection = SELECTED,
        top: int = typer.Option(5, "--top"),
    ) -> None:
        got.append(selection)
        typer.echo(f"{name} {top}")

    @app.command()
    @selection_options(at=False, evidence=False)
    def other(selection: Selection = SELECTED) -> None:
        got.append(selection)

    return app, got


def test_the_option_bundle_builds_one_selection() -> None:
    app, got = _app()
    runner = CliRunner()
    done = runner.invoke(
        app,
        [
            "show",
            "n",
            "--types",
            "info",
            "--between",
            "2015",
            "2016",
            "--triangulated",
            "--top",
            "2",
        ],
    )
    assert done.exit_code == 0, done.output
    assert done.output == "n 2\n"
    assert got[-1] == Selection.build(types="info", between=("2015", "2016"), triangulated=True)
    helped = runner.invoke(app, ["show", "--help"])
    for option in ("--types", "--at", "--between", "--min-evidence", "--triangulated", "--top"):
        assert option in helped.output
    # kb's own commands refuse a malformed selection before connecting (no server here)
    from kb.cli import app as kb_app

    refused = runner.invoke(kb_app, ["brokerage", "--min-evidence", "-2"])
    assert refused.exit_code == 5
    assert "--min-evidence -2: give 0 (every tie) or more" in refused.output
    partial = runner.invoke(app, ["other", "--help"])
    assert "--types" in partial.output
    assert "--at" not in partial.output and "--min-evidence" not in partial.output
    assert runner.invoke(app, ["other", "--at", "2016"]).exit_code == 2  # not an option there
