"""CLI latency benchmark: what an analyst waits for, as ratios to a lean driver baseline.

Every command runs as a fresh process (``kb ...``), as an analyst types it, against the
example case (examples/quebec-wg). Runs of the commands and of the baselines are interleaved
(round-robin), so load from other programs hits both alike; each is run ``--runs`` times
and the median is reported with the ratio to its baseline, measured in the same run:

* ``import neo4j (lean)``: ``python -c "import neo4j"`` with the driver's optional numpy /
  pandas / pyarrow probe turned off (see ``LEAN``), the least any command that talks to
  Neo4j pays: ``kb --help`` and ``kb brokerage --help`` must take at most 1.2x this;
* ``driver (lean)``: a script that imports only ``neo4j`` (probe off), opens a driver, runs
  one read and prints its answer: ``kb status``, ``kb why``, ``kb timeline``, ``kb search``
  and ``kb query run`` must take at most 1.5x this, the analyses on the example
  (``kb brokerage``, ``kb centrality``, ``kb legitimacy --source``) at most 2x.

Two more baselines are printed for reference, without targets: the same two scripts with the
probe on (``import neo4j`` then also imports numpy and pandas, both installed in kb's
environment, and pyarrow when present), as a plain driver script pays.

**It empties the database it is pointed at** (to load the example); it refuses a non-empty
one unless given ``--yes``. The connection is kb's usual one (``NEO4J_*`` or the local
server). It is never part of the test suite.

Usage::

    KB_HOME=/tmp/kb-clibench KB_BOLT_PORT=47687 KB_HTTP_PORT=47474 kb server start
    KB_HOME=/tmp/kb-clibench python bench/cli_bench.py [--runs 10] [--yes]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import kb

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "quebec-wg"
# The neo4j driver (6.x) probes for its optional dependencies when it is imported
# (neo4j/_optional_deps.py: ``with suppress(ImportError): import numpy`` and likewise pandas,
# pyarrow); it has no switch for it. A module that is None in sys.modules fails to import,
# so the probe finds none of them: the lean driver, as kb loads it (kb._neo4j).
LEAN = "import sys; sys.modules.update(dict.fromkeys(('numpy', 'pandas', 'pyarrow')))\n"
DRIVER_SCRIPT = """
import os
from neo4j import GraphDatabase, RoutingControl
auth = (os.environ["KB_BENCH_USER"], os.environ["KB_BENCH_PASSWORD"])
with GraphDatabase.driver(os.environ["KB_BENCH_URI"], auth=auth) as driver:
    records, _, _ = driver.execute_query(
        "MATCH (a:Actor) RETURN count(a) AS actors",
        database_=os.environ["KB_BENCH_DATABASE"],
        routing_=RoutingControl.READ,
    )
    print(records[0]["actors"], "actors")
