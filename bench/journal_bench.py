"""Journal benchmark (issue 20 §5): what the research record costs.

* ``import``   -- the same synthetic import (bench/import_bench.py's generator) into an empty
  database with the journal and without it (`kb.journal.no_journal`, a benchmark-only
  switch, never a CLI option), alternating, in the same run: the ratio (target <= 1.25);
* ``known-at`` -- ``kb centrality`` on the example case as it stands and ``--known-at`` a
  data version before a few later changes (target <= 2x);
* ``changes``  -- ``kb changes --id`` with a journal of N entries (target < 100 ms).

**It empties the database it is pointed at**, journal included; it refuses a non-empty one
unless given ``--yes``. Never part of the test suite. See bench/README.md.

Usage::

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... python bench/journal_bench.py \\
        [--ties 100000] [--entries 100000] [--repeat 2] [--yes] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_bench  # noqa: E402  (bench/ is not a package)

from kb import journal  # noqa: E402
from kb.analyses.selection import Selection  # noqa: E402
from kb.graph import KnowledgeBase, connect  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "quebec-wg"
TARGET_IMPORT_RATIO = 1.25
TARGET_KNOWN_AT_RATIO = 2.0
TARGET_CHANGES_MS = 100.0


def autocommit(base: KnowledgeBase, query: str, **params: Any) -> None:
    """Run ``query`` in an implicit transaction (CALL ... IN TRANSACTIONS needs one)."""
    with base.driver.session(database=base.database) as session:
        session.run(query, params).consume()


def wipe(base: KnowledgeBase) -> None:
    """Empty the case and the journal (a benchmark starts from nothing)."""
    base.reset()
    autocommit(
        base,
        "MATCH (n:KbMeta) WHERE n.key = 'journal' OR n:KbJournal OR n:KbJournalChunk "
        "OR n:KbJournalTouch CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
    )


def timed_import(base: KnowledgeBase, folder: Path, *, journaled: bool) -> float:
    wipe(base)
    started = time.perf_counter()
    if journaled:
        base.import_data(folder)
    else:
        with journal.no_journal(base):
            base.import_data(folder)
    return time.perf_counter() - started


def bench_import(base: KnowledgeBase, ties: int, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as work:
        folder, _ = import_bench.ensure_data(Path(work), ties, import_bench.DEFAULT_SEED)
        timed_import(base, folder, journaled=True)  # warm-up: plans, page cache
        on, off = [], []
        for _ in range(repeat):
            off.append(timed_import(base, folder, journaled=False))
            on.append(timed_import(base, folder, journaled=True))
    ratio = statistics.median(on) / statistics.median(off)
    return {
        "ties": ties,
        "journal_s": on,
        "no_journal_s": off,
        "ratio": round(ratio, 3),
        "target": TARGET_IMPORT_RATIO,
        "met": ratio <= TARGET_IMPORT_RATIO,
    }


def bench_known_at(base: KnowledgeBase, repeat: int) -> dict[str, Any]:
    wipe(base)
    base.import_data(EXAMPLE)
    base.cache = None  # both runs compute (a cached result would compare nothing)
    version = journal.head(base).data_version
    for i in range(5):
        base.add("actors", {"id": f"p-bench{i}", "name": f"Bench {i}"})
        base.end_tie("t-001", on=f"{2016 + i}")
    now, then = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        base.centrality(selection=Selection())
        now.append(time.perf_counter() - started)
        started = time.perf_counter()
        base.centrality(selection=Selection(known_at=f"@{version}"))
        then.append(time.perf_counter() - started)
    ratio = statistics.median(then) / statistics.median(now)
    return {
        "now_s": now,
        "known_at_s": then,
        "ratio": round(ratio, 3),
        "target": TARGET_KNOWN_AT_RATIO,
        "met": ratio <= TARGET_KNOWN_AT_RATIO,
    }


def bench_changes(base: KnowledgeBase, entries: int, repeat: int) -> dict[str, Any]:
    wipe(base)
    base.ensure_schema()
    # Entries of one small change each, written directly (what kb add writes, at speed).
    autocommit(
        base,
        "UNWIND range(1, $n) AS seq "
        "CALL (seq) { "
        "CREATE (:KbMeta:KbJournal {key: 'journal:' + seq, seq: seq, at: '2026-01-01T00:00:00Z', "
        "analyst: 'bench', command: 'kb add actors', why: '', prev: '', hash: ''}) "
        "CREATE (:KbMeta:KbJournalChunk {key: 'journal:' + seq + ':000000001', seq: seq, "
        "query: 'import/actors', changes: '[]', ids: ['p' + (seq % 5000)], count: 1, "
        "created: false, images: '[]'}) "
        "CREATE (:KbMeta:KbJournalTouch {key: 'touch:p' + (seq % 5000) + ':journal:' + seq, "
        "id: 'p' + (seq % 5000), seq: seq}) } IN TRANSACTIONS OF 10000 ROWS",
        n=entries,
    )
    base.driver.execute_query(
        "MERGE (j:KbMeta {key: 'journal'}) SET j.seq = $n, j.fingerprint = ''",
        {"n": entries},
        database_=base.database,
    )
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        found = journal.changes(base, record="p42")
        times.append((time.perf_counter() - started) * 1000)
    assert len(found) == entries // 5000 + (1 if entries % 5000 >= 42 else 0)
    best = min(times)
    wipe(base)
    return {
        "entries": entries,
        "ms": [round(t, 1) for t in times],
        "target_ms": TARGET_CHANGES_MS,
        "met": best < TARGET_CHANGES_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ties", type=int, default=100_000, help="ties in the import (0: skip it)")
    parser.add_argument("--entries", type=int, default=100_000, help="journal entries")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--yes", action="store_true", help="empty a non-empty database")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with connect() as base:
        if int(base.read_one("meta/counts")["nodes"]) and not args.yes:
            raise SystemExit("The database holds a case; give --yes to let the bench empty it.")
        results = {
            "load_average": import_bench.load_average(),
            "import": bench_import(base, args.ties, args.repeat) if args.ties else None,
            "known_at": bench_known_at(base, max(args.repeat, 3)),
            "changes": bench_changes(base, args.entries, max(args.repeat, 3)),
        }
    print(json.dumps(results, indent=2) if args.json else results)


if __name__ == "__main__":
    main()
