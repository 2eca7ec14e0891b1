"""QDA benchmark: `kb import project.qdpx`, and memory against project size.

Measured, each import in a fresh process (so peak RSS is per run):

* ``qda import``  -- a synthetic REFI-QDA project (``--sources`` sources, ``--passages``
  coded passages naming actors and tie types) imported into a case of actors and ties;
* ``csv import``  -- the baseline: the same evidence and mentions as CSV tables through the
  ordinary import (what the QDA import adds is reading the XML and the texts, resolving
  codes and linking ties);
* ``memory``      -- peak RSS of the QDA import of a project a tenth of the size, and of the
  full one: flat means close.

Target (issue 13): 200 sources and 20 k passages import in under 30 s. `kb search` has its
own benchmark, bench/search_bench.py.

**It empties the database it is pointed at.** Never part of the test suite.

Usage::

    NEO4J_URI=bolt://127.0.0.1:47687 NEO4J_PASSWORD=... python bench/qda_bench.py
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

import kb

WORDS = (
    "accès services aînés organisme communautaire CLSC CIUSSS réforme fusion concertation "
    "table quartier famille jeunes immigrants transport adapté soutien domicile bénévoles "
    "financement mission réunion groupe travail équipe intervenante organisatrice comité "
    "usagers santé mentale porte frapper attente liste guichet démarche rencontre portrait "
    "besoins développement social municipalité école partenaires mobilisation citoyens"
).split()
TYPES = ("COLLABORATION", "INFORMATION", "ADVICE")
ACTORS = 200
TIES = 2_000
TARGET_IMPORT_S = 30.0


def gid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(map(str, parts))))


def sentence(rng: random.Random, n: int = 18) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def case_rows(rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    actors = [
        [f"a{i}", f"Acteur {i} Été", "community" if i % 2 else "public"] for i in range(ACTORS)
    ]
    ties = []
    for i in range(TIES):
        a, b = rng.sample(range(ACTORS), 2)
        ties.append([f"t{i}", f"a{a}", f"a{b}", TYPES[i % len(TYPES)]])
    return actors, ties


def write_case(folder: Path, rng: random.Random) -> None:
    actors, ties = case_rows(rng)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "actors.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["id", "name", "sector"], *actors])
    with (folder / "ties.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["id", "source", "target", "type"], *ties])


def write_project(path: Path, sources: int, passages: int, seed: int) -> Path:
    """A .qdpx: codes for every actor and tie type, passages coded with 1-2 actors (+ a type)."""
    rng = random.Random(seed)
    codes = "".join(
        f'<Code guid="{gid("a", i)}" name="Acteur {i} Été" isCodable="true"/>'
        for i in range(ACTORS)
    )
    ties = "".join(f'<Code guid="{gid("t", t)}" name="{t}" isCodable="true"/>' for t in TYPES)
    user = gid("user")
    per_source = passages // sources
    texts: dict[str, str] = {}
    xml_sources = []
    for s in range(sources):
        parts, selections, position = [], [], 0
        for p in range(per_source):
            filler, passage = sentence(rng, 6) + "\n", sentence(rng)
            start = position + len(filler)
            parts += [filler, passage]
            position = start + len(passage)
            actors = rng.sample(range(ACTORS), 2 if p % 2 else 1)
            refs = [gid("a", a) for a in actors] + ([gid("t", TYPES[p % 3])] if p % 2 else [])
            codings = "".join(
                f'<Coding guid="{gid("c", s, p, r)}"><CodeRef targetGUID="{r}"/></Coding>'
                for r in refs
            )
            selections.append(
                f'<PlainTextSelection guid="{gid("p", s, p)}" startPosition='
                f'"{start}" endPosition="{position}" creatingUser="{user}">'
                f"{codings}</PlainTextSelection>"
            )
        file = f"{gid('f', s)}.txt"
        texts[file] = "".join(parts)
        xml_sources.append(
            f'<TextSource guid="{gid("s", s)}" name="Entretien {s}" '
            f'plainTextPath="internal://{file}">{"".join(selections)}'
            "</TextSource>"
        )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
        f'name="bench" origin="bench"><Users><User guid="{user}" name="Codeur"/></Users>'
        f'<CodeBook><Codes><Code guid="{gid("actors")}" name="actors" isCodable="false">'
        f'{codes}</Code><Code guid="{gid("ties")}" name="ties" isCodable="false">{ties}'
        f"</Code></Codes></CodeBook><Sources>{''.join(xml_sources)}</Sources></Project>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for name, text in texts.items():
            archive.writestr(f"Sources/{name}", text)
    return path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, path: str, case: str) -> dict[str, Any]:
    with kb.connect() as base:
        base.reset()
        base.import_data(case)
        start = time.perf_counter()
        if kind == "qda":
            report = base.import_project(path, proposed=Path(path).with_suffix(".csv"))
            made = report.evidence
        else:
            made = base.import_data(path).rows.get("evidence", 0)
        return {"seconds": time.perf_counter() - start, "evidence": made, "peak_mb": peak_mb()}


def spawn(kind: str, path: Path, case: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), str(case)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def csv_baseline(project: Path, folder: Path) -> Path:
    """The evidence and mentions the QDA import makes, as CSV tables of the import format."""
    from kb.imports.qda import convert, resolve_codes
    from kb.imports.refi import read_project

    with kb.connect() as base:
        actors = base.read("qda/actors")
    proj = read_project(project)
    conversion = convert(proj, resolve_codes(proj.codes.values(), actors))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for table in ("documents", "evidence", "mentions"):
            rows = [raw.values for raw in conversion.dataset.raw_rows(table)]
            with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as f:
                writer = csv.DictWriter(f, list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
    finally:
        conversion.close()
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--passages", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        case = work / "case"
        write_case(case, random.Random(args.seed))
        small = write_project(
            work / "small.qdpx", args.sources // 10 or 1, args.passages // 10, args.seed
        )
        big = write_project(work / "big.qdpx", args.sources, args.passages, args.seed)
        qda_small = spawn("qda", small, case)
        qda = spawn("qda", big, case)
        baseline = spawn("csv", csv_baseline(big, work / "csv"), case)
    result = {
        "project": {
            "sources": args.sources,
            "passages": args.passages,
            "qdpx_mb": round(big.stat().st_size / 2**20, 2) if big.exists() else None,
        },
        "qda_import_s": round(qda["seconds"], 2),
        "csv_import_s": round(baseline["seconds"], 2),
        "ratio_qda_to_csv": round(qda["seconds"] / baseline["seconds"], 2),
        "evidence": qda["evidence"],
        "peak_mb_tenth": round(qda_small["peak_mb"]),
        "peak_mb_full": round(qda["peak_mb"]),
        "ratio_memory_full_to_tenth": round(qda["peak_mb"] / qda_small["peak_mb"], 2),
        "targets_met": {
            "import_under_30s": qda["seconds"] < TARGET_IMPORT_S,
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
