"""Analysis benchmark: kb's analyses against one plain Cypher query plus igraph / numpy.

For each size (number of actors) it generates a synthetic case in kb's CSV import format --
the ties come from ``bench/import_bench.py``'s generator (about 10 ties per actor, spells in
2010-2020, a third of the ties undirected, hub actors), to which this script adds stages,
reforms with effects on organizations, memberships, problems, positions, meetings and
attendance -- imports it with ``KnowledgeBase.import_data`` and times every analysis twice:

* **kb**: the ``KnowledgeBase`` method, fetch included (``kb Cypher s`` is the part of that
  time spent in ``KnowledgeBase.read``: running the canned queries and turning records into
  dicts; the rest is Python);
* **baseline**: one plain Cypher query through the driver (``MATCH (a:Actor)-[t:TIE]->
  (b:Actor) RETURN a.id, b.id, t.directed, ...``; a few small extra queries where the measure
  needs memberships, reforms, stages or positions) and the same measure computed in memory
  with igraph or numpy.

Both sides' results are compared (the ``check`` column), so a fast but wrong baseline -- or
a kb regression -- shows up. The targets: kb within 3x the baseline at 10,000 actors, and
single-source ``reach`` under 100 ms (median of 20 sources). Every measurement runs in a
worker process with a per-run timeout (the baseline first, then kb, which is stopped once it
took 4x the baseline, since it fails the target by then); a killed run shows as ``>N`` s.
Measurements repeat ``--repeat`` times (the median is reported) until ``--budget`` seconds
are spent. A scaling section compares each analysis's growth from the smallest to the
largest size with the baseline's, which is what the measure itself requires on this data.

**It empties the database it is pointed at**; it refuses a non-empty one unless given
``--yes``. It is never part of the test suite.

Usage::

    KB_HOME=/tmp/kb-abench KB_BOLT_PORT=57687 python bench/analysis_bench.py \\
        [--sizes 1000,10000] [--repeat 3] [--only brokerage,reach] [--profile centrality]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import heapq
import io
import json
import math
import multiprocessing
import os
import platform
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import igraph
import numpy as np
from neo4j import RoutingControl

import kb
from kb.analyses.selection import Selection
from kb.periods import add_window

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_bench  # noqa: E402  (the import benchmark's synthetic tie generator)

DEFAULT_SIZES = (1_000, 10_000)
DEFAULT_SEED = 20240601
DEFAULT_REPEAT = 3
TIES_PER_ACTOR = 10
GENERATOR_VERSION = 1  # bump when the added tables change, so cached folders are rebuilt
MANIFEST = ".bench.json"  # a dot-file: kb's folder reader ignores it

TARGET_SIZE = 10_000
TARGET_RATIO = 3.0
TARGET_REACH_SECONDS = 0.100
SCALING_SLACK = 2.0  # kb growing more than this times the baseline's growth is flagged
KILL_RATIO = 4.0  # a kb run is stopped once it took this many times the baseline's
MIN_TIMEOUT = 30.0  # ... but never before this many seconds

AT = "2016-06-15"
REFORM = "reform-2015"
WINDOW = "12m"
FROM_GROUP, TO_GROUP = "community", "public"
MAX_HOPS = 6
STAGES = (
    ("definition", "Problem definition", "2010", "2012"),
    ("mobilization", "Mobilization", "2013", "2015"),
    ("implementation", "Implementation", "2016", "2018"),
    ("consolidation", "Consolidation", "2019", "2020"),
)
REFORMS = (
    ("reform-2012", "Regional reorganisation", "2012-04-01"),
    (REFORM, "Health and social services merger", "2015-04-01"),
    ("reform-2018", "Community funding reform", "2018-07-01"),
)
EFFECTS = ("abolished", "merged_into", "created", "restructured")
PROBLEMS = 8
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
NEVER_BEFORE = date(1, 1, 1).toordinal()  # an empty start ("since before observation")
NEVER_AFTER = date(9999, 12, 31).toordinal()  # an empty end ("still going")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- synthetic case ------------------------------------------------------------------------


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def _read_actors(folder: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(id, sector) of the persons and of the organizations the tie generator wrote."""

    def read(name: str) -> list[tuple[str, str]]:
        with (folder / name).open(encoding="utf-8", newline="") as stream:
            return [(row["id"], row["sector"]) for row in csv.DictReader(stream)]

    return read("actors.csv"), read("organizations.csv")


def _day(rng: random.Random, first: int, last: int) -> date:
    return date(first, 1, 1) + timedelta(
        days=rng.randrange((date(last, 12, 31) - date(first, 1, 1)).days)
    )