"""
IMPORT_LEAN = "import neo4j (lean)"
DRIVER_LEAN = "driver (lean)"


@dataclass
class Case:
    """One command line, the baseline it is compared with, and its target."""

    name: str
    argv: list[str]
    baseline: str
    ratio: float
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # the process's user + system time


def kb_command() -> str:
    found = Path(sys.executable).parent / "kb"
    return str(found) if found.exists() else shutil.which("kb") or "kb"


def cases(command: str) -> list[Case]:
    return [
        Case("kb --help", [command, "--help"], IMPORT_LEAN, 1.2),
        Case("kb brokerage --help", [command, "brokerage", "--help"], IMPORT_LEAN, 1.2),
        Case("kb status", [command, "status"], DRIVER_LEAN, 1.5),
        Case("kb why", [command, "why", "p-kdiallo", "p-lsimard"], DRIVER_LEAN, 1.5),
        Case("kb timeline", [command, "timeline", "p-kdiallo"], DRIVER_LEAN, 1.5),
        Case("kb search", [command, "search", "financement"], DRIVER_LEAN, 1.5),
        Case("kb query run", [command, "query", "run", "network/stages"], DRIVER_LEAN, 1.5),
        Case("kb brokerage", [command, "brokerage", "--group-by", "sector"], DRIVER_LEAN, 2.0),
        Case("kb centrality", [command, "centrality"], DRIVER_LEAN, 2.0),
        Case(
            "kb legitimacy --source",
            [
                command,
                "legitimacy",
                "--from",
                "community",
                "--to",
                "public",
                "--source",
                "p-kdiallo",
            ],
            DRIVER_LEAN,
            2.0,
        ),
    ]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu


def load_example(settings: kb.Settings, *, yes: bool) -> None:
    with kb.connect(settings) as base:
        nodes = base.status()["nodes"]
        if nodes and not yes:
            sys.exit(f"The database at {settings.uri} holds {nodes} nodes; --yes empties it.")
        base.reset()
        base.import_data(EXAMPLE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each command (median)")
    parser.add_argument("--yes", action="store_true", help="empty a non-empty database")
    parser.add_argument(
        "--kb", default=kb_command(), help="the kb program to time (default: this Python's)"
    )
    parser.add_argument(
        "--before",
        metavar="PATH",
        help="another kb program (an older checkout) to time in the same rounds; its "
        "medians and ratios are printed beside",
    )
    args = parser.parse_args()
    settings = kb.Settings.from_env()
    load_example(settings, yes=args.yes)
    env = {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.user,
        "NEO4J_PASSWORD": settings.password or "",
        "NEO4J_DATABASE": settings.database,
        "KB_BENCH_URI": settings.uri,
        "KB_BENCH_USER": settings.user,
        "KB_BENCH_PASSWORD": settings.password or "",
        "KB_BENCH_DATABASE": settings.database,
        "COLUMNS": "120",
    }
    # kb as installed has its bytecode (pip compiles it): an environment that forbids
    # writing it (PYTHONDONTWRITEBYTECODE) would have every run compile kb's modules
    # again, which the baselines (the driver's bytecode is installed) never pay. The
    # warm-up run writes it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    python = sys.executable
    baselines = {
        IMPORT_LEAN: Case(IMPORT_LEAN, [python, "-c", LEAN + "import neo4j"], "", 0),
        DRIVER_LEAN: Case(DRIVER_LEAN, [python, "-c", LEAN + DRIVER_SCRIPT], "", 0),
        "import neo4j": Case("import neo4j", [python, "-c", "import neo4j"], "", 0),
        "driver": Case("driver", [python, "-c", DRIVER_SCRIPT], "", 0),
    }
    commands = cases(args.kb)
    before = cases(args.before) if args.before else []
    everything = [*baselines.values(), *commands, *before]
    for case in everything:  # warm the OS caches and kb's result cache once
        timed(case.argv, env)
    for _ in range(args.runs):
        for case in everything:
            wall, cpu = timed(case.argv, env)
            case.seconds.append(wall)
            case.cpu.append(cpu)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"kb CLI latency, median of {args.runs} runs, load average {load:.1f}")
    for case in baselines.values():
        wall, cpu = statistics.median(case.seconds), statistics.median(case.cpu)
        print(f"  baseline {case.name:<20} {wall:6.3f} s  (CPU {cpu:5.3f} s)")
    print(
        f"{'command':<24} {'median s':>9} {'ratio':>6}  {'target':<26} {'result':<6}"
        f" {'CPU s':>6} {'CPU ratio':>9}" + (f" {'before s':>9} {'ratio':>6}" if before else "")
    )
    failed = 0
    for index, case in enumerate(commands):
        median = statistics.median(case.seconds)
        base = baselines[case.baseline]
        ratio = median / statistics.median(base.seconds)
        cpu = statistics.median(case.cpu)
        cpu_ratio = cpu / statistics.median(base.cpu)
        ok = ratio <= case.ratio
        failed += not ok
        target = f"<= {case.ratio:g}x {case.baseline}"
        earlier = ""
        if before:
            then = statistics.median(before[index].seconds)
            earlier = f" {then:9.3f} {then / statistics.median(base.seconds):6.2f}"
        print(
            f"{case.name:<24} {median:9.3f} {ratio:6.2f}  {target:<26} {'ok' if ok else 'FAIL':<6}"
            f" {cpu:6.3f} {cpu_ratio:9.2f}" + earlier
        )
    print(f"targets met: {len(commands) - failed} of {len(commands)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
