"""Search benchmark: `kb search` (``KnowledgeBase.search``) on 100 k evidence items.

Generates a synthetic case in kb's import format -- evidence items whose quotes mix a few
dozen common French words with a long tail of rare ones (so a common word matches a third
of the items and a rare one a few dozen), documents whose titles match too, ties carrying
evidence ids and mentions of actors -- imports it, then runs a matrix of searches: a common
word (twice), a rare word typed without its accent, a phrase, an ``AND``, a prefix
(``interv*``: its hits score alike, so ties abound), each without filters and with ``--kind``,
``--kind --between``, ``--coder``, ``--actor`` (a hub) and ``--actor`` (an actor few items
are about).

For every search, in the same process and interleaved (the machine is shared):

* ``kb``        -- ``KnowledgeBase.search(...)``, what `kb search` calls;
* ``reference`` -- the previous implementation, kept below: one query ranking every index
  hit before the filters and the limit apply, then one reading every relationship's evidence
  list for what the items support. It is also the check: kb's items, scores, order and
  supports must equal the reference's. The reference sends the same query as kb, so a
  second check is independent of the index: every item a plain word scan of the generated
  quotes finds must be found by kb, for words typed with and without their accents
  (``word_check``; the first version missed ``aînés`` in 34,281 items);
* ``scan``      -- a substring scan (``toLower(e.quote) CONTAINS 'équipe'``, LIMIT 20), the
  baseline of the first version of this benchmark.

And `kb search` as a process (interpreter, imports, connection, rendering) against the
library call. Target (issue 13): the median search answers in under 200 ms.

**It empties the database it is pointed at** unless given ``--reuse`` and the database
already holds this data set; it refuses a non-empty database unless given ``--yes``.
Never part of the test suite.

Usage::

    NEO4J_URI=bolt://127.0.0.1:47687 NEO4J_PASSWORD=... python bench/search_bench.py --yes
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kb
from kb.periods import between

TARGET_MS = 200.0
COMMON = (
    "accès services aînés organisme communautaire CLSC CIUSSS réforme fusion concertation "
    "table quartier famille jeunes immigrants transport adapté soutien domicile bénévoles "
    "financement mission réunion groupe travail équipe intervenante organisatrice comité "
    "usagers santé mentale porte frapper attente liste guichet démarche rencontre portrait "
    "besoins développement social municipalité école partenaires mobilisation citoyens"
).split()
COMMON_SHARE = 0.6  # of the words of a quote; the rest comes from the long tail
TAIL_WORDS = 20_000
SYLLABLES = (
    "ba bé ca co da dé fa fo ga gi la lé ma mo na né pa po ra ré sa so ta té va vo za ju "
    "qui ri lu mé"
).split()
CODERS = ("Samuel Bédard", "Julie Lévesque", "Marc Côté", "Anne Roy", "Luc Gagné", "Éva Roy")
KINDS = ("interview", "interview", "observation", "document")
TIE_TYPES = ("COLLABORATION", "INFORMATION", "ADVICE", "FUNDING")
FILTERS: dict[str, dict[str, Any]] = {
    "none": {},
    "--kind interview": {"kinds": "interview"},
    "--kind --between": {"kinds": "interview", "between_dates": ("2016", "2017")},
    "--coder": {"coder": "samuel bédard"},
    "--actor hub": {"actor": "a0"},
    "--actor rare": {},  # filled in from the data: an actor few items are about
}

# The previous implementation (kb/cypher/evidence/search.cypher before paging): every index
# hit is turned into its evidence items and ranked before the filters and the limit.
REFERENCE_SEARCH = """
CALL db.index.fulltext.queryNodes('evidence_text', $query) YIELD node, score
CALL (node) {
  WITH node WHERE node:Evidence
  RETURN node AS e
  UNION
  WITH node WHERE node:Document
  MATCH (e:Evidence)-[:FROM_DOCUMENT]->(node)
  RETURN e
}
WITH e, max(score) AS score
WHERE ($kinds IS NULL OR e.kind IN $kinds)
  AND ($coder IS NULL OR toLower(e.coder) = toLower($coder))
  AND ($from IS NULL OR e.date_last >= $from)
  AND ($to IS NULL OR e.date_first <= $to)
  AND ($actor IS NULL
       OR EXISTS { (e)-[:MENTIONS]->(:Actor {id: $actor}) }
       OR EXISTS { MATCH (:Actor {id: $actor})-[r:TIE|MEMBER_OF|ATTENDED|TAKES_POSITION]-()
                   WHERE e.id IN r.evidence })
