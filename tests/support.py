"""Helpers shared by the test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb import queries
from kb.graph import KnowledgeBase
from kb.settings import Settings
from kb.store import Reader

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "quebec-wg"


@dataclass
class Neo4jUnderTest:
    """The server the tests run against."""

    settings: Settings
    http_url: str | None  # where the Browser is served, when known


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
    return json.loads(result.stdout)


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
