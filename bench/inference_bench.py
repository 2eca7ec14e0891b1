#!/usr/bin/env python3
"""Benchmark of the permutation tests: 1,000 label permutations of brokerage on a 1 k-actor
network (target: under 30 s), as ratios to one plain brokerage computation in the same run.

Usage:
    .venv/bin/python bench/inference_bench.py [--actors 1000] [--arcs-per-actor 10]
                                             [--groups 4] [--permutations 1000]

No database: a seeded random directed network (uniform arcs) with actors spread over the
groups. Prints seconds, and each test's time over the baseline's.
"""

from __future__ import annotations

import argparse
import random
import time

from kb.measures.brokerage import brokerage
from kb.measures.permutation import brokerage_test, group_test


def network(
    actors: int, per_actor: int, groups: int, seed: int = 1
) -> tuple[list[str], list[tuple[str, str]], dict[str, str]]:
    rng = random.Random(seed)
    nodes = [f"a{i:05d}" for i in range(actors)]
    arcs: set[tuple[str, str]] = set()
    while len(arcs) < actors * per_actor:
        a, b = rng.randrange(actors), rng.randrange(actors)
        if a != b:
            arcs.add((nodes[a], nodes[b]))
    labels = {node: f"g{rng.randrange(groups)}" for node in nodes}
    return nodes, sorted(arcs), labels


def timed(label: str, run, baseline: float | None) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    ratio = f"  ({seconds / baseline:,.0f}x baseline)" if baseline else ""
    print(f"{label:<46} {seconds:8.2f} s{ratio}", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=1000)
    parser.add_argument("--arcs-per-actor", type=int, default=10)
    parser.add_argument("--groups", type=int, default=4)
    parser.add_argument("--permutations", type=int, default=1000)
    args = parser.parse_args()
    nodes, arcs, groups = network(args.actors, args.arcs_per_actor, args.groups)
    print(f"{len(nodes)} actors, {len(arcs)} arcs, {args.groups} groups, {args.permutations} draws")
    base = timed(
        "baseline: one brokerage (sna moments)", lambda: brokerage(nodes, arcs, groups=groups), None
    )
    draws = args.permutations
    labels = timed(
        f"brokerage, {draws} label permutations",
        lambda: brokerage_test(nodes, arcs, groups=groups, draws=draws, seed=1),
        base,
    )
    timed(
        f"brokerage, {draws} CUG graphs (edges)",
        lambda: brokerage_test(nodes, arcs, groups=groups, null="cug-edges", draws=draws, seed=1),
        base,
    )
    timed(
        f"E-I and densities, {draws} label permutations",
        lambda: group_test(nodes, arcs, groups=groups, draws=draws, seed=1),
        base,
    )
    verdict = "met" if labels < 30 else "NOT met"
    print(f"target (1,000 label permutations of brokerage < 30 s): {verdict}")


if __name__ == "__main__":
    main()
