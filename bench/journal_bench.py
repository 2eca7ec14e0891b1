"""Journal benchmark (issue 20 §5): what the research record costs, as ratios to a baseline
measured in the same run (the machine is shared: runs alternate, medians are compared).

* ``import``   -- per size (``--ties 100000,1000000``), rounds of two imports from an empty
  database, each in a fresh process: the generated case (bench/import_bench.py's generator;
  every row new), then the same case with one tie in ten changed (every batch asks which
  rows exist; the changed ones are updated, with their before-images kept). Each round runs
  once with the journal and once without it (`kb.journal.no_journal`, a benchmark-only
  switch, never a CLI option), the order alternating. Ratio of the medians: target <= 1.25.
  The peak RSS of each importing process is reported.
* ``known-at`` -- ``centrality`` on the example case as it stands and ``--known-at`` a data
  version before later changes: in-process (the library call, result cache off) and as the
  ``kb centrality`` command (fresh processes, result cache empty), alternating (target <= 2x).
* ``changes``  -- ``kb changes --id`` with a journal of ``--entries`` small entries plus
  ``--bulk-ids`` ids in bulk chunks (what a 1 M-tie import writes): COLD (a fresh process
  after the server's query caches are cleared, connection opened by a trivial query first)
  and warm (the same process again); and ``kb changes --id`` as a command against
  ``kb status`` (start-up included in both; target < 100 ms for the look-up).

**It empties the database it is pointed at**, journal included; it refuses a non-empty one
unless given ``--yes``. Never part of the test suite. See bench/README.md.

Usage::

    NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... python bench/journal_bench.py \\
        [--ties 100000[,1000000]] [--entries 100000] [--repeat 2] [--yes] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_bench  # noqa: E402  (bench/ is not a package)

import kb  # noqa: E402
from kb import journal  # noqa: E402
from kb.analyses.selection import Selection  # noqa: E402
from kb.graph import KnowledgeBase  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "quebec-wg"
TARGET_IMPORT_RATIO = 1.25
TARGET_KNOWN_AT_RATIO = 2.0
TARGET_CHANGES_MS = 100.0
UPDATE_EVERY = 10  # one tie in ten changes between the two imports of a round
LOOKED_UP = "p42"  # the record `kb changes --id` looks up (in small and in bulk chunks)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def autocommit(base: KnowledgeBase, query: str, **params: Any) -> None:
    """Run ``query`` in an implicit transaction (CALL ... IN TRANSACTIONS needs one)."""
    with base.driver.session(database=base.database) as session:
        session.run(query, params).consume()


def wipe(base: KnowledgeBase) -> None:
    """Empty the case and the journal (a benchmark starts from nothing), in batches that
    fit the server's transaction memory at 1 M ties."""
    autocommit(base, "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS")
    autocommit(base, "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS")
    base.init_schema()


# -- child processes (one measured run each: its own peak RSS, its own query plans) ---------
def child_import(args: argparse.Namespace) -> dict[str, Any]:
    with kb.connect(import_bench.connect_settings(args)) as base:
        started, cpu = time.perf_counter(), import_bench.cpu_seconds()
        if args.journal == "on":
            report = base.import_data(args.data)
        else:
            with journal.no_journal(base):
                report = base.import_data(args.data)
        seconds = time.perf_counter() - started
        cpu = import_bench.cpu_seconds() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "outcomes": report.outcomes}


def child_changes(args: argparse.Namespace) -> dict[str, Any]:
    with kb.connect(import_bench.connect_settings(args)) as base:
        # The connection is opened and the server answers once before the clock starts:
        # what is timed is kb's look-up, not the driver's start-up.
        started = time.perf_counter()
        base.driver.execute_query("RETURN 1", database_=base.database)
        connect_ms = (time.perf_counter() - started) * 1000
        # The same-run baseline: kb's cheapest read (the journal's head, one node by its
        # key), first planned here too, then warm, alternating with the look-up.
        baseline, times = [], []
        for _ in range(args.repeat + 1):
            started = time.perf_counter()
            journal.head(base)
            baseline.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            found = journal.changes(base, record=args.id)
            times.append((time.perf_counter() - started) * 1000)
    return {
        "connect_ms": connect_ms,
        "cold_ms": times[0],
        "baseline_cold_ms": baseline[0],
        "baseline_warm_ms": baseline[1:],
        "warm_ms": times[1:],
        "found": len(found),
    }


