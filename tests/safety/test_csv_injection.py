"""`kb export csv` never writes a cell a spreadsheet would evaluate, and `kb import` of that
export gives back exactly the same graph (the escape is undone)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from kb.exports.files import FORMULA_STARTS
from kb.exports.tables import write_csv
from kb.graph import KnowledgeBase
from kb.imports import Dataset
from tests.safety.payloads import PAYLOADS

pytestmark = pytest.mark.neo4j


def payload_case() -> dict[str, list[dict[str, Any]]]:
    """Every payload in every kind of text field: names, ids, quotes, extras, types."""
    actors = [
        {"id": f"p{i}", "name": text, "sector": text, "remark": text}
        for i, text in enumerate(PAYLOADS)
    ]
    actors.append({"id": "-p-dash", "name": "Dash"})
    actors.append({"id": "=p-formula", "name": "Formula id"})
    evidence = [
        {"id": f"e{i}", "kind": "interview", "quote": text, "location": text, "coder": text}
        for i, text in enumerate(PAYLOADS)
    ]
    ties = [
        {
            "source": f"p{i}",
            "target": "-p-dash",
            "type": "INFO",
            "start": "2016",
            "evidence": f"e{i}",
            "note": text,
        }
        for i, text in enumerate(PAYLOADS)
    ]
    ties.append({"source": "=p-formula", "target": "-p-dash", "type": "INFO"})
    return {
        "organizations": [{"id": "o1", "name": "=SUM(1;1)", "kind": "+kind", "sector": "-x"}],
        "actors": actors,
        "evidence": evidence,
        "problems": [{"id": f"pb{i}", "statement": t} for i, t in enumerate(PAYLOADS)],
        "ties": ties,
    }


def graph_of(driver: Driver) -> list[Any]:
    """Every node and relationship with every property, in a comparable order."""
    nodes = driver.execute_query(
        "MATCH (n) WHERE NOT n:KbMeta RETURN labels(n) AS l, properties(n) AS p"
    ).records
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p"
    ).records
    return sorted(repr(sorted(r.data().items())) for r in [*nodes, *rels])


def cells(folder: Path) -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as stream:
            for number, row in enumerate(csv.reader(stream), start=1):
                found += [(path.name, number, value) for value in row]
    return found


def test_export_escapes_formulas_and_import_gives_back_the_same_graph(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    kb.import_data(Dataset.from_records(payload_case()))
    before = graph_of(kb.driver)
    write_csv(kb, tmp_path / "export")
    written = cells(tmp_path / "export")
    dangerous = [c for c in written if c[2].startswith(FORMULA_STARTS)]
    assert not dangerous, dangerous[:5]
    assert sum(1 for c in written if c[2].startswith("'")) >= 4 * len(PAYLOADS)
    kb.reset()
    kb.import_data(tmp_path / "export")
    assert graph_of(kb.driver) == before


def test_a_hand_written_apostrophe_is_data(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "actors.csv").write_text(
        "id,name\np1,'=escaped\np2,'plain\np3,l'autre\np4,''=twice\n", encoding="utf-8"
    )
    kb.import_data(folder)
    names: dict[str, str] = dict(
        kb.driver.execute_query("MATCH (n:Actor) RETURN n.id AS id, n.name AS name").records
    )
    assert names == {"p1": "=escaped", "p2": "'plain", "p3": "l'autre", "p4": "'=twice"}
