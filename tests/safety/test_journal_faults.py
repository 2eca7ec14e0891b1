"""kill -9 during a journaled import (issue 20): the journal and the data agree afterwards.

Each batch writes its records and its journal chunk in one transaction, so a killed import
leaves exactly the committed batches, each journaled: the ids the journal says were written
are the ids in the database."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kb import journal
from kb.graph import KnowledgeBase
from tests.safety.helpers import run_kb, write_large_case
from tests.safety.test_faults import kill_after, moments

pytestmark = [pytest.mark.neo4j, pytest.mark.fault]


def journaled_ids(kb: KnowledgeBase, after: int) -> set[str]:
    rows = kb.driver.execute_query(
        "MATCH (c:KbJournalChunk) WHERE c.seq > $after UNWIND c.ids AS id RETURN id",
        {"after": after},
        database_=kb.database,
    ).records
    return {row["id"] for row in rows}


def stored_ids(kb: KnowledgeBase) -> set[str]:
    rows = kb.driver.execute_query(
        "CALL () { MATCH (a:Actor) RETURN a.id AS id UNION ALL "
        "MATCH ()-[t:TIE]->() RETURN t.id AS id } RETURN id",
        database_=kb.database,
    ).records
    return {row["id"] for row in rows}


def test_a_killed_journaled_import_leaves_journal_and_data_agreeing(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    case = write_large_case(tmp_path / "large", actors=1500, ties=20_000)
    started = time.monotonic()
    done = run_kb(["import", str(case)], cli_env, timeout=600)
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    for moment in moments("journaled-import", took):
        kb.reset()
        before = journal.head(kb).data_version
        killed = kill_after(["import", str(case)], cli_env, moment)
        assert journaled_ids(kb, before) == stored_ids(kb), f"killed={killed} at {moment} s"
        journal.check(kb)  # no entry missing, the head at the last one