CHILDREN = {"import": child_import, "changes": child_changes}


def spawn(args: argparse.Namespace, settings: kb.Settings, phase: str, *extra: str) -> Any:
    """Run one measured phase in a fresh interpreter; what it printed."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", phase, *extra]
    command += ["--uri", settings.uri, "--user", settings.user, "--database", settings.database]
    env = dict(os.environ)
    if settings.password is not None:
        env["NEO4J_PASSWORD"] = settings.password  # never on the command line
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the {phase} run failed (exit {done.returncode}); see above")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- import ----------------------------------------------------------------------------------
def updated_copy(folder: Path) -> Path:
    """The case of ``folder`` with one tie in ten given another weight (kept next to it)."""
    target = folder.with_name(folder.name + f"-updated-{UPDATE_EVERY}")
    if (target / "ties.csv").exists():
        return target
    partial = target.with_name(target.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        if path.name != "ties.csv" and path.suffix == ".csv":
            (partial / path.name).write_bytes(path.read_bytes())
    with (
        (folder / "ties.csv").open(newline="") as source,
        (partial / "ties.csv").open("w", newline="") as out,
    ):
        reader = csv.DictReader(source)
        assert reader.fieldnames is not None
        writer = csv.DictWriter(out, reader.fieldnames)
        writer.writeheader()
        for number, row in enumerate(reader):
            if number % UPDATE_EVERY == 0:
                row["weight"] = str(round(float(row["weight"] or 0) + 1.5, 2))
            writer.writerow(row)
    partial.rename(target)
    return target


def import_round(
    args: argparse.Namespace,
    settings: kb.Settings,
    base: KnowledgeBase,
    folders: list[Path],
    mode: str,
) -> list[dict[str, Any]]:
    """Empty the database, then import each folder in turn, journal ``mode`` (on|off)."""
    started = time.perf_counter()
    wipe(base)
    log(f"    emptied in {time.perf_counter() - started:.0f} s")
    runs = []
    for folder in folders:
        got = spawn(args, settings, "import", "--data", str(folder), "--journal", mode)
        got["load"] = import_bench.load_average()
        log(
            f"    journal {mode:3} {folder.name}: {got['seconds']:.1f} s, "
            f"peak RSS {got['peak_rss_mb']:.0f} MB, load {got['load']:.1f}"
        )
        runs.append(got)
    return runs


def bench_import(
    args: argparse.Namespace, settings: kb.Settings, base: KnowledgeBase, ties: int
) -> dict[str, Any]:
    folder, _ = import_bench.ensure_data(args.workdir, ties, import_bench.DEFAULT_SEED)
    folders = [folder, updated_copy(folder)]
    phases = ("import", "update")
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {"on": {}, "off": {}}
    for round_ in range(args.repeat):
        # Alternate which mode goes first: a trend in the machine's load favours neither.
        for mode in ("off", "on") if round_ % 2 == 0 else ("on", "off"):
            log(f"  {ties:,} ties, round {round_ + 1}/{args.repeat}, journal {mode}")
            for phase, got in zip(
                phases, import_round(args, settings, base, folders, mode), strict=True
            ):
                runs[mode].setdefault(phase, []).append(got)
    result: dict[str, Any] = {
        "ties": ties,
        "updated_ties": (ties + UPDATE_EVERY - 1) // UPDATE_EVERY,
    }
    for phase in phases:
        on = [g["seconds"] for g in runs["on"][phase]]
        off = [g["seconds"] for g in runs["off"][phase]]
        ratio = statistics.median(on) / statistics.median(off)
        result[phase] = {
            "journal_s": [round(s, 2) for s in on],
            "no_journal_s": [round(s, 2) for s in off],
            "ratio": round(ratio, 3),
            "peak_rss_mb_journal": round(max(g["peak_rss_mb"] for g in runs["on"][phase])),
            "peak_rss_mb_no_journal": round(max(g["peak_rss_mb"] for g in runs["off"][phase])),
            "outcomes": runs["on"][phase][-1]["outcomes"].get("ties"),
            "target": TARGET_IMPORT_RATIO,
            "met": ratio <= TARGET_IMPORT_RATIO,
        }
    return result


# -- known-at ---------------------------------------------------------------------------------
def kb_command(args: argparse.Namespace, settings: kb.Settings, *words: str) -> float:
    """Wall seconds of ``kb WORDS`` in a fresh process, its result cache empty."""
    env = dict(os.environ, NEO4J_URI=settings.uri, NEO4J_USERNAME=settings.user)
    env["NEO4J_DATABASE"] = settings.database
    if settings.password is not None:
        env["NEO4J_PASSWORD"] = settings.password
    program = str(Path(sys.executable).with_name("kb"))
    with tempfile.TemporaryDirectory() as cache:
        env["KB_CACHE"] = cache
        started = time.perf_counter()
        subprocess.run([program, *words], env=env, stdout=subprocess.DEVNULL, check=True)
        return time.perf_counter() - started


def bench_known_at(
    args: argparse.Namespace, settings: kb.Settings, base: KnowledgeBase
) -> dict[str, Any]:
    wipe(base)
    base.import_data(EXAMPLE)
    base.cache = None  # both runs compute (a cached result would compare nothing)
    version = journal.head(base).data_version
    for i in range(5):
        base.add("actors", {"id": f"p-bench{i}", "name": f"Bench {i}"})
        base.end_tie("t-001", on=f"{2016 + i}")
    changes = journal.head(base).data_version - version
    base.centrality(selection=Selection(known_at=f"@{version}"))  # warm both up
    base.centrality(selection=Selection())
    now, then, cli_now, cli_then = [], [], [], []
    repeat = max(args.repeat, 5)
    for _ in range(repeat):
        started = time.perf_counter()
        base.centrality(selection=Selection())
        now.append(time.perf_counter() - started)
        started = time.perf_counter()
        base.centrality(selection=Selection(known_at=f"@{version}"))
        then.append(time.perf_counter() - started)
    for _ in range(repeat):
        cli_now.append(kb_command(args, settings, "centrality", "--format", "json"))
        cli_then.append(
            kb_command(
                args, settings, "centrality", "--format", "json", "--known-at", f"@{version}"
            )
        )
    ratio = statistics.median(then) / statistics.median(now)
    cli_ratio = statistics.median(cli_then) / statistics.median(cli_now)
    return {
        "entries_undone": changes,
        "library_now_s": [round(s, 3) for s in now],
        "library_known_at_s": [round(s, 3) for s in then],
        "library_ratio": round(ratio, 3),
        "command_now_s": [round(s, 3) for s in cli_now],
        "command_known_at_s": [round(s, 3) for s in cli_then],
        "command_ratio": round(cli_ratio, 3),
        "target": TARGET_KNOWN_AT_RATIO,
        "met": max(ratio, cli_ratio) <= TARGET_KNOWN_AT_RATIO,
    }


# -- kb changes --id --------------------------------------------------------------------------
def fill_journal(base: KnowledgeBase, entries: int, bulk_ids: int) -> int:
    """A journal of ``entries`` entries of one small change each (what kb add writes), then
    one import entry whose bulk chunks list ``bulk_ids`` ids, 5,000 a chunk (what an import
    of that many records writes). Written directly, at speed. Returns the entries that
    touch `LOOKED_UP`."""
    wipe(base)
    autocommit(
        base,
        "UNWIND range(1, $n) AS seq "
        "CALL (seq) { "
        "CREATE (:KbMeta:KbJournal {key: 'journal:' + seq, seq: seq, at: '2026-01-01T00:00:00Z', "
        "analyst: 'bench', command: 'kb add actors', why: '', prev: '', hash: ''}) "
        "CREATE (:KbMeta:KbJournalChunk {key: 'journal:' + seq + ':000000001', seq: seq, "
        "query: 'import/actors', changes: '[{\"id\": \"p' + (seq % 5000) + '\"}]', "
        "ids: ['p' + (seq % 5000)], count: 1, created: false, images: '[]'}) "
        "CREATE (:KbMeta:KbJournalTouch {key: 'touch:p' + (seq % 5000) + ':journal:' + seq, "
        "id: 'p' + (seq % 5000), seq: seq}) } IN TRANSACTIONS OF 10000 ROWS",
        n=entries,
    )
    last = entries
    if bulk_ids:
        last += 1
        autocommit(
            base,
            "CREATE (:KbMeta:KbJournal {key: 'journal:' + $seq, seq: $seq, "
            "at: '2026-01-02T00:00:00Z', analyst: 'bench', command: 'kb import big', why: '', "
            "prev: '', hash: ''})",
            seq=last,
        )
        autocommit(
            base,
            "UNWIND range(0, $n - 1, 5000) AS first "
            "CALL (first) { "
            "CREATE (c:KbMeta:KbJournalChunk:KbJournalBulk {key: 'journal:' + $seq + ':' + "
            "first, seq: $seq, query: 'import/ties_new', changes: '[]', created: true, "
            "images: '[]', ids: [i IN range(first, first + 4999) | 'p' + i], count: 5000}) "
            "} IN TRANSACTIONS OF 20 ROWS",
            n=bulk_ids,
            seq=last,
        )
    base.driver.execute_query(
        "MERGE (j:KbMeta {key: 'journal'}) SET j.seq = $n, j.fingerprint = ''",
        {"n": last},
        database_=base.database,
    )
    small = entries // 5000 + (1 if entries % 5000 >= 42 else 0)
    return small + (1 if bulk_ids > 42 else 0)


def bench_changes(
    args: argparse.Namespace, settings: kb.Settings, base: KnowledgeBase
) -> dict[str, Any]:
    expected = fill_journal(base, args.entries, args.bulk_ids)
    cold, warm, connect, base_cold, base_warm = [], [], [], [], []
    for _ in range(args.cold_runs):
        autocommit(base, "CALL db.clearQueryCaches()")
        got = spawn(args, settings, "changes", "--id", LOOKED_UP, "--repeat", "5")
        assert got["found"] == expected, (got["found"], expected)
        cold.append(got["cold_ms"])
        warm += got["warm_ms"]
        connect.append(got["connect_ms"])
        base_cold.append(got["baseline_cold_ms"])
        base_warm += got["baseline_warm_ms"]
    command, status = [], []
    for _ in range(args.cold_runs):
        command.append(kb_command(args, settings, "changes", "--id", LOOKED_UP, "--format", "json"))
        status.append(kb_command(args, settings, "status", "--format", "json"))
    extra_ms = (statistics.median(command) - statistics.median(status)) * 1000
    cold_ms, warm_ms = statistics.median(cold), statistics.median(warm)
    return {
        "entries": args.entries,
        "bulk_ids": args.bulk_ids,
        "entries_found": expected,
        "cold_ms": [round(t, 1) for t in cold],
        "warm_ms": [round(t, 1) for t in warm],
        "connect_ms": [round(t, 1) for t in connect],
        "cold_median_ms": round(cold_ms, 1),
        "warm_median_ms": round(warm_ms, 1),
        "head_read_cold_median_ms": round(statistics.median(base_cold), 1),
        "head_read_warm_median_ms": round(statistics.median(base_warm), 1),
        "command_s": [round(t, 3) for t in command],
        "status_command_s": [round(t, 3) for t in status],
        "command_minus_status_ms": round(extra_ms, 1),
        "target_ms": TARGET_CHANGES_MS,
        "met": max(cold_ms, warm_ms) < TARGET_CHANGES_MS,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--ties", default="100000", help="tie counts of the import, comma-separated (0: skip)"
    )
    parser.add_argument("--entries", type=int, default=100_000, help="small journal entries")
    parser.add_argument(
        "--bulk-ids", type=int, default=1_000_000, help="ids in the bulk chunks of one import"
    )
    parser.add_argument("--repeat", type=int, default=2, help="rounds per mode and size")
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh processes for changes")
    parser.add_argument(
        "--only", choices=("import", "known-at", "changes"), action="append", help="run only these"
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kb-import-bench"
    )
    parser.add_argument("--yes", action="store_true", help="empty a non-empty database")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--save", type=Path, help="also write the JSON results to this file")
    parser.add_argument("--uri")
    parser.add_argument("--user")
    parser.add_argument("--database")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--journal", choices=("on", "off"), help=argparse.SUPPRESS)
    parser.add_argument("--id", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    if args.child:
        result = CHILDREN[args.child](args)
        result["peak_rss_mb"] = import_bench.peak_rss_mb()
        print(json.dumps(result))
        return
    settings = import_bench.connect_settings(args)
    only = set(args.only or ("import", "known-at", "changes"))
    sizes = [int(s) for s in args.ties.split(",") if int(s)] if "import" in only else []
    results: dict[str, Any] = {"load_average_start": import_bench.load_average()}
    with kb.connect(settings) as base:
        if int(base.read_one("meta/counts")["nodes"]) and not args.yes:
            raise SystemExit("The database holds a case; give --yes to let the bench empty it.")
        if sizes:
            # Untimed: the server's JIT and plan cache warm up on a small case, both modes.
            small, _ = import_bench.ensure_data(args.workdir, 2_000, import_bench.DEFAULT_SEED)
            for mode in ("on", "off"):
                import_round(args, settings, base, [small, updated_copy(small)], mode)
        results["import"] = [bench_import(args, settings, base, ties) for ties in sizes]
        if "known-at" in only:
            results["known_at"] = bench_known_at(args, settings, base)
        if "changes" in only:
            results["changes"] = bench_changes(args, settings, base)
        wipe(base)
    results["load_average_end"] = import_bench.load_average()
    text = json.dumps(results, indent=2)
    if args.save:
        args.save.write_text(text + "\n")
    print(text if args.json else render(results))


def render(results: dict[str, Any]) -> str:
    lines = [f"load average {results['load_average_start']} -> {results['load_average_end']}"]
    for size in results.get("import") or []:
        for phase in ("import", "update"):
            got = size[phase]
            lines.append(
                f"{phase} {size['ties']:,} ties: journal {got['journal_s']} s, none "
                f"{got['no_journal_s']} s, ratio {got['ratio']} (target <= {got['target']}: "
                f"{'met' if got['met'] else 'NOT met'}); peak RSS {got['peak_rss_mb_journal']} MB "
                f"(without: {got['peak_rss_mb_no_journal']} MB)"
            )
    if got := results.get("known_at"):
        lines.append(
            f"--known-at (undoing {got['entries_undone']} entries): library ratio "
            f"{got['library_ratio']}, command ratio {got['command_ratio']} (target <= "
            f"{got['target']}: {'met' if got['met'] else 'NOT met'})"
        )
    if got := results.get("changes"):
        lines.append(
            f"kb changes --id, {got['entries']:,} entries + {got['bulk_ids']:,} bulk ids: cold "
            f"{got['cold_median_ms']} ms, warm {got['warm_median_ms']} ms (target < "
            f"{got['target_ms']} ms: {'met' if got['met'] else 'NOT met'}); baseline, the "
            f"journal's head read: cold {got['head_read_cold_median_ms']} ms, warm "
            f"{got['head_read_warm_median_ms']} ms; as a command "
            f"{got['command_minus_status_ms']} ms more than kb status"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
