"""Helpers shared by the test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from kb import queries
from kb.graph import KnowledgeBase
from kb.settings import Settings
from kb.store import Reader

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "quebec-wg"

F = TypeVar("F")
# The fixtures that fill the test database (through `DatabaseState.hold` in conftest.py):
# fixture name -> the modules that define it so. A test that asks for one gets the
# database that fixture makes, without the `kb` fixture emptying it first.
FILLERS: dict[str, set[str]] = {}


def fills_database(fixture: F) -> F:
    """Mark a fixture (under ``@pytest.fixture``) as one that brings the database to a state
    of its own with ``database_state.hold(...)``."""
    FILLERS.setdefault(fixture.__name__, set()).add(fixture.__module__)  # type: ignore[attr-defined]
    return fixture


@dataclass
class Neo4jUnderTest:
    """The server the tests run against."""

    settings: Settings
    http_url: str | None  # where the Browser is served, when known


class DatabaseState:
    """What the test database holds between tests, so that a test finds it ready.

    Emptying the database and importing the example take seconds per test, and most tests
    only read. So the state a fixture made (``"empty"``, ``"example"``, ...) is remembered
    with the database's bookmark (`KnowledgeBase.state`: Neo4j's last committed
    transaction); the next test that wants the same state gets it as it is when no write was
    committed since, from anywhere (kb in or out of process, a test's own driver, a fixture
    of another module). Any write, even a failed test's half of one, means a fresh reset.
    """

    def __init__(self) -> None:
        self.name: str | None = None
        self.bookmark: str | None = None

    def hold(self, base: KnowledgeBase, name: str, fill: Callable[[], object]) -> None:
        """Make the database hold ``name`` (``fill`` writes it into an empty database),
        unless it holds it already, untouched."""
        if self.name == name and self.bookmark is not None and base.state() == self.bookmark:
            base.ensure_schema()
            return
        self.name = None  # until filled: a failing ``fill`` leaves no claim behind
        base.reset()
        base.ensure_schema()
        fill()
        self.name, self.bookmark = name, base.state()


def write_csv_folder(folder: Path, tables: dict[str, list[dict[str, Any]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        columns = list(dict.fromkeys(k for row in rows for k in row))
        with open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, columns)
            writer.writeheader()
            writer.writerows(rows)
    return folder


def snapshot(kb: KnowledgeBase) -> list[Any]:
    """Everything in the database, in a comparable form."""
    records, _, _ = kb.driver.execute_query(
        "MATCH (n) WHERE NOT n:KbMeta "
        "OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN n.id AS n, labels(n) AS labels, properties(n) AS props, type(r) AS rel, "
        "properties(r) AS rprops, m.id AS m ORDER BY n, rel, m, r.id"
    )
    return [json.dumps(r.data(), sort_keys=True, default=str) for r in records]


def declared_rows(db: Reader, name: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of the read query ``name`` as a list, run in the form its header's ``rows:``
    declares (for tests that treat every query alike)."""
    form = queries.get(name).rows
    if form == "one":
        return [db.read_one(name, **params)]
    if form == "optional":
        row = db.read_optional(name, **params)
        return [] if row is None else [row]
    return db.read(name, **params)


def run_json(env: dict[str, str], *args: str) -> Any:
    """``kb ARGS --format json`` through Typer's runner: its exit code checked, its data."""
    from typer.testing import CliRunner

    from kb.cli import app

    result = CliRunner().invoke(app, [*args, "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    from kb.provenance import json_result

    return json_result(json.loads(result.stdout))


def check_no_defect(args: Any, result: Any) -> None:
    """Fail when a ``kb`` run through Typer's runner ended in a defect: a Python exception
    that escaped (a traceback), or kb's defect exit code 70 (the CLI boundary caught one).

    Every CLI test's runner goes through this (`tests/conftest.py` wraps
    ``CliRunner.invoke``); runs with ``--debug`` re-raise on purpose and pass through.
    Expected failures (a KBError's exit code, Typer's usage error 2, ``typer.Exit``) pass.
    """
    from kb.errors import ExitCode

    words = [str(a) for a in (args or [])] if not isinstance(args, str) else args.split()
    if "--debug" in words:
        return
    escaped = result.exception
    if escaped is not None and not isinstance(escaped, SystemExit):
        raise AssertionError(
            f"kb {' '.join(words)[:300]} raised {type(escaped).__name__}: {escaped}"
        ) from escaped
    output = (result.stdout or "") + (getattr(result, "stderr", "") or "")
    if result.exit_code == ExitCode.DEFECT or "Traceback (most recent call last)" in output:
        raise AssertionError(f"kb {' '.join(words)[:300]} ended in a defect:\n{output[-2000:]}")
