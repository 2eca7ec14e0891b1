"""Open every sample with Gephi 0.10.1, the GEXF grammars and networkx; write the evidence.

    .venv/bin/python tests/handoff/gephi/samples/run_samples.py

For each ``*.gexf`` here, writes ``<name>.json`` (what Gephi saw, from the harness) and
rewrites README.md with one line per sample. ``kb-old-*.gexf`` are kb's exports before
issue 10 (at the commit named in FINDINGS.md); kb's current export is opened with Gephi by
tests/handoff/test_gephi_export.py.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
from lxml import etree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
sys.path.insert(0, str(ROOT))

from tests.handoff.gephi.gephi import open_in_gephi  # noqa: E402

GRAMMARS = {
    "GEXF 1.3 grammar": ROOT / "tests" / "data" / "gexf" / "gexf.rng",
    "1.3 + mode on attributes": ROOT / "tests" / "data" / "gexf" / "gexf-gephi.rng",
}


def main() -> None:
    grammars = {name: etree.RelaxNG(etree.parse(str(path))) for name, path in GRAMMARS.items()}
    rows = []
    for sample in sorted(HERE.glob("*.gexf")):
        seen = open_in_gephi(sample)
        seen["file"] = sample.name
        (HERE / f"{sample.stem}.json").write_text(
            json.dumps(seen, indent=2, ensure_ascii=False) + "\n"
        )
        valid = [
            "yes" if grammar.validate(etree.parse(str(sample))) else "no"
            for grammar in grammars.values()
        ]
        rows.append([sample.name, *valid, *_gephi_columns(seen), _networkx(sample)])
        print(" | ".join(rows[-1]))
    _write_readme(rows)


def _gephi_columns(seen: dict[str, Any]) -> list[str]:
    levels: dict[str, int] = {}
    for issue in seen["issues"]:
        levels[issue["level"]] = levels.get(issue["level"], 0) + 1
    issues = ", ".join(f"{n} {level}" for level, n in sorted(levels.items())) or "none"
    edges = seen["edge_count"]
    if "directed_edge_count" in seen:
        edges = (
            f"{edges} ({seen['directed_edge_count']} dir, {seen['undirected_edge_count']} undir)"
        )
    return [seen.get("graph_type", "-"), str(edges), issues]


def _networkx(sample: Path) -> str:
    read: Callable[[Path], Any] = nx.read_gexf
    try:
        graph = read(sample)
    except Exception as error:  # what a networkx user would see
        return f"refused: {error}"
    return f"{type(graph).__name__}, {graph.number_of_edges()} edges"


def _write_readme(rows: list[list[str]]) -> None:
    header = [
        "sample",
        *GRAMMARS,
        "Gephi graph",
        "Gephi edges",
        "Gephi issues",
        "networkx 3.6 read_gexf",
    ]
    lines = [
        "# GEXF samples opened with Gephi 0.10.1",
        "",
        "Written by `run_samples.py` (do not edit the table by hand). Each `<name>.json` is what",
        "the harness (`../gephi.py`, `open_in_gephi`) returned for `<name>.gexf`. What the samples",
        "show, and the shape kb writes, is in `../FINDINGS.md`.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows),
        "",
    ]
    (HERE / "README.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