def add_context(folder: Path, rng: random.Random) -> dict[str, int]:
    """Add stages, reforms and their effects, memberships, problems, positions, meetings and
    attendance to the actors and ties already in ``folder``; return the row counts."""
    persons, organizations = _read_actors(folder)
    org_ids = [o for o, _ in organizations]
    everyone = [a for a, _ in persons] + org_ids
    counts: dict[str, int] = {}

    _write(folder / "stages.csv", ["id", "name", "start", "end"], [list(s) for s in STAGES])
    _write(
        folder / "reforms.csv",
        ["id", "name", "date", "jurisdiction"],
        [[*r, "Québec"] for r in REFORMS],
    )
    problems = [f"pb{i:02d}" for i in range(PROBLEMS)]
    _write(
        folder / "problems.csv",
        ["id", "statement"],
        [[p, f"Synthetic access problem {p}"] for p in problems],
    )

    memberships: dict[tuple[str, str, str, str], list[str]] = {}
    for person, _ in persons:
        for _ in range(1 if rng.random() < 0.6 else 2 if rng.random() < 0.5 else 0):
            start = _day(rng, 2006, 2017)
            role = rng.choice(("member", "director", "coordinator", "volunteer"))
            start_text = str(start.year) if rng.random() < 0.3 else start.isoformat()[:7]
            end = ""
            if rng.random() < 0.5:
                end = str(min(2020, start.year + rng.randint(1, 6)))
            organization = rng.choice(org_ids)
            memberships[(person, organization, role, start_text)] = [
                person,
                organization,
                role,
                start_text,
                end,
            ]
    _write(
        folder / "memberships.csv",
        ["person", "organization", "role", "start", "end"],
        list(memberships.values()),
    )
    counts["memberships"] = len(memberships)

    effects = []
    for reform, _, _ in REFORMS:
        for organization in rng.sample(org_ids, max(3, len(org_ids) * 3 // 100)):
            effect = rng.choice(EFFECTS)
            successor = ""
            if effect == "merged_into":
                successor = rng.choice([o for o in org_ids[:50] if o != organization])
            effects.append([reform, organization, effect, successor])
    _write(
        folder / "reform_effects.csv", ["reform", "organization", "effect", "successor"], effects
    )
    counts["reform_effects"] = len(effects)

    meetings, attendance = [], []
    for i in range(max(20, len(everyone) // 10)):
        day = _day(rng, 2010, 2020)
        discussed = ";".join(sorted(rng.sample(problems, rng.choice((1, 1, 2)))))
        meetings.append([f"m{i:06d}", day.isoformat(), f"Meeting {i}", discussed])
        attendance += [[f"m{i:06d}", a] for a in rng.sample(everyone, rng.randint(3, 15))]
    _write(folder / "meetings.csv", ["id", "date", "title", "problems"], meetings)
    _write(folder / "attendance.csv", ["meeting", "actor"], attendance)
    counts["meetings"], counts["attendance"] = len(meetings), len(attendance)

    positions: dict[tuple[str, str, str], list[str]] = {}
    for actor in rng.sample(everyone, len(everyone) * 3 // 10):
        for _ in range(rng.randint(1, 3)):
            problem = rng.choice(problems)
            day_text = _day(rng, 2010, 2020).isoformat()
            stance = rng.choice(("agree", "agree", "disagree", "neutral"))
            positions[(actor, problem, day_text)] = [actor, problem, stance, day_text]
    _write(
        folder / "positions.csv", ["actor", "problem", "stance", "date"], list(positions.values())
    )
    counts["positions"] = len(positions)
    return counts


def ensure_case(workdir: Path, actors: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The folder of the ``actors``-size case, generated unless a finished one is cached."""
    version = f"v{GENERATOR_VERSION}.{import_bench.GENERATOR_VERSION}"
    folder = workdir / f"actors-{actors}-seed-{seed}-{version}"
    manifest = folder / MANIFEST
    if manifest.exists():
        return folder, json.loads(manifest.read_text())
    partial = folder.with_name(folder.name + ".partial")
    for stale in (folder, partial):
        if stale.exists():
            shutil.rmtree(stale)
    started = time.perf_counter()
    shape = import_bench.generate(partial, actors * TIES_PER_ACTOR, seed=seed)
    counts = add_context(partial, random.Random(seed * 7_919 + actors))
    info = {"shape": asdict(shape), "added": counts, "seed": seed}
    (partial / MANIFEST).write_text(json.dumps(info, indent=2))
    partial.rename(folder)
    log(f"generated {folder} in {time.perf_counter() - started:.1f} s")
    return folder, info


@dataclass
class Case:
    """What the measured calls need to know about one loaded case."""

    size: int
    reach_sources: list[str]
    path_pairs: list[tuple[str, str]]


def pick_case(folder: Path, size: int, seed: int, reach_runs: int, pairs: int) -> Case:
    persons, organizations = _read_actors(folder)
    by_sector: dict[str, list[str]] = defaultdict(list)
    for actor, sector in persons + organizations:
        by_sector[sector].append(actor)
    rng = random.Random(seed + size)
    sources = sorted(by_sector[FROM_GROUP])
    targets = sorted(by_sector[TO_GROUP])
    return Case(
        size=size,
        reach_sources=rng.sample(sources, reach_runs),
        path_pairs=[(rng.choice(sources), rng.choice(targets)) for _ in range(pairs)],
    )


# --- baseline: one plain query, then igraph / numpy ----------------------------------------


@dataclass
class Edges:
    """Ties fetched with one plain query, as numpy arrays over actor indices 0..n-1."""

    ids: list[str]  # index -> actor id (actors with at least one tie)
    groups: np.ndarray  # index -> group code
    group_names: list[str]
    source: np.ndarray
    target: np.ndarray
    directed: np.ndarray
    start: np.ndarray  # first day (ordinal); NEVER_BEFORE when empty
    end: np.ndarray  # last day (ordinal); NEVER_AFTER when empty
    weight: np.ndarray
    extra: list[list[Any]] = field(default_factory=list)  # further columns, per tie

    @property
    def n(self) -> int:
        return len(self.ids)

    def active(self, first: date | None, last: date | None) -> np.ndarray:
        """Mask of the ties whose spell overlaps [first, last] (all ties without bounds)."""
        mask = np.ones(len(self.source), dtype=bool)
        if last is not None:
            mask &= self.start <= last.toordinal()
        if first is not None:
            mask &= self.end >= first.toordinal()
        return mask


def run_query(ctx: Context, query: str, **params: Any) -> list[list[Any]]:
    records, _, _ = ctx.driver.execute_query(
        query, params, database_=ctx.database, routing_=RoutingControl.READ
    )
    return [record.values() for record in records]


def _ordinal(value: Any, empty: int) -> int:
    return empty if value is None else int(value.to_ordinal())


def fetch_edges(
    ctx: Context,
    *,
    period: tuple[date, date] | None = None,
    dates: bool = False,
    weight: bool = False,
    extra: str = "",
) -> Edges:
    """``MATCH (a:Actor)-[t:TIE]->(b:Actor) RETURN a.id, b.id, ...``: the baseline's fetch."""
    columns = "a.id, b.id, a.sector, b.sector, coalesce(t.directed, true) AS directed"
    columns += ", t.start_first, t.end_last" if dates else ", null AS start, null AS end"
    columns += ", t.weight" if weight else ", null AS weight"
    columns += f", {extra}" if extra else ""
    where = ""
    params: dict[str, Any] = {}
    if period is not None:
        where = (
            "WHERE (t.start_first IS NULL OR t.start_first <= $last) "
            "AND (t.end_last IS NULL OR t.end_last >= $first) "
        )
        params = {"first": period[0], "last": period[1]}
    rows = run_query(ctx, f"MATCH (a:Actor)-[t:TIE]->(b:Actor) {where}RETURN {columns}", **params)
    index: dict[str, int] = {}
    group_index: dict[str, int] = {}
    groups: list[int] = []
    source, target, directed, start, end, weights = [], [], [], [], [], []
    for row in rows:
        for position in (0, 1):
            if row[position] not in index:
                index[row[position]] = len(index)
                group = "(none)" if row[position + 2] is None else str(row[position + 2])
                groups.append(group_index.setdefault(group, len(group_index)))
        source.append(index[row[0]])
        target.append(index[row[1]])
        directed.append(bool(row[4]))
        start.append(_ordinal(row[5], NEVER_BEFORE))
        end.append(_ordinal(row[6], NEVER_AFTER))
        weights.append(1.0 if row[7] is None else float(row[7]))
    return Edges(
        ids=list(index),
        groups=np.array(groups, dtype=np.int64),
        group_names=list(group_index),
        source=np.array(source, dtype=np.int64),
        target=np.array(target, dtype=np.int64),
        directed=np.array(directed, dtype=bool),
        start=np.array(start, dtype=np.int64),
        end=np.array(end, dtype=np.int64),
        weight=np.array(weights, dtype=np.float64),
        extra=[row[8:] for row in rows] if extra else [],
    )


def arcs_of(
    edges: Edges, mask: np.ndarray | None = None, *, weights: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Distinct arcs (undirected ties both ways, no self-loops), sorted by (source, target);
    with ``weights`` also the summed weight of each arc."""
    s, t, d, w = edges.source, edges.target, edges.directed, edges.weight
    if mask is not None:
        s, t, d, w = s[mask], t[mask], d[mask], w[mask]
    a = np.concatenate([s, t[~d]])
    b = np.concatenate([t, s[~d]])
    loop = a != b
    codes = a[loop] * edges.n + b[loop]
    if not weights:
        codes = np.unique(codes)
        return codes // edges.n, codes % edges.n, None
    codes, inverse = np.unique(codes, return_inverse=True)
    summed = np.bincount(inverse, weights=np.concatenate([w, w[~d]])[loop])
    return codes // edges.n, codes % edges.n, summed


def graph_of(n: int, a: np.ndarray, b: np.ndarray) -> igraph.Graph:
    return igraph.Graph(n=n, edges=np.column_stack([a, b]).tolist(), directed=True)


def open_two_paths(n: int, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every open two-path x -> y -> z (distinct, no arc x -> z) of the distinct arcs a -> b,
    sorted by (a, b), by vectorised numpy: each arc x -> y is paired with each arc out of y."""
    out_degree = np.bincount(a, minlength=n)
    out_start = np.concatenate([[0], np.cumsum(out_degree)[:-1]])
    repeats = out_degree[b]
    total = int(repeats.sum())
    x = np.repeat(a, repeats)
    y = np.repeat(b, repeats)
    offsets = np.arange(total) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    z = b[np.repeat(out_start[b], repeats) + offsets]
    keep = x != z
    x, y, z = x[keep], y[keep], z[keep]
    codes = a * n + b  # sorted, since the arcs are
    closing = x * n + z
    where = np.minimum(np.searchsorted(codes, closing), len(codes) - 1)
    keep = codes[where] != closing
    return x[keep], y[keep], z[keep]


def role_codes(gx: np.ndarray, gy: np.ndarray, gz: np.ndarray) -> np.ndarray:
    """Index into ROLES of the Gould-Fernandez role of each two-path x -> y -> z."""
    roles = np.full(len(gx), 4, dtype=np.int64)  # liaison
    roles[(gx == gz) & (gx != gy)] = 1  # itinerant
    roles[(gx == gy) & (gy != gz)] = 2  # representative
    roles[(gy == gz) & (gx != gy)] = 3  # gatekeeper
    roles[(gx == gy) & (gy == gz)] = 0  # coordinator
    return roles


def base_brokerage(ctx: Context, period: tuple[date, date] | None) -> dict[str, Any]:
    edges = fetch_edges(ctx, period=period)
    a, b, _ = arcs_of(edges)
    x, y, z = open_two_paths(edges.n, a, b)
    g = edges.groups
    per_actor = np.bincount(y * 5 + role_codes(g[x], g[y], g[z]), minlength=edges.n * 5)
    per_actor = per_actor.reshape(edges.n, 5)
    return {"edges": edges, "per_actor": per_actor}


def base_centrality(ctx: Context, weighted: bool) -> dict[str, Any]:
    edges = fetch_edges(ctx, weight=weighted)
    a, b, w = arcs_of(edges, weights=weighted)
    graph = graph_of(edges.n, a, b)
    if w is not None:
        graph.es["weight"] = w.tolist()
    return {
        "edges": edges,
        "betweenness": graph.betweenness(directed=True),
        "degree": graph.as_undirected(mode="collapse").degree(),
        "in_degree": graph.indegree(),
        "out_degree": graph.outdegree(),
        "constraint": graph.constraint(weights="weight" if weighted else None),
    }


def _years(edges: Edges) -> list[int]:
    days = np.concatenate(
        [edges.start[edges.start != NEVER_BEFORE], edges.end[edges.end != NEVER_AFTER]]
    )
    first, last = date.fromordinal(int(days.min())), date.fromordinal(int(days.max()))
    return list(range(first.year, last.year + 1))


def base_evolution(ctx: Context) -> dict[str, dict[str, Any]]:
    edges = fetch_edges(ctx, dates=True)
    rows: dict[str, dict[str, Any]] = {}
    previous: np.ndarray | None = None
    for year in _years(edges):
        a, b, _ = arcs_of(edges, edges.active(date(year, 1, 1), date(year, 12, 31)))
        pairs = np.unique(np.minimum(a, b) * edges.n + np.maximum(a, b))
        low, high = pairs // edges.n, pairs % edges.n
        tied = np.unique(np.concatenate([low, high]))
        n = len(tied)
        within = int((edges.groups[low] == edges.groups[high]).sum())
        components = graph_of(n, np.searchsorted(tied, low), np.searchsorted(tied, high))
        rows[str(year)] = {
            "actors": n,
            "arcs": len(a),
            "pairs": len(pairs),
            "density": len(a) / (n * (n - 1)) if n >= 2 else None,
            "components": len(components.connected_components(mode="weak")),
            "within_pairs": within,
            "between_pairs": len(pairs) - within,
            "formed": None if previous is None else len(np.setdiff1d(pairs, previous, True)),
            "dissolved": None if previous is None else len(np.setdiff1d(previous, pairs, True)),
        }
        previous = pairs
    return rows


def base_legitimacy(ctx: Context) -> dict[str, int]:
    edges = fetch_edges(ctx, dates=True)
    stages = run_query(ctx, "MATCH (s:Stage) RETURN s.id, s.start_first, s.end_last")
    names = np.array(edges.group_names)[edges.groups]
    sources = np.flatnonzero(names == FROM_GROUP)
    targets = np.flatnonzero(names == TO_GROUP)
    reached: dict[str, int] = {}
    for stage, first, last in stages:
        a, b, _ = arcs_of(edges, edges.active(first.to_native(), last.to_native()))
        distances = np.array(
            graph_of(edges.n, a, b).distances(source=sources, target=targets, mode="out")
        )
        counts = ((distances > 0) & (distances <= MAX_HOPS)).sum(axis=1)
        for source, count in zip(sources, counts, strict=True):
            if count:
                reached[f"{stage}|{edges.ids[source]}"] = int(count)
    return reached


def base_reach(ctx: Context, source: str) -> dict[str, int]:
    edges = fetch_edges(ctx)
    a, b, _ = arcs_of(edges)
    index = {actor: i for i, actor in enumerate(edges.ids)}
    if source not in index:
        return {}
    vids, layers, parents = graph_of(edges.n, a, b).bfs(index[source], mode="out")
    is_target = np.array(edges.group_names)[edges.groups] == TO_GROUP
    found: dict[str, int] = {}
    for hops in range(1, min(MAX_HOPS, len(layers) - 2) + 1):
        for vid in vids[layers[hops] : layers[hops + 1]]:
            if is_target[vid]:
                path = [vid]
                while path[-1] != index[source]:
                    path.append(parents[path[-1]])
                found[edges.ids[vid]] = hops
    return found


def base_paths(ctx: Context, pair: tuple[str, str]) -> dict[str, int]:
    edges = fetch_edges(ctx)
    a, b, _ = arcs_of(edges)
    index = {actor: i for i, actor in enumerate(edges.ids)}
    if pair[0] not in index or pair[1] not in index:
        return {}
    paths = graph_of(edges.n, a, b).get_all_shortest_paths(
        index[pair[0]], to=index[pair[1]], mode="out"
    )
    if not paths or len(paths[0]) - 1 > MAX_HOPS:
        return {}
    return {"hops": len(paths[0]) - 1, "paths": len(paths)}


def base_time_respecting(ctx: Context, pair: tuple[str, str]) -> dict[str, Any]:
    """Earliest arrival (then fewest hops) by a label-setting search over (day, hops)."""
    edges = fetch_edges(ctx, dates=True)
    index = {actor: i for i, actor in enumerate(edges.ids)}
    if pair[0] not in index or pair[1] not in index:
        return {}
    d = edges.directed
    tails = np.concatenate([edges.source, edges.target[~d]])
    heads = np.concatenate([edges.target, edges.source[~d]])
    starts = np.concatenate([edges.start, edges.start[~d]])
    ends = np.concatenate([edges.end, edges.end[~d]])
    order = np.argsort(tails, kind="stable")
    pointer = np.concatenate([[0], np.cumsum(np.bincount(tails, minlength=edges.n))]).tolist()
    heads_l, starts_l, ends_l = heads[order].tolist(), starts[order].tolist(), ends[order].tolist()
    source, goal = index[pair[0]], index[pair[1]]
    settled = [MAX_HOPS + 10**9] * edges.n
    heap = [(NEVER_BEFORE, 0, source)]
    while heap:
        day, hops, node = heapq.heappop(heap)
        if hops >= settled[node]:
            continue
        settled[node] = hops
        if node == goal:
            if hops > MAX_HOPS:
                return {}
            arrival = None if day == NEVER_BEFORE else date.fromordinal(day).isoformat()
            return {"arrival": arrival, "hops": hops}
        for k in range(pointer[node], pointer[node + 1]):
            head = heads_l[k]
            if hops + 1 < settled[head]:
                when = max(day, starts_l[k])
                if when <= ends_l[k]:
                    heapq.heappush(heap, (when, hops + 1, head))
    return {}


def base_broken_ties(ctx: Context) -> dict[str, Any]:
    edges = fetch_edges(ctx, dates=True, extra="t.id, t.evidence")
    reform_day = run_query(ctx, "MATCH (r:ReformEvent {id: $id}) RETURN r.date_first", id=REFORM)
    day = reform_day[0][0].to_native()
    eve, until = (day - timedelta(days=1)).toordinal(), add_window(day, WINDOW).toordinal()
    affected = dict(
        run_query(ctx, "MATCH (:ReformEvent {id: $id})-[:AFFECTED]->(o) RETURN o.id, 1", id=REFORM)
    )
    members: dict[str, set[str]] = defaultdict(set)
    for person, organization, first, last in run_query(
        ctx,
        "MATCH (p:Person)-[m:MEMBER_OF]->(o:Organization) "
        "RETURN p.id, o.id, m.start_first, m.end_last",
    ):
        if organization in affected and _ordinal(first, NEVER_BEFORE) <= eve <= _ordinal(
            last, NEVER_AFTER
        ):
            members[person].add(organization)
    hits = np.flatnonzero(
        (edges.start <= eve)
        & (edges.end != NEVER_AFTER)
        & (edges.end >= eve)
        & (edges.end <= until)
    )
    broken: dict[str, set[tuple[str, str]]] = {}
    for k in hits.tolist():
        ends = (edges.ids[edges.source[k]], edges.ids[edges.target[k]])
        found = {(actor, actor) for actor in ends if actor in affected}
        found |= {(o, actor) for actor in ends for o in members.get(actor, ())}
        if found:
            broken[edges.extra[k][0]] = found
    evidence_ids = sorted({e for k in hits.tolist() for e in (edges.extra[k][1] or [])})
    run_query(
        ctx,
        "MATCH (e:Evidence) WHERE e.id IN $ids RETURN e.id, e.kind, e.date, e.quote, e.location",
        ids=evidence_ids,
    )
    return {"ties": sorted(broken), "effects": sum(len(v) for v in broken.values())}


def base_brokerage_change(ctx: Context) -> dict[str, Any]:
    edges = fetch_edges(ctx, dates=True)
    reform_day = run_query(ctx, "MATCH (r:ReformEvent {id: $id}) RETURN r.date_first", id=REFORM)
    day = reform_day[0][0].to_native()
    n, g = edges.n, edges.groups
    opened = []
    for when in (day - timedelta(days=1), add_window(day, WINDOW)):
        a, b, _ = arcs_of(edges, edges.active(when, when))
        x, y, z = open_two_paths(n, a, b)
        opened.append(np.sort((x * n + y) * n + z))
    before, after = opened
    kept = np.intersect1d(before, after, assume_unique=True)
    lost = np.setdiff1d(before, after, assume_unique=True)
    gained = np.setdiff1d(after, before, assume_unique=True)

    def per_broker(codes: np.ndarray) -> np.ndarray:
        return np.bincount((codes // n) % n, minlength=n)

    def by_role(codes: np.ndarray) -> dict[str, int]:
        x, y, z = codes // (n * n), (codes // n) % n, codes % n
        counts = np.bincount(role_codes(g[x], g[y], g[z]), minlength=5)
        return {role: int(c) for role, c in zip(ROLES, counts, strict=True) if c}

    columns = [per_broker(c) for c in (before, after, kept, lost, gained)]
    return {
        "actors": {
            edges.ids[i]: [int(c[i]) for c in columns]
            for i in range(n)
            if columns[0][i] or columns[1][i]
        },
        "lost_by_role": by_role(lost),
        "gained_by_role": by_role(gained),
    }


def base_consensus(ctx: Context) -> dict[str, list[int]]:
    span = run_query(
        ctx,
        "MATCH ()-[t:TIE]->() RETURN min(t.start_first), min(t.end_last), "
        "max(t.end_last), max(t.start_last)",
    )[0]
    days = [d.to_native() for d in span if d is not None]
    years = range(min(days).year, max(days).year + 1)
    positions = run_query(
        ctx,
        "MATCH (a:Actor)-[p:TAKES_POSITION]->(pr:Problem) "
        "RETURN pr.id, a.id, p.stance, p.date_first ORDER BY pr.id, p.date_first, a.id",
    )
    meetings = run_query(
        ctx,
        "MATCH (a:Actor)-[:ATTENDED]->(m:Meeting) WHERE m.problems IS NOT NULL "
        "RETURN m.id, m.problems, m.date_first, m.date_last, collect(a.id)",
    )
    by_problem: dict[str, list[tuple[str, str, date | None]]] = defaultdict(list)
    for problem, actor, stance, first in positions:
        by_problem[problem].append((actor, stance, first and first.to_native()))
    discussed = [
        (
            [p.strip() for p in problems.split(";") if p.strip()],
            first.to_native(),
            last.to_native(),
            sorted(set(people)),
        )
        for _, problems, first, last, people in meetings
    ]
    rows: dict[str, list[int]] = {}
    for year in years:
        lo, hi = date(year, 1, 1), date(year, 12, 31)
        pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
        count: Counter[str] = Counter()
        for problems, first, last, people in discussed:
            if first <= hi and last >= lo:
                for problem in problems:
                    count[problem] += 1
                    pairs[problem].update(
                        (p, q) for i, p in enumerate(people) for q in people[i + 1 :]
                    )
        for problem, taken in by_problem.items():
            stances = {actor: stance for actor, stance, first in taken if not first or first <= hi}
            tally = Counter(stances.values())
            rows[f"{problem}|{year}"] = [
                len(stances),
                tally["agree"],
                tally["disagree"],
                tally["neutral"],
                count[problem],
                len(pairs[problem]),
            ]
    return rows


# --- the analyses: kb call, baseline call, and comparable summaries ---------------------------


def _digest(result: Any) -> Any:
    return result


def _brokerage_summary_kb(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "network": {role: result["network"][role]["raw"] for role in ROLES},
        "actors": {
            a["id"]: a["roles"]["total"]["raw"]
            for a in result["actors"]
            if a["roles"]["total"]["raw"]
        },
    }


def _brokerage_summary_base(result: dict[str, Any]) -> dict[str, Any]:
    edges, per_actor = result["edges"], result["per_actor"]
    totals = per_actor.sum(axis=1)
    return {
        "network": {role: int(per_actor[:, k].sum()) for k, role in enumerate(ROLES)},
        "actors": {edges.ids[i]: int(t) for i, t in enumerate(totals) if t},
    }


CENTRALITY_KEYS = ("betweenness", "degree", "in_degree", "out_degree", "constraint")


def _centrality_summary_kb(result: dict[str, Any]) -> dict[str, Any]:
    return {key: {a["id"]: a[key] for a in result["actors"] if a[key]} for key in CENTRALITY_KEYS}


def _centrality_summary_base(result: dict[str, Any]) -> dict[str, Any]:
    ids = result["edges"].ids
    return {
        key: {ids[i]: v for i, v in enumerate(result[key]) if v and v == v}
        for key in CENTRALITY_KEYS
    }


EVOLUTION_KEYS = (
    "actors",
    "arcs",
    "pairs",
    "density",
    "components",
    "within_pairs",
    "between_pairs",
    "formed",
    "dissolved",
)


@dataclass(frozen=True)
class Analysis:
    """One row of the table: how kb runs it, how the baseline runs it, and how to compare."""

    name: str
    kb: Callable[[Context, Any], Any]
    baseline: Callable[[Context, Any], Any]
    kb_summary: Callable[[Any], Any] = _digest
    base_summary: Callable[[Any], Any] = _digest
    inputs: str = "repeat"  # "repeat", "sources" (reach) or "pairs" (paths)


ANALYSES: tuple[Analysis, ...] = (
    Analysis(
        "brokerage",
        lambda c, _: c.base.brokerage(group_by="sector"),
        lambda c, _: base_brokerage(c, None),
        _brokerage_summary_kb,
        _brokerage_summary_base,
    ),
    Analysis(
        f"brokerage --at {AT}",
        lambda c, _: c.base.brokerage(Selection.build(at=AT), group_by="sector"),
        lambda c, _: base_brokerage(c, (date.fromisoformat(AT), date.fromisoformat(AT))),
        _brokerage_summary_kb,
        _brokerage_summary_base,
    ),
    Analysis(
        "centrality",
        lambda c, _: c.base.centrality(),
        lambda c, _: base_centrality(c, False),
        _centrality_summary_kb,
        _centrality_summary_base,
    ),
    Analysis(
        "centrality --weight weight",
        lambda c, _: c.base.centrality(weight="weight"),
        lambda c, _: base_centrality(c, True),
        _centrality_summary_kb,
        _centrality_summary_base,
    ),
    Analysis(
        "evolution --by year",
        lambda c, _: c.base.evolution(by="year", group_by="sector"),
        lambda c, _: base_evolution(c),
        lambda rows: {r["period"]: {k: r[k] for k in EVOLUTION_KEYS} for r in rows},
    ),
    Analysis(
        "legitimacy --by stage",
        lambda c, _: c.base.legitimacy(from_group=FROM_GROUP, to_group=TO_GROUP, by="stage"),
        lambda c, _: base_legitimacy(c),
        lambda rows: {f"{r['period']}|{r['source']}": r["reached"] for r in rows if r["reached"]},
    ),
    Analysis(
        "reach (single source)",
        lambda c, source: c.base.legitimacy_of_source(source, to_group=TO_GROUP),
        base_reach,
        lambda rows: {r["target"]: r["hops"] for r in rows},
        inputs="sources",
    ),
    Analysis(
        "paths (shortest)",
        lambda c, pair: c.base.paths(*pair),
        base_paths,
        lambda r: (
            {"hops": r["paths"][0]["hops"], "paths": len({tuple(p["actors"]) for p in r["paths"]})}
            if r["paths"]
            else {}
        ),
        inputs="pairs",
    ),
    Analysis(
        "paths (time-respecting)",
        lambda c, pair: c.base.paths(*pair, time_respecting=True),
        base_time_respecting,
        lambda r: (
            {
                "arrival": r["paths"][0]["arrival"] and r["paths"][0]["arrival"].isoformat(),
                "hops": r["paths"][0]["hops"],
            }
            if r["paths"]
            else {}
        ),
        inputs="pairs",
    ),
    Analysis(
        f"broken_ties --reform {REFORM}",
        lambda c, _: c.base.broken_ties(reform=REFORM, window=WINDOW),
        lambda c, _: base_broken_ties(c),
        lambda rows: {
            "ties": sorted(r["tie"] for r in rows),
            "effects": sum(len(r["effects"]) for r in rows),
        },
    ),
    Analysis(
        f"brokerage_change --reform {REFORM}",
        lambda c, _: c.base.brokerage_change(reform=REFORM, window=WINDOW),
        lambda c, _: base_brokerage_change(c),
        lambda r: {
            "actors": {
                a["id"]: [a["before"], a["after"], a["kept"], a["lost"], a["gained"]]
                for a in r["actors"]
            },
            "lost_by_role": dict(sum((Counter(a["lost_by_role"]) for a in r["actors"]), Counter())),
            "gained_by_role": dict(
                sum((Counter(a["gained_by_role"]) for a in r["actors"]), Counter())
            ),
        },
    ),
    Analysis(
        "consensus --by year",
        lambda c, _: c.base.consensus(by="year"),
        lambda c, _: base_consensus(c),
        lambda rows: {
            f"{r['problem']}|{r['period']}": [
                r["actors"],
                r["agree"],
                r["disagree"],
                r["neutral"],
                r["meetings"],
                r["co_attending_pairs"],
            ]
            for r in rows
        },
    ),
)
BY_NAME = {a.name: a for a in ANALYSES}


def short_name(analysis: Analysis) -> str:
    """The first word: what ``--only`` and ``--profile`` match (brokerage, reach, ...)."""
    return analysis.name.split()[0]


def differences(kb_side: Any, baseline: Any, where: str = "") -> list[str]:
    """Where two summaries differ (numbers with a relative tolerance; a key missing on one
    side counts as 0 / None, since kb lists isolates the baseline never sees)."""
    if isinstance(kb_side, dict) and isinstance(baseline, dict):
        found: list[str] = []
        for key in sorted(set(kb_side) | set(baseline), key=str):
            found += differences(kb_side.get(key), baseline.get(key), f"{where}/{key}")
            if len(found) > 5:
                break
        return found
    if isinstance(kb_side, list | tuple) and isinstance(baseline, list | tuple):
        if len(kb_side) != len(baseline):
            return [f"{where}: {len(kb_side)} items vs {len(baseline)}"]
        return [
            d
            for i, (p, q) in enumerate(zip(kb_side, baseline, strict=True))
            for d in differences(p, q, f"{where}[{i}]")
        ]
    if not kb_side and not baseline:
        return []
    if isinstance(kb_side, int | float) and isinstance(baseline, int | float):
        if abs(kb_side - baseline) <= 1e-6 * max(1.0, abs(kb_side), abs(baseline)):
            return []
    elif kb_side == baseline:
        return []
    return [f"{where}: kb {kb_side!r} vs baseline {baseline!r}"]


# --- the worker process ---------------------------------------------------------------------


@dataclass
class Context:
    """What a measured call gets: kb's KnowledgeBase and the same driver for the baseline."""

    base: Any
    driver: Any
    database: str
    case: Case
    cypher_seconds: float = 0.0


def inputs_of(analysis: Analysis, case: Case, repeat: int) -> list[Any]:
    if analysis.inputs == "sources":
        return list(case.reach_sources)
    if analysis.inputs == "pairs":
        return list(case.path_pairs)
    return [None] * repeat


def worker_main(conn: Connection, settings: kb.Settings, case: Case) -> None:
    """Serve measurement requests from the parent, one at a time, over ``conn``."""
    with kb.connect(settings) as base:
        ctx = Context(base=base, driver=base.driver, database=base.database, case=case)
        read = base.read

        def timed_read(name: str, **params: Any) -> list[dict[str, Any]]:
            started = time.perf_counter()
            try:
                return read(name, **params)
            finally:
                ctx.cypher_seconds += time.perf_counter() - started

        base.read = timed_read  # type: ignore[method-assign]
        conn.send(("ready",))
        while True:
            request = conn.recv()
            if request[0] == "stop":
                return
            if request[0] == "warm-up":
                base.read("network/ties", types=None, weight=None, at_first=None, at_last=None)
                fetch_edges(ctx, dates=True, weight=True)
                conn.send(("done", 0))
                continue
            _, side, name, repeat, budget, profile = request
            analysis = BY_NAME[name]
            call = analysis.kb if side == "kb" else analysis.baseline
            summarize = analysis.kb_summary if side == "kb" else analysis.base_summary
            spent = 0.0
            todo = inputs_of(analysis, case, repeat)
            for done, item in enumerate(todo):
                if done and spent > budget:
                    conn.send(("done", len(todo) - done))
                    break
                profiler = cProfile.Profile() if profile and done == 0 else None
                ctx.cypher_seconds = 0.0
                try:
                    started = time.perf_counter()
                    if profiler:
                        profiler.enable()
                    result = call(ctx, item)
                    seconds = time.perf_counter() - started
                    if profiler:
                        profiler.disable()
                    summary = summarize(result)
                except Exception:  # reported in the table, so one failure does not stop all
                    conn.send(("error", traceback.format_exc(limit=4)))
                    break
                report = ""
                if profiler:
                    stream = io.StringIO()
                    stats = pstats.Stats(profiler, stream=stream)
                    stats.sort_stats("cumulative").print_stats(25)
                    report = stream.getvalue()
                spent += seconds
                cypher = ctx.cypher_seconds if side == "kb" else None
                conn.send(("run", seconds, cypher, summary, report))
            else:
                conn.send(("done", 0))


@dataclass
class Measurement:
    seconds: list[float] = field(default_factory=list)
    cypher: list[float] = field(default_factory=list)
    summaries: list[Any] = field(default_factory=list)
    skipped: int = 0
    timeout: float = 0.0  # the per-run limit it ran under
    timed_out: bool = False
    error: str = ""
    profile: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def p95(self) -> float | None:
        if not self.seconds:
            return None
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


class Worker:
    """A child process holding one kb connection; killed and replaced when a run times out."""

    def __init__(self, settings: kb.Settings, case: Case) -> None:
        self.settings, self.case = settings, case
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=worker_main, args=(child, self.settings, self.case), daemon=True
        )
        self.process.start()
        child.close()
        if not self.conn.poll(120):
            raise SystemExit("the benchmark worker did not start")
        self.conn.recv()

    def warm_up(self) -> None:
        self.conn.send(("warm-up",))
        self.conn.recv()

    def measure(
        self, side: str, name: str, *, repeat: int, timeout: float, budget: float, profile: bool
    ) -> Measurement:
        measured = Measurement(timeout=timeout)
        self.conn.send(("run", side, name, repeat, budget, profile))
        while True:
            if not self.conn.poll(timeout):
                measured.timed_out = True
                self.restart()
                return measured
            message = self.conn.recv()
            if message[0] == "run":
                _, seconds, cypher, summary, report = message
                measured.seconds.append(seconds)
                if cypher is not None:
                    measured.cypher.append(cypher)
                measured.summaries.append(summary)
                measured.profile = measured.profile or report
            elif message[0] == "error":
                measured.error = message[1]  # an error ends the request: no "done" follows
                return measured
            else:
                measured.skipped = message[1]
                return measured

    def restart(self) -> None:
        self.process.kill()
        self.process.join()
        terminate_stale_queries(self.settings)
        self._start()

    def stop(self) -> None:
        if self.process.is_alive():
            self.conn.send(("stop",))
            self.process.join(30)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def terminate_stale_queries(settings: kb.Settings) -> None:
    """Stop the server-side transactions a killed worker leaves running (so they do not slow
    the next measurements): this benchmark's own user's, other than this query."""
    with kb.connect(settings) as base:
        rows, _, _ = base.driver.execute_query(
            "SHOW TRANSACTIONS YIELD transactionId, username, database, currentQuery "
            "WHERE username = $user AND database = $database "
            "AND NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN transactionId",
            user=settings.user,
            database=settings.database,
            database_="system",
        )
        ids = [row[0] for row in rows]
        if ids:
            base.driver.execute_query("TERMINATE TRANSACTIONS $ids", ids=ids, database_="system")
            log(f"    terminated {len(ids)} server transaction(s) left by the killed worker")


# --- orchestration ---------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the results table."""

    analysis: str
    size: int
    runs: int
    kb: float | None
    kb_over: float | None  # killed after this many seconds, without a finished run
    kb_p95: float | None
    kb_cypher: float | None
    baseline: float | None
    ratio: float | None
    target: str
    verdict: str
    check: str
    note: str = ""


def load_case(settings: kb.Settings, folder: Path) -> float:
    """Empty the database and import the case; the seconds it took."""
    with kb.connect(settings) as base:
        started = time.perf_counter()
        base.reset()
        base.init_schema()
        base.import_data(folder)
        return time.perf_counter() - started


def compare(kb_side: Measurement, baseline: Measurement) -> str:
    if not kb_side.summaries or not baseline.summaries:
        return "-"
    found = [
        d
        for k, b in zip(kb_side.summaries, baseline.summaries, strict=False)
        for d in differences(k, b)
    ]
    return (
        "ok" if not found else f"DIFF {found[0]}" + (f" (+{len(found) - 1})" if found[1:] else "")
    )


def make_row(analysis: Analysis, size: int, kb_side: Measurement, baseline: Measurement) -> Row:
    notes = []
    for side, measured in (("kb", kb_side), ("baseline", baseline)):
        if measured.timed_out:
            notes.append(f"{side}: a run took over {measured.timeout:.0f} s (killed)")
        if measured.error:
            notes.append(f"{side} failed: {measured.error.strip().splitlines()[-1]}")
        if measured.skipped:
            notes.append(f"{side}: {measured.skipped} run(s) skipped (time budget)")
    if analysis.inputs == "sources" and kb_side.seconds:
        # kb keeps the selected network in its result cache: only the first source fetches
        notes.append(f"kb first source (empty cache) {kb_side.seconds[0]:.2f} s")
    kb_s, base_s = kb_side.median, baseline.median
    ratio = kb_s / base_s if kb_s is not None and base_s else None
    if analysis.inputs == "sources":
        target = f"median < {TARGET_REACH_SECONDS * 1000:.0f} ms"
        ok = kb_s is not None and kb_s < TARGET_REACH_SECONDS and not kb_side.timed_out
    else:
        target = f"ratio <= {TARGET_RATIO:.0f}x"
        ok = ratio is not None and ratio <= TARGET_RATIO and not kb_side.timed_out
    verdict = "PASS" if ok else "FAIL"
    if baseline.median is None and analysis.inputs != "sources" and not kb_side.timed_out:
        verdict = "n/a"
    return Row(
        analysis=analysis.name,
        size=size,
        runs=len(kb_side.seconds),
        kb=kb_s,
        kb_over=kb_side.timeout if kb_side.timed_out and not kb_side.seconds else None,
        kb_p95=kb_side.p95,
        kb_cypher=statistics.median(kb_side.cypher) if kb_side.cypher else None,
        baseline=base_s,
        ratio=ratio,
        target=target,
        verdict=verdict,
        check=compare(kb_side, baseline),
        note="; ".join(notes),
    )


def scaling(rows: list[Row]) -> list[str]:
    """Analyses whose kb time grows faster from the smallest to the largest size than the
    measure requires: more than ``SCALING_SLACK`` times the baseline's growth (or the size
    factor, when fixed costs keep the baseline's growth below linear)."""
    sizes = sorted({r.size for r in rows})
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    lines = []
    for name in dict.fromkeys(r.analysis for r in rows):
        a = next((r for r in rows if r.analysis == name and r.size == small), None)
        b = next((r for r in rows if r.analysis == name and r.size == large), None)
        if not a or not b or not a.kb or not a.baseline or not b.baseline:
            continue
        base_growth = b.baseline / a.baseline
        allowed = SCALING_SLACK * max(base_growth, large / small)
        if b.kb is None and b.kb_over:
            at_least = b.kb_over / a.kb
            verdict = (
                "  <- grows faster than the measure"
                if at_least > allowed
                else " (killed: growth unknown)"
            )
            lines.append(f"  {name}: kb x>{at_least:.1f}, baseline x{base_growth:.1f}{verdict}")
            continue
        if b.kb is None:
            continue
        kb_growth = b.kb / a.kb
        flag = "  <- grows faster than the measure" if kb_growth > allowed else ""
        lines.append(f"  {name}: kb x{kb_growth:.1f}, baseline x{base_growth:.1f}{flag}")
    return [f"scaling {small:,} -> {large:,} actors (x{large / small:.0f}):", *lines]


def _ratio(row: Row) -> str:
    if row.ratio is not None:
        return f"{row.ratio:.1f}x"
    if row.kb_over and row.baseline:
        return f">{row.kb_over / row.baseline:.1f}x"
    return ""


def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def render(rows: list[Row], meta: dict[str, Any]) -> str:
    header = [
        "analysis",
        "actors",
        "runs",
        "kb s",
        "kb p95",
        "kb Cypher s",
        "baseline s",
        "ratio",
        "target",
        "result",
        "check",
    ]
    table = [
        [
            r.analysis,
            f"{r.size:,}",
            str(r.runs),
            f">{r.kb_over:.0f}" if r.kb_over else _seconds(r.kb),
            _seconds(r.kb_p95),
            _seconds(r.kb_cypher),
            _seconds(r.baseline),
            _ratio(r),
            r.target,
            r.verdict,
            r.check[:60],
        ]
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *table]) for i in range(len(header))]
    right = {1, 2, 3, 4, 5, 6, 7}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [
        f"kb analysis benchmark -- Neo4j {meta['server']} at {meta['uri']}, {meta['cpus']} CPUs, "
        f"Python {meta['python']}, {meta['packstream']} packstream, seed {meta['seed']}, "
        f"median of {meta['repeat']} runs (reach: {meta['reach_runs']} sources; paths: "
        f"{meta['pairs']} pairs); load average {meta['load_at_start']:.1f} at the start, "
        f"{meta['load_at_end']:.1f} at the end, {meta['seconds']:.0f} s in all",
        "",
        line(header),
        line(["-" * w for w in widths]),
        *(line(cells) for cells in table),
    ]
    notes = [f"  {r.analysis} at {r.size:,}: {r.note}" for r in rows if r.note]
    notes += [f"  {r.analysis} at {r.size:,}: {r.check}" for r in rows if len(r.check) > 60]
    if notes:
        out += ["", "notes:", *notes]
    growth = scaling(rows)
    if growth:
        out += ["", *growth]
    at_target = [r for r in rows if r.size == TARGET_SIZE]
    if at_target:
        failed = [r.analysis for r in at_target if r.verdict == "FAIL"]
        out += [
            "",
            f"targets at {TARGET_SIZE:,} actors: {len(at_target) - len(failed)} of "
            f"{len(at_target)} pass" + (f"; failing: {', '.join(failed)}" if failed else ""),
        ]
    return "\n".join(out)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time kb's analyses against a plain Cypher + igraph baseline. "
        "EMPTIES the target database."
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(s.replace("_", "")) for s in text.split(",")],
        default=list(DEFAULT_SIZES),
        help=f"comma-separated actor counts (default {','.join(map(str, DEFAULT_SIZES))}); "
        f"each actor has about {TIES_PER_ACTOR} ties",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=DEFAULT_REPEAT,
        help=f"runs per measurement; the median is reported (default {DEFAULT_REPEAT})",
    )
    parser.add_argument(
        "--reach-runs", type=int, default=20, help="reach: how many different sources (default 20)"
    )
    parser.add_argument(
        "--pairs", type=int, default=5, help="paths: how many source-target pairs (default 5)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds one run may take before it is killed (default 120)",
    )
    parser.add_argument(
        "--kill-ratio",
        type=float,
        default=KILL_RATIO,
        help=f"also kill a kb run past this many times the baseline's slowest run (but not "
        f"before {MIN_TIMEOUT:.0f} s), since it fails the target by then (default "
        f"{KILL_RATIO:.0f}; 0: only --timeout)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=10.0,
        help="stop repeating a measurement once its runs took this many seconds (default 10; "
        "reach on the kb side always runs every source)",
    )
    parser.add_argument(
        "--only",
        type=lambda text: [s.strip() for s in text.split(",")],
        help="analyses to run, by first word: "
        + ", ".join(dict.fromkeys(short_name(a) for a in ANALYSES)),
    )
    parser.add_argument(
        "--profile",
        type=lambda text: [s.strip() for s in text.split(",")],
        default=[],
        help="print cProfile's top functions for the kb side of "
        "these analyses (first word, as --only)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kb-analysis-bench",
        help="where generated cases are cached",
    )
    parser.add_argument("--save", type=Path, help="also write the results as JSON to this file")
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="leave the last case in the database (to EXPLAIN queries by hand)",
    )
    parser.add_argument("--yes", action="store_true", help="run even if the database has data")
    parser.add_argument("--uri", help="Neo4j URI (default: NEO4J_URI, else kb's local server)")
    parser.add_argument("--user")
    parser.add_argument("--database")
    args = parser.parse_args(argv)
    known = {short_name(a) for a in ANALYSES}
    for option in ("only", "profile"):
        unknown = sorted(set(getattr(args, option) or []) - known)
        if unknown:
            parser.error(
                f"--{option}: unknown {', '.join(unknown)}; use {', '.join(sorted(known))}"
            )
    if args.repeat < 1 or args.reach_runs < 1 or args.pairs < 1:
        parser.error("--repeat, --reach-runs and --pairs must be at least 1")
    return args


def run_timeout(
    analysis: Analysis, side: str, baseline: Measurement | None, args: argparse.Namespace
) -> float:
    """Seconds one run may take: ``--timeout``, and for kb no more than ``--kill-ratio`` times
    the baseline's slowest run (at least ``MIN_TIMEOUT``): past that it fails the target
    anyway, and the rest of the benchmark need not wait for it."""
    timeout = float(args.timeout)
    if side != "kb" or analysis.inputs == "sources" or not baseline or not baseline.seconds:
        return timeout
    if not args.kill_ratio:
        return timeout
    return min(timeout, max(MIN_TIMEOUT, float(args.kill_ratio) * max(baseline.seconds)))


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    settings = kb.Settings.from_env(uri=args.uri, user=args.user, database=args.database)
    selected = [a for a in ANALYSES if not args.only or short_name(a) in args.only]
    with kb.connect(settings) as base:
        status = base.status()
        if status["nodes"] and not args.yes:
            raise SystemExit(
                f"{settings.uri} database {settings.database} holds {status['nodes']} nodes; "
                "the benchmark empties it. Point it at a scratch server, or pass --yes."
            )
    meta = {
        "server": status["server_version"],
        "uri": settings.uri,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "packstream": import_bench.packstream(),
        "seed": args.seed,
        "repeat": args.repeat,
        "reach_runs": args.reach_runs,
        "pairs": args.pairs,
        "load_at_start": import_bench.load_average(),
    }
    started = time.perf_counter()
    rows: list[Row] = []
    profiles: list[str] = []
    for size in args.sizes:
        folder, info = ensure_case(args.workdir, size, args.seed)
        log(f"size {size}: {info['shape']['ties']} ties, {info['added']}; importing ...")
        log(f"  imported in {load_case(settings, folder):.1f} s")
        case = pick_case(folder, size, args.seed, args.reach_runs, args.pairs)
        worker = Worker(settings, case)
        try:
            worker.warm_up()
            for analysis in selected:
                measured: dict[str, Measurement] = {}
                for side in ("baseline", "kb"):
                    log(f"  {analysis.name} [{side}] ...")
                    measured[side] = worker.measure(
                        side,
                        analysis.name,
                        repeat=args.repeat,
                        timeout=run_timeout(analysis, side, measured.get("baseline"), args),
                        # reach: always all the sources, for a median and p95 over them
                        budget=math.inf
                        if side == "kb" and analysis.inputs == "sources"
                        else args.budget,
                        profile=side == "kb" and short_name(analysis) in args.profile,
                    )
                row = make_row(analysis, size, measured["kb"], measured["baseline"])
                log(
                    f"    kb {_seconds(row.kb) or '-'} s, baseline {_seconds(row.baseline) or '-'}"
                    f" s, {row.verdict}, check {row.check}"
                )
                rows.append(row)
                if measured["kb"].profile:
                    profiles.append(
                        f"--- {analysis.name} at {size:,} actors (kb side, first run)"
                        f"\n{measured['kb'].profile}"
                    )
        finally:
            worker.stop()
    if not args.keep_data:
        with kb.connect(settings) as base:
            base.reset()
    meta["seconds"] = time.perf_counter() - started
    meta["load_at_end"] = import_bench.load_average()
    if args.save:
        document = {"meta": meta, "results": [asdict(r) for r in rows]}
        args.save.write_text(json.dumps(document, indent=2) + "\n")
    print(render(rows, meta))
    for profile in profiles:
        print("\n" + profile)
    log(f"total {meta['seconds']:.0f} s")


if __name__ == "__main__":
    main()
