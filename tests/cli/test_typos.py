"""An ordinary mistake in a name is an error that lists what exists, never a silent answer.

Every option that names data (a property, a tie type, a group, a stage, a reform, a date)
is tried with a typo on the example case: exit 5, the value named, the closest suggested,
nothing on stdout. The library raises the same ValidationError, a ValueError.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli import ExitCode, app
from kb.errors import EmptyCaseError, ValidationError
from kb.graph import KnowledgeBase

pytestmark = pytest.mark.neo4j
runner = CliRunner()

TYPOS = [
    (["brokerage", "--group-by", "Sector"], "'Sector'", "sector"),
    (["evolution", "--group-by", "nosuch"], "'nosuch'", None),
    (["consensus", "--group-by", "sectr"], "'sectr'", "sector"),
    (["centrality", "--weight", "wieght"], "'wieght'", "weight"),
    (["centrality", "--types", "COLABORATION"], "'COLABORATION'", "COLLABORATION"),
    (["brokerage", "--at", "1990"], "--at 1990", None),
    (["evolution", "--types", "FUNDNG"], "'FUNDNG'", "FUNDING"),
    (["legitimacy", "--from", "comunity", "--to", "public"], "'comunity'", "community"),
    (["legitimacy", "--from", "community", "--to", "publik"], "'publik'", "public"),
    (
        [
            "legitimacy",
            "--from",
            "community",
            "--to",
            "public",
            "--source",
            "p-kdiallo",
            "--at",
            "2040",
        ],
        "--at 2040",
        None,
    ),
    (["paths", "p-kdiallo", "ciusss-cn", "--types", "ADVISE"], "'ADVISE'", "ADVICE"),
    (["paths", "p-kdiallo", "ciusss-cn", "--between", "1980", "1990"], "1980..1990", None),
    (["why", "p-kdiallo", "p-lsimard", "--at", "2030"], "--at 2030", None),
    (["reforms", "broken-ties", "--reform", "bill10"], "'bill10'", "bill-10"),
    (["reforms", "broken-ties", "--reform", "bill-10", "--types", "INFO"], "'INFO'", None),
    (["reforms", "brokerage-change", "--reform", "bill-10", "--before", "1999"], "1999", None),
    (["export", "gexf", "-", "--types", "CONFLIT"], "'CONFLIT'", "CONFLICT"),
    (["export", "graphml", "-", "--at", "1950"], "--at 1950", None),
    (["plot", "network", "--group-by", "nosuch", "--out", "x.png"], "'nosuch'", None),
    (
        ["plot", "network", "--stage", "mobilisation", "--out", "x.png"],
        "'mobilisation'",
        "mobilization",
    ),
    (["plot", "evolution", "--group-by", "Sector", "--out", "x.png"], "'Sector'", "sector"),
    (["report", "--from", "comunity", "--out", "r.html"], "'comunity'", "community"),
    (["search", "fusion", "--coder", "KJ"], "'KJ'", None),
    (["evidence", "coverage", "--types", "ADVISE"], "'ADVISE'", "ADVICE"),
    (["view", "--types", "COLABORATION", "--out", "v.html"], "'COLABORATION'", "COLLABORATION"),
    (["evidence", "coverage", "--at", "1970"], "--at 1970", None),
]


@pytest.mark.parametrize(("args", "named", "suggested"), TYPOS, ids=lambda v: str(v))
def test_a_typo_is_exit_5_naming_it_and_what_exists(
    example: KnowledgeBase,
    cli_env: dict[str, str],
    args: list[str],
    named: str,
    suggested: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args, env={**cli_env, "COLUMNS": "200"})
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert named in result.stderr
    if suggested:
        assert f"Did you mean {suggested}?" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # no picture, report or export half-written


def test_an_unknown_actor_suggests_the_closest(example: KnowledgeBase) -> None:
    from kb.errors import NotFoundError

    with pytest.raises(NotFoundError, match="Did you mean p-kdiallo"):
        example.why("p-kdialo", "p-lsimard")


def test_the_library_raises_a_value_error_naming_the_value(example: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="'Sector'.*Did you mean sector"):
        example.brokerage(group_by="Sector")
    with pytest.raises(ValidationError, match="Known: citizen, community, private, public"):
        example.legitimacy(from_group="citizens", to_group="public")


def test_an_empty_case_is_not_a_typo(kb: KnowledgeBase) -> None:
    # Not a typo of --group-by: the database is empty, and kb says so (issue 17 §4).
    with pytest.raises(EmptyCaseError, match="kb import"):
        kb.brokerage(group_by="sector")
