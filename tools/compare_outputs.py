"""Compare kb's answers on the example case between two versions of the code.

A refactoring must not change what kb answers. This runs the same commands (``--format
json``) with the code of this checkout and with the code of another revision (checked out
into a temporary git worktree and put first on ``PYTHONPATH``), each after emptying the
database and importing examples/quebec-wg, and prints every difference: a key whose value
changed, a key one side lacks. Keys that only the newer side has are listed apart (new
fields are not changed answers).

**It empties the database it is pointed at** (the usual ``NEO4J_*`` or local server).

Usage::

    python tools/compare_outputs.py 8e67cb7      # exit 1 when an answer changed
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "quebec-wg"
COMMANDS = [
    ["brokerage", "--group-by", "sector"],
    ["brokerage", "--group-by", "sector", "--by", "stage"],
    ["brokerage", "--group-by", "sector", "--at", "2015-03-31"],
    ["centrality"],
    ["centrality", "--weight", "weight", "--at", "2017"],
    ["evolution", "--by", "stage", "--group-by", "sector"],
    ["evolution", "--by", "year", "--group-by", "sector"],
    ["legitimacy", "--from", "community", "--to", "public"],
    ["legitimacy", "--from", "community", "--to", "public", "--by", "stage"],
    ["legitimacy", "--from", "community", "--to", "public", "--source", "p-kdiallo"],
    ["paths", "p-kdiallo", "ciusss-cn"],
    ["paths", "p-kdiallo", "ciusss-cn", "--between", "2015", "2018", "--time-respecting"],
    ["reforms", "list"],
    ["reforms", "broken-ties", "--reform", "bill-10", "--window", "15m"],
    ["reforms", "brokerage-change", "--reform", "bill-10"],
    ["consensus", "--by", "stage"],
    ["why", "p-kdiallo", "p-lsimard"],
    ["timeline", "p-pleclerc"],
    ["timeline", "Louise Simard"],
    ["why", "p-lsimard", "p-mgagnon", "--at", "2016"],
    ["search", "aide"],
    ["search", "comité", "--kind", "interview", "--between", "2015", "2018", "--limit", "5"],
    ["search", "financement", "--actor", "p-kdiallo"],
    ["evidence", "coverage"],
    ["query", "run", "network/stages"],
    # the tie selection (types, period, evidence), and its errors
    ["brokerage", "--triangulated"],
    ["brokerage", "--min-evidence", "2", "--types", "COLLABORATION,INFORMATION", "--by", "year"],
    ["brokerage", "--min-evidence", "99"],
    ["brokerage", "--types", "NO_SUCH_TYPE"],
    ["centrality", "--triangulated", "--at", "2016"],
    ["centrality", "--at", "1850"],
    ["evolution", "--by", "stage", "--min-evidence", "1", "--types", "COLLABORATION"],
    ["legitimacy", "--from", "community", "--to", "public", "--triangulated"],
    [
        "legitimacy",
        "--from",
        "community",
        "--to",
        "public",
        "--source",
        "p-kdiallo",
        "--at",
        "2016",
    ],
    ["paths", "p-kdiallo", "ciusss-cn", "--triangulated"],
    ["paths", "p-kdiallo", "ciusss-cn", "--at", "2016", "--types", "COLLABORATION,INFORMATION"],
    ["paths", "p-kdiallo", "ciusss-cn", "--at", "2016", "--between", "2015", "2018"],
    ["reforms", "broken-ties", "--reform", "bill-10", "--min-evidence", "1"],
    ["reforms", "brokerage-change", "--reform", "bill-10", "--triangulated"],
    ["reforms", "survival", "--reform", "bill-10", "--min-evidence", "1"],
    ["evidence", "coverage", "--types", "COLLABORATION", "--at", "2016"],
    ["query", "run", "network/ties", "-p", "min_evidence=2", "-p", "at_first=2016"],
    [
        "query",
        "run",
        "brokerage/pairs_of_broker",
        "-p",
        "broker=p-kdiallo",
        "-p",
        "triangulated=true",
    ],
]


def run_all(code_path: Path | None) -> dict[str, Any]:
    """Every command's JSON answer, with the code at ``code_path`` (None: this checkout)."""
    env = {**os.environ, "COLUMNS": "200"}
    if code_path is not None:
        env["PYTHONPATH"] = str(code_path)
    # `python -c` puts its working folder first on sys.path: run in the code's own tree.
    cwd = code_path or ROOT
    prefix = [
        sys.executable,
        "-c",
        "import sys, kb; assert kb.__file__.startswith(sys.argv[1]); "
        "from kb.cli import app; app(sys.argv[2:])",
        str(cwd),
    ]
    subprocess.run([*prefix, "reset", "--yes"], env=env, cwd=cwd, check=True, capture_output=True)
    subprocess.run(
        [*prefix, "import", str(EXAMPLE)], env=env, cwd=cwd, check=True, capture_output=True
    )
    answers = {}
    for command in COMMANDS:
        done = subprocess.run(
            [*prefix, *command, "--format", "json"],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            answers[" ".join(command)] = {"error": done.stderr.strip()}
        else:
            answers[" ".join(command)] = result_of(json.loads(done.stdout))
    return answers


def result_of(document: Any) -> Any:
    """A command's JSON result without its provenance (docs/output.md: a list is wrapped as
    ``{"records": [...], "provenance": {...}}``), so that revisions before and after
    provenance compare, and the time of each run is no difference."""
    if isinstance(document, dict) and "provenance" in document:
        rest = {k: v for k, v in document.items() if k != "provenance"}
        return rest["records"] if set(rest) == {"records"} else rest
    return document


def differences(old: Any, new: Any, path: str = "") -> tuple[list[str], list[str]]:
    """(changed values and keys the new side lacks, keys only the new side has)."""
    if isinstance(old, dict) and isinstance(new, dict):
        changed: list[str] = []
        added = [f"{path}.{k}" for k in new if k not in old]
        for key in old:
            if key not in new:
                changed.append(f"{path}.{key}: gone")
                continue
            c, a = differences(old[key], new[key], f"{path}.{key}")
            changed += c
            added += a
        return changed, added
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{path}: {len(old)} items, now {len(new)}"], []
        changed, added = [], []
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            c, d = differences(a, b, f"{path}[{i}]")
            changed += c
            added += d
        return changed, added
    if isinstance(old, float) and isinstance(new, float):
        return (
            [] if abs(old - new) <= 1e-9 * max(1.0, abs(old)) else [f"{path}: {old} -> {new}"]
        ), []
    return ([] if old == new else [f"{path}: {old!r} -> {new!r}"]), []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revision", help="the git revision to compare with (e.g. 8e67cb7)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-compare-") as folder:
        tree = Path(folder) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.revision],
            check=True,
            capture_output=True,
        )
        try:
            old = run_all(tree)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True
            )
    new = run_all(None)
    failed = False
    for command in COMMANDS:
        key = " ".join(command)
        changed, added = differences(old[key], new[key])
        status = "changed" if changed else "same"
        print(f"{status:8} kb {key}" + (f" (new fields: {len(added)})" if added else ""))
        for line in changed[:20]:
            print(f"           {line}")
        failed |= bool(changed)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