WITH e, score
ORDER BY score DESC, e.id
LIMIT $limit
RETURN e.id AS id, score
ORDER BY score DESC, id
"""
# ... and its query for what the items support, which read every relationship's evidence list.
REFERENCE_SUPPORTS = """
CALL () {
  MATCH (a:Actor)-[r:TIE]->(b:Actor)
  WHERE r.evidence IS NOT NULL AND any(x IN r.evidence WHERE x IN $ids)
  UNWIND [x IN r.evidence WHERE x IN $ids] AS evidence
  RETURN evidence, 'tie' AS what, r.id AS id, r.type AS type, a.id AS source, b.id AS target,
         a.name + ' – ' + b.name AS label
  UNION ALL
  MATCH (a:Person)-[r:MEMBER_OF]->(b:Organization)
  WHERE r.evidence IS NOT NULL AND any(x IN r.evidence WHERE x IN $ids)
  UNWIND [x IN r.evidence WHERE x IN $ids] AS evidence
  RETURN evidence, 'membership' AS what, r.id AS id, r.role AS type, a.id AS source,
         b.id AS target, a.name + ' – ' + b.name AS label
  UNION ALL
  MATCH (a:Actor)-[r:ATTENDED]->(b:Meeting)
  WHERE r.evidence IS NOT NULL AND any(x IN r.evidence WHERE x IN $ids)
  UNWIND [x IN r.evidence WHERE x IN $ids] AS evidence
  RETURN evidence, 'attendance' AS what, r.id AS id, r.role AS type, a.id AS source,
         b.id AS target, coalesce(b.title, b.id) AS label
  UNION ALL
  MATCH (a:Actor)-[r:TAKES_POSITION]->(b:Problem)
  WHERE r.evidence IS NOT NULL AND any(x IN r.evidence WHERE x IN $ids)
  UNWIND [x IN r.evidence WHERE x IN $ids] AS evidence
  RETURN evidence, 'position' AS what, r.id AS id, r.stance AS type, a.id AS source,
         b.id AS target, b.statement AS label
  UNION ALL
  UNWIND $ids AS evidence
  MATCH (:Evidence {id: evidence})-[r:MENTIONS]->(a:Actor)
  RETURN evidence, 'mention' AS what, r.id AS id, null AS type, a.id AS source,
         a.id AS target, a.name AS label
}
RETURN evidence, what, id, type, source, target, label
ORDER BY evidence, what, id
"""
SCAN = "MATCH (e:Evidence) WHERE toLower(e.quote) CONTAINS $w RETURN e.id AS id LIMIT 20"


# --- synthetic data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSet:
    """A generated case: its folder and the values the searches use."""

    folder: Path
    evidence: int
    ties: int
    rare_word: str
    rare_actor: str


def fold(word: str) -> str:
    """The word without its accents, as a user types it."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Words and cumulative weights: the common words evenly, then a Zipf tail."""
    tail = ["".join(p) for p in itertools.product(SYLLABLES, repeat=3)]
    rng.shuffle(tail)
    tail = tail[:TAIL_WORDS]
    harmonic = sum(1 / r for r in range(1, TAIL_WORDS + 1))
    weights = [COMMON_SHARE / len(COMMON)] * len(COMMON)
    weights += [(1 - COMMON_SHARE) / (r * harmonic) for r in range(1, TAIL_WORDS + 1)]
    return [*COMMON, *tail], list(itertools.accumulate(weights))


def skewed(rng: random.Random, n: int) -> int:
    """An index below n, small ones far more often (hubs)."""
    return int(n * rng.random() ** 2)


