"""kb's paste-able Browser text, pasted into the real Neo4j Browser 5 in headless Chromium.

Each test loads a tiny case, pastes the text a user copies from kb exactly as a user does
(first the ``:param`` part, then the query, two runs), and compares the rows the Browser shows
with the rows the same query returns through kb. The other tests pin down the Browser behaviour
the format is chosen for (tests/handoff/browser/FINDINGS.md).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from neo4j.time import Date
from typer.testing import CliRunner

from kb import queries
from kb.cli import app
from kb.graph import KnowledgeBase
from kb.imports import Dataset
from tests.handoff.browser.browser import BrowserSession, Frame
from tests.support import DatabaseState, Neo4jUnderTest, fills_database

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

# Four people; the direct way from a to d (a-b, b->d) opens in 2017, so in 2016 the shortest
# path goes round by c. The a-b tie has two pieces of evidence.
ACTORS: list[dict[str, Any]] = [
    {"id": x, "name": f"Person {x.upper()}", "sector": "community"} for x in "abcd"
]
TIES: list[dict[str, Any]] = [
    {
        "id": "t-ab",
        "source": "a",
        "target": "b",
        "type": "collaboration",
        "directed": "no",
        "start": "2015-06-17",
        "weight": 2,
        "evidence": "ev-1;ev-2",
    },
    {
        "id": "t-bd",
        "source": "b",
        "target": "d",
        "type": "representation",
        "directed": "yes",
        "start": "2017-02-22",
    },
    {
        "id": "t-bc",
        "source": "b",
        "target": "c",
        "type": "collaboration",
        "directed": "no",
        "start": "2015-09",
    },
    {
        "id": "t-cd",
        "source": "c",
        "target": "d",
        "type": "conflict",
        "directed": "yes",
        "start": "2016-09",
        "end": "2017-11",
    },
]
EVIDENCE: list[dict[str, Any]] = [
    {
        "id": "ev-1",
        "kind": "observation",
        "date": "2015-06-17",
        "coder": "MT",
        "quote": "Louise et Kadiatou conviennent de préparer l'activité.",
        "location": "¶3",
    },
    {
        "id": "ev-2",
        "kind": "interview",
        "date": "2016-05",
        "coder": "AB",
        "quote": "On se parle chaque semaine.",
        "location": "int-03 12:40",
    },
]


def browser_text(name: str, assignments: list[str]) -> str:
    """What ``kb query show NAME --browser -p ...`` prints: kb's own output."""
    args = ["query", "show", name, "--browser"]
    for assignment in assignments:
        args += ["-p", assignment]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def user_runs(text: str) -> list[str]:
    """The parts a user pastes and runs one after the other: up to the first blank line, rest."""
    head, blank, rest = text.strip("\n").partition("\n\n")
    return [head, rest] if blank else [head]