def generate(folder: Path, evidence: int, seed: int) -> DataSet:
    rng = random.Random(seed)
    words, cumulative = vocabulary(rng)

    def text(n: int) -> str:
        return " ".join(rng.choices(words, cum_weights=cumulative, k=n))

    actors = max(50, evidence // 50)
    documents = max(10, evidence // 100)
    ties = evidence // 5
    folder.mkdir(parents=True, exist_ok=True)

    def write(name: str, header: list[str], rows: Any) -> None:
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(header)
            writer.writerows(rows)

    write("actors", ["id", "name"], ([f"a{i}", f"Acteur {i}"] for i in range(actors)))
    prefixes = ("Entretien", "Procès-verbal", "Rapport annuel", "Notes de terrain")
    write(
        "documents",
        ["id", "title"],
        ([f"d{i}", f"{prefixes[i % 4]} {i} : {text(2)}"] for i in range(documents)),
    )
    about: dict[str, int] = {}

    def evidence_rows() -> Any:
        for i in range(evidence):
            year, month, day = rng.randint(2010, 2020), rng.randint(1, 12), rng.randint(1, 28)
            date = rng.choice((f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"))
            yield [
                f"ev{i}",
                rng.choice(KINDS),
                date,
                f"d{rng.randrange(documents)}" if rng.random() < 0.8 else "",
                text(rng.randint(8, 60)).capitalize() + ".",
                f"l. {rng.randint(1, 500)}",
                rng.choice(CODERS),
                text(6) if rng.random() < 0.1 else "",
            ]

    write(
        "evidence",
        ["id", "kind", "date", "document", "quote", "location", "coder", "note"],
        evidence_rows(),
    )

    def mention_rows() -> Any:
        for i in range(evidence):
            if rng.random() < 0.3:
                for a in {skewed(rng, actors) for _ in range(rng.randint(1, 2))}:
                    about[f"a{a}"] = about.get(f"a{a}", 0) + 1
                    yield [f"ev{i}", f"a{a}"]

    write("mentions", ["evidence", "actor"], mention_rows())

    def tie_rows() -> Any:
        for i in range(ties):
            a = skewed(rng, actors)
            b = (a + 1 + rng.randrange(actors - 1)) % actors
            items = [f"ev{rng.randrange(evidence)}" for _ in range(rng.randint(0, 3))]
            for end in (a, b):
                about[f"a{end}"] = about.get(f"a{end}", 0) + len(items)
            yield [f"t{i}", f"a{a}", f"a{b}", TIE_TYPES[i % 4], ";".join(items)]

    write("ties", ["id", "source", "target", "type", "evidence"], tie_rows())
    rare_actor = min((a for a, n in about.items() if n >= 5), key=lambda a: (about[a], a))
    tail = words[len(COMMON) :]
    rare = next(w for w in tail[5000:] if fold(w) != w)
    return DataSet(folder, evidence, ties, fold(rare), rare_actor)


def load(base: kb.KnowledgeBase, data: DataSet, reuse: bool) -> None:
    counts = base.driver.execute_query(
        "RETURN COUNT { MATCH (:Evidence) } AS evidence, COUNT { ()-[:TIE]->() } AS ties",
        database_=base.database,
    ).records[0]
    if reuse and (counts["evidence"], counts["ties"]) == (data.evidence, data.ties):
        log("  reusing the data set in the database")
        return
    started = time.perf_counter()
    base.reset()
    base.import_data(data.folder)
    log(f"  imported in {time.perf_counter() - started:.0f} s")


# --- measurement -------------------------------------------------------------------------------


def reference(base: kb.KnowledgeBase, text: str, limit: int, **filters: Any) -> list[Any]:
    """The previous implementation's answer: items, scores and what each supports."""
    period = between(*filters["between_dates"]) if filters.get("between_dates") else None
    kinds = filters.get("kinds")
    params = {
        "query": text,
        "kinds": kinds.split(",") if kinds else None,
        "actor": filters.get("actor"),
        "coder": filters.get("coder"),
        "from": period.first if period else None,
        "to": period.last if period else None,
        "limit": limit,
    }
    hits = base.driver.execute_query(REFERENCE_SEARCH, params, database_=base.database).records
    ids = [h["id"] for h in hits]
    supports = (
        base.driver.execute_query(REFERENCE_SUPPORTS, {"ids": ids}, database_=base.database).records
        if ids
        else []
    )
    by_item: dict[str, set[tuple[str, str]]] = {i: set() for i in ids}
    for row in supports:
        mention = row["what"] == "mention"
        by_item[row["evidence"]].add((row["what"], row["source"] if mention else row["id"]))
    return [(h["id"], h["score"], sorted(by_item[h["id"]])) for h in hits]


def scanned(data: DataSet) -> dict[str, set[str]]:
    """Independent of the index: per word (lower case, accents stripped by NFD), the items
    whose quote or note holds it, from a plain scan of the generated evidence file."""
    holding: dict[str, set[str]] = {}
    with (data.folder / "evidence.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            for word in f"{row['quote']} {row['note']}".lower().replace(".", " ").split():
                holding.setdefault(fold(word), set()).add(row["id"])
    return holding


def word_check(base: kb.KnowledgeBase, data: DataSet, seed: int) -> dict[str, Any]:
    """Every item the scan finds is found by kb, for words typed with and without accents.

    Rare words (at most `MAX_SEARCH_LIMIT` items) are compared item by item; the common
    words, which a third of the items hold, by count: the items kb's search keeps must be
    at least those the scan finds (document titles may add more).
    """
    from kb.analyses.evidence import MAX_SEARCH_LIMIT

    holding = scanned(data)
    written = {fold(w): w for w in vocabulary(random.Random(seed))[0]}
    rng = random.Random(seed)
    rare = sorted(w for w, ids in holding.items() if w in written and len(ids) <= 200)
    sample = [data.rare_word, *rng.sample(rare, min(40, len(rare)))]
    missed: dict[str, int] = {}
    for word in sample:
        for typed in {word, written.get(word, word)}:
            hits = base.search(typed, limit=MAX_SEARCH_LIMIT)
            lost = holding[word] - {h["id"] for h in hits}
            if lost:
                missed[typed] = len(lost)
    for word in COMMON:
        for typed in {word, fold(word)}:
            page = base.read(
                "evidence/search",
                query=typed if typed == fold(typed) else f"({fold(typed)}) OR ({typed})",
                fetch=2_000_000_000,
                limit=1,
            )[0]
            if page["kept"] < len(holding.get(fold(word).lower(), ())):
                missed[typed] = len(holding[fold(word).lower()]) - page["kept"]
    return {"words_checked": len(sample) + len(COMMON), "words_missing_items": missed}


def answer(hits: list[dict[str, Any]]) -> list[Any]:
    """kb's answer in the reference's shape."""
    keys = {"ties": "tie", "memberships": "membership", "meetings": "attendance"}
    keys |= {"positions": "position"}
    out = []
    for hit in hits:
        supports = {(what, s["id"]) for key, what in keys.items() for s in hit[key]}
        supports |= {("mention", a["id"]) for a in hit["actors"]}
        out.append((hit["id"], hit["score"], sorted(supports)))
    return out


def timed(call: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return 1000 * (time.perf_counter() - started), result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(base: kb.KnowledgeBase, data: DataSet, args: argparse.Namespace) -> dict[str, Any]:
    texts = {
        "common word": "equipe",
        "common word 2": "aines",
        "rare word": data.rare_word,
        "phrase": '"porte frapper"',
        "AND": "developpement AND social",
        "prefix": "interv*",
    }
    filters = {**FILTERS, "--actor rare": {"actor": data.rare_actor}}
    specs = [(t, f) for t in texts for f in filters]
    for label, f in specs:  # warm up the plans and the index readers; not timed
        base.search(texts[label], limit=args.limit, **filters[f])
        reference(base, texts[label], args.limit, **filters[f])
    kb_ms: dict[tuple[str, str], list[float]] = {s: [] for s in specs}
    ref_ms: dict[tuple[str, str], list[float]] = {s: [] for s in specs}
    scan_ms: list[float] = []
    found: dict[tuple[str, str], int] = {}
    checks: dict[tuple[str, str], bool] = {}
    for round_ in range(args.repeat):
        log(f"  round {round_ + 1}/{args.repeat} (load {load_average()})")
        order = specs if round_ % 2 == 0 else specs[::-1]
        for spec in order:
            text, chosen = texts[spec[0]], filters[spec[1]]
            ms, hits = timed(lambda: base.search(text, limit=args.limit, **chosen))  # noqa: B023
            ref, expected = timed(lambda: reference(base, text, args.limit, **chosen))  # noqa: B023
            kb_ms[spec].append(ms)
            ref_ms[spec].append(ref)
            found[spec] = len(hits)
            checks[spec] = checks.get(spec, True) and answer(hits) == expected
        ms, _ = timed(
            lambda: base.driver.execute_query(SCAN, {"w": "équipe"}, database_=base.database)
        )
        scan_ms.append(ms)
    rows = [
        {
            "text": spec[0],
            "query": texts[spec[0]],
            "filter": spec[1],
            "items": found[spec],
            "kb_ms": statistics.median(kb_ms[spec]),
            "reference_ms": statistics.median(ref_ms[spec]),
            "check": "ok" if checks[spec] else "DIFFERENT",
        }
        for spec in specs
    ]
    every_kb = [v for values in kb_ms.values() for v in values]
    every_ref = [v for values in ref_ms.values() for v in values]
    return {
        "rows": rows,
        "kb_median_ms": statistics.median(every_kb),
        "kb_p95_ms": percentile(every_kb, 0.95),
        "kb_max_ms": max(every_kb),
        "reference_median_ms": statistics.median(every_ref),
        "scan_median_ms": statistics.median(scan_ms),
        "runs": len(every_kb),
        "checks_ok": all(checks.values()),
    }


def measure_process(args: argparse.Namespace, base: kb.KnowledgeBase) -> dict[str, float]:
    """`kb search equipe` as a command, against the library call and the imports alone
    (kb's command line and the neo4j driver, as the command loads them)."""
    command = [str(Path(sys.executable).with_name("kb")), "search", "equipe", "-f", "json"]
    imports = [sys.executable, "-c", "import kb.cli, kb._neo4j; kb._neo4j.load()"]
    process, bare, library = [], [], []
    for _ in range(args.process_runs):
        ms, done = timed(lambda: subprocess.run(command, capture_output=True, check=False))
        if done.returncode != 0:
            raise SystemExit(f"kb search failed: {done.stderr.decode()}")
        process.append(ms)
        bare.append(timed(lambda: subprocess.run(imports, check=True))[0])
        library.append(timed(lambda: base.search("equipe"))[0])
    return {
        "process_ms": statistics.median(process),
        "imports_ms": statistics.median(bare),
        "library_ms": statistics.median(library),
    }


# --- output ------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 1)
    except OSError:
        return None


def table(result: dict[str, Any]) -> str:
    lines = [
        f"kb search benchmark -- {result['evidence']:,} evidence items, {result['ties']:,} ties, "
        f"limit {result['limit']}, median of {result['repeat']} runs each; load average "
        f"{result['load_start']} at the start, {result['load_end']} at the end",
        "",
        f"{'search':<14} {'query':<26} {'filter':<17} {'items':>5} {'kb ms':>7} "
        f"{'ref ms':>7} {'speed-up':>8}  check",
    ]
    for row in result["rows"]:
        lines.append(
            f"{row['text']:<14} {row['query']:<26} {row['filter']:<17} {row['items']:>5} "
            f"{row['kb_ms']:>7.1f} {row['reference_ms']:>7.1f} "
            f"{row['reference_ms'] / row['kb_ms']:>7.1f}x  {row['check']}"
        )
    s = result
    words = s["word_check"]
    lines += [
        "",
        f"all {s['runs']} kb searches: median {s['kb_median_ms']:.1f} ms, p95 "
        f"{s['kb_p95_ms']:.1f} ms, max {s['kb_max_ms']:.1f} ms "
        f"(target: median < {TARGET_MS:.0f} ms: {'met' if s['target_met'] else 'NOT met'})",
        f"reference (previous implementation): median {s['reference_median_ms']:.1f} ms; "
        f"ratio kb / reference {s['ratio_to_reference']:.3f}",
        f"substring scan baseline: median {s['scan_median_ms']:.1f} ms; ratio kb / scan "
        f"{s['ratio_to_scan']:.2f}",
        f"same items, scores, order and supports as the reference: {s['checks_ok']}",
        f"every item a word scan of the quotes finds, found by kb ({words['words_checked']} "
        "words, typed with and without accents): "
        f"{not words['words_missing_items'] or words['words_missing_items']}",
    ]
    if "process" in s:
        p = s["process"]
        lines.append(
            f"`kb search equipe -f json` as a process: median {p['process_ms']:.0f} ms "
            f"(library call {p['library_ms']:.0f} ms; starting Python and importing kb.cli "
            f"and the driver {p['imports_ms']:.0f} ms)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--evidence", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each search")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--process-runs", type=int, default=5, help="0: skip")
    parser.add_argument("--workdir", type=Path, help="keep the generated files here")
    parser.add_argument("--reuse", action="store_true", help="keep a loaded data set")
    parser.add_argument("--yes", action="store_true", help="empty a non-empty database")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, kb.connect() as base:
        work = args.workdir or Path(tmp)
        nodes = base.status()["nodes"]
        if nodes and not (args.yes or args.reuse):
            raise SystemExit(f"The database holds {nodes} nodes; the benchmark empties it: --yes")
        log(f"generating {args.evidence:,} evidence items ...")
        data = generate(work / f"search-{args.evidence}-{args.seed}", args.evidence, args.seed)
        load(base, data, args.reuse)
        load_start = load_average()
        result: dict[str, Any] = {
            "evidence": data.evidence,
            "ties": data.ties,
            "limit": args.limit,
            "repeat": args.repeat,
            "load_start": load_start,
            **measure(base, data, args),
        }
        result["word_check"] = word_check(base, data, args.seed)
        if args.process_runs:
            result["process"] = measure_process(args, base)
        result["load_end"] = load_average()
    result["ratio_to_reference"] = result["kb_median_ms"] / result["reference_median_ms"]
    result["ratio_to_scan"] = result["kb_median_ms"] / result["scan_median_ms"]
    result["target_met"] = result["kb_median_ms"] < TARGET_MS
    print(json.dumps(result, indent=2) if args.json else table(result))


if __name__ == "__main__":
    main()