def plain(value: Any) -> Any:
    """A driver value as the Browser's table shows it once read as JSON (dates as text)."""
    if isinstance(value, Date | dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def shown_records(frame: Frame) -> list[dict[str, Any]]:
    """The Browser's table cells read back as JSON (strings are shown JSON-quoted)."""
    return [{k: json.loads(cell) for k, cell in row.items()} for row in frame.records()]


@pytest.fixture(scope="module")
def session(neo4j_server: Neo4jUnderTest) -> Iterator[BrowserSession]:
    if neo4j_server.http_url is None:
        pytest.fail("Neo4j Browser's address is unknown: set NEO4J_HTTP_URL with NEO4J_URI")
    s = neo4j_server.settings
    bolt = urlsplit(s.uri)
    # The Browser speaks Bolt directly; a routing neo4j:// address works for it too.
    with BrowserSession(
        neo4j_server.http_url,
        f"{bolt.scheme}://{bolt.netloc}",
        s.user,
        s.password or "",
        database=s.database,
        timeout=60,
    ) as browser:
        yield browser


@pytest.fixture
@fills_database
def case(kb: KnowledgeBase, database_state: DatabaseState) -> KnowledgeBase:
    tiny = Dataset.from_records({"actors": ACTORS, "ties": TIES, "evidence": EVIDENCE}, "tiny")
    database_state.hold(kb, f"{__name__}.tiny", lambda: kb.import_data(tiny))
    return kb


def paste_each_part(session: BrowserSession, text: str) -> Frame:
    """Run each part as a user does; every part shows one frame without error. The last one."""
    frames: list[Frame] = []
    for part in user_runs(text):
        frames = session.run(part)
        assert len(frames) == 1 and not frames[0].error, "\n".join(f.describe() for f in frames)
    return frames[0]


@pytest.mark.parametrize(
    ("assignments", "hops"),
    [
        (["from=a", "to=d", "max_hops=6"], 2),
        # Dates reach the query as DATEs: in 2016 the b->d tie does not exist yet.
        (["from=a", "to=d", "max_hops=6", "at_first=2016-01-01", "at_last=2016-12-31"], 3),
    ],
)
def test_shortest_paths_show_their_rows(
    session: BrowserSession, case: KnowledgeBase, assignments: list[str], hops: int
) -> None:
    text = browser_text("paths/shortest", assignments)
    frame = paste_each_part(session, text)
    assert frame.kind == "cypher"
    assert frame.columns == ("hops", "actors", "names", "ties")
    expected = case.read(
        "paths/shortest",
        **queries.parse_assignments(queries.get("paths/shortest"), assignments),
    )
    assert shown_records(frame) == plain(expected)
    assert [row["hops"] for row in shown_records(frame)] == [hops]


def test_evidence_of_a_tie_shows_its_rows(session: BrowserSession, case: KnowledgeBase) -> None:
    assignments = ["a=b", "b=a"]
    frame = paste_each_part(session, browser_text("evidence/why", assignments))
    expected = case.read(
        "evidence/why", **queries.parse_assignments(queries.get("evidence/why"), assignments)
    )
    shown = shown_records(frame)
    assert shown == plain(expected)
    assert [e["id"] for e in shown[0]["evidence"]] == ["ev-1", "ev-2"]
    assert frame.message.startswith("Started streaming 1 records")


def test_the_parameter_part_shows_each_value_with_its_type(session: BrowserSession) -> None:
    text = browser_text(
        "paths/shortest",
        ["from=a", "to=d", "max_hops=6", "types=ADVICE,FUNDING", "at_first=2016-01-01"],
    )
    assert session.run(user_runs(text)[0])[0].text.startswith("{")
    [frame] = session.run(
        "RETURN valueType($from) AS f, valueType($max_hops) AS m, valueType($types) AS t,"
        " valueType($at_first) AS a, $at_last IS NULL AS unset"
    )
    assert frame.rows == (
        (
            '"STRING NOT NULL"',
            '"INTEGER NOT NULL"',
            '"LIST<STRING NOT NULL> NOT NULL"',
            '"DATE NOT NULL"',
            "true",
        ),
    )


# -- the Browser behaviour the format is chosen for ----------------------------------------------


def test_a_block_of_param_lines_and_the_query_runs_as_a_script_without_rows(
    session: BrowserSession, case: KnowledgeBase
) -> None:
    # What kb printed before: `:param name => value;` lines, then the query.
    text = (
        ':param from => "a";\n:param to => "d";\n:param types => null;\n'
        ":param at_first => null;\n:param at_last => null;\n:param max_hops => 6;\n"
        ":param min_evidence => 0;\n:param triangulated => false;\n\n"
        + queries.get("paths/shortest").body
    )
    [frame] = session.run(text)
    assert frame.kind == "script" and not frame.error
    assert [s.status for s in frame.statements] == ["success"] * 9
    # The query found its path, and the Browser shows only that it completed.
    assert frame.statements[-1].summary.startswith("SUCCESS\nCompleted after")
    assert frame.rows == ()


def test_pasting_both_parts_at_once_is_refused(
    session: BrowserSession, case: KnowledgeBase
) -> None:
    [frame] = session.run(browser_text("evidence/why", ["a=a", "b=b"]))
    assert frame.error and "Syntax Error" in frame.text


def test_params_maps_turn_numbers_to_floats_and_dates_to_strings(
    session: BrowserSession, case: KnowledgeBase
) -> None:
    session.run(
        ':params {from: "a", to: "d", types: null, at_first: "2016-01-01",'
        ' at_last: "2016-12-31", max_hops: 6, min_evidence: 0, triangulated: false,'
        " coders: null}"
    )
    [frame] = session.run("RETURN valueType($max_hops) AS m, valueType($at_first) AS a")
    assert frame.rows == (('"FLOAT NOT NULL"', '"STRING NOT NULL"'),)
    # A date as a string compares as null with the ties' dates: no row and no error.
    [frame] = session.run(queries.get("paths/shortest").body)
    assert not frame.error and frame.rows == ()
    assert "(no changes, no records)" in frame.message
