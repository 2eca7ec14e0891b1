"""Earliest-arrival time-respecting paths against hand cases and brute-force enumeration."""

from __future__ import annotations

import random
from dataclasses import asdict
from datetime import date, timedelta

import pytest

from kb.measures.temporal_paths import TemporalEdge, TemporalReach, earliest_arrivals

E = TemporalEdge
D = date


def test_static_path_that_is_not_time_respecting() -> None:
    # a -> b from 2017, b -> c ended in 2016: a reaches b but never c.
    edges = [E("a", "b", D(2017, 1, 1), None), E("b", "c", D(2015, 1, 1), D(2016, 12, 31))]
    result = earliest_arrivals(edges, "a")
    assert set(result) == {"b"}
    assert result["b"] == TemporalReach("b", D(2017, 1, 1), 1, ["a", "b"], [0])
    # From b, c is reachable: b -> c was active from 2015.
    assert earliest_arrivals(edges, "b")["c"].arrival == D(2015, 1, 1)


def test_ties_without_dates() -> None:
    edges = [E("a", "b"), E("b", "c")]
    result = earliest_arrivals(edges, "a")
    assert result["c"] == TemporalReach("c", None, 2, ["a", "b", "c"], [0, 1])
    # With a window start, undated ties are used from that day.
    assert earliest_arrivals(edges, "a", lo=D(2016, 5, 1))["c"].arrival == D(2016, 5, 1)
    # An open end: still active.
    result = earliest_arrivals([E("a", "b", D(2015, 4, 1), None), E("b", "c")], "a")
    assert result["c"].arrival == D(2015, 4, 1)


def test_window_bounds_are_inclusive() -> None:
    edges = [E("a", "b", D(2015, 4, 1), D(2015, 12, 31)), E("b", "c", D(2016, 1, 1), None)]
    # Window ends the day b -> c starts: usable.
    assert "c" in earliest_arrivals(edges, "a", hi=D(2016, 1, 1))
    # One day earlier: not.
    assert "c" not in earliest_arrivals(edges, "a", hi=D(2015, 12, 31))
    # Window starts the day a -> b ends: usable, traversed on that day.
    result = earliest_arrivals(edges, "a", lo=D(2015, 12, 31))
    assert result["b"].arrival == D(2015, 12, 31)
    # Window starts after a -> b ended: b unreachable, and so c.
    assert earliest_arrivals(edges, "a", lo=D(2016, 1, 1)) == {}
    # A tie starting after the window is never used.
    assert earliest_arrivals([E("a", "b", D(2020, 1, 1), None)], "a", hi=D(2019, 12, 31)) == {}


def test_ties_on_the_same_day_chain() -> None:
    day = D(2015, 4, 1)
    edges = [E("a", "b", day, day), E("b", "c", day, day), E("c", "d", day, day)]
    result = earliest_arrivals(edges, "a")
    assert result["d"] == TemporalReach("d", day, 3, ["a", "b", "c", "d"], [0, 1, 2])
    # But not back in time: b -> c ended the day before a -> b started.
    edges = [E("a", "b", day, day), E("b", "c", None, day - timedelta(days=1))]
    assert "c" not in earliest_arrivals(edges, "a")


def test_fewest_hops_among_earliest_arrivals() -> None:
    # v is reached on day 3 via four hops and on day 5 directly; v -> t opens on day 10, so
    # both routes arrive on day 10 and the one-hop route to v gives the 2-hop path to t.
    # A search keeping one label per actor (earliest arrival at v) would report 5 hops.
    day = D(2016, 1, 1)

    def on(k: int) -> date:
        return day + timedelta(days=k)

    edges = [
        E("s", "x1", on(1), None),
        E("x1", "x2", on(1), None),
        E("x2", "x3", on(2), None),
        E("x3", "v", on(3), None),
        E("s", "v", on(5), None),
        E("v", "t", on(10), None),
    ]
    result = earliest_arrivals(edges, "s")
    assert result["v"].arrival == on(3) and result["v"].hops == 4
    assert result["t"] == TemporalReach("t", on(10), 2, ["s", "v", "t"], [4, 5])


def test_parallel_ties_keep_their_own_dates_and_indices() -> None:
    edges = [
        E("a", "b", D(2018, 1, 1), None),
        E("a", "b", D(2015, 1, 1), D(2015, 6, 30)),
        E("a", "a", D(2000, 1, 1), None),
    ]
    result = earliest_arrivals(edges, "a")
    assert result["b"].arrival == D(2015, 1, 1)
    assert result["b"].ties == [1]
    assert "a" not in result


def test_inverted_window_is_an_error() -> None:
    with pytest.raises(ValueError, match="starts"):
        earliest_arrivals([], "a", lo=D(2017, 1, 1), hi=D(2016, 1, 1))


def test_tie_ending_before_it_starts_is_never_used() -> None:
    assert earliest_arrivals([E("a", "b", D(2017, 1, 1), D(2016, 1, 1))], "a") == {}


def test_result_serialises() -> None:
    result = earliest_arrivals([E("a", "b", D(2015, 4, 1), None)], "a")
    assert asdict(result["b"]) == {
        "target": "b",
        "arrival": D(2015, 4, 1),
        "hops": 1,
        "path": ["a", "b"],
        "ties": [0],
    }


# --- brute force -------------------------------------------------------------------------


def _traverse(
    edges: list[TemporalEdge], ties: list[int], lo: date | None, hi: date | None
) -> date | None:
    """Arrival time of a tie sequence taken as early as possible, or None if infeasible."""
    floor = lo or date.min
    ceiling = hi or date.max
    now = floor
    for k in ties:
        edge = edges[k]
        now = max(now, edge.start or floor, floor)
        if now > min(edge.end or ceiling, ceiling):
            return None
    return now


def _brute_force(
    edges: list[TemporalEdge], source: str, lo: date | None, hi: date | None
) -> dict[str, tuple[date, int]]:
    """Best (arrival, hops) per actor over all simple paths, enumerated by DFS."""
    best: dict[str, tuple[date, int]] = {}

    def walk(node: str, visited: set[str], ties: list[int]) -> None:
        for k, edge in enumerate(edges):
            if edge.source != node or edge.target in visited or edge.target == node:
                continue
            arrival = _traverse(edges, [*ties, k], lo, hi)
            if arrival is None:
                continue
            label = (arrival, len(ties) + 1)
            if edge.target not in best or label < best[edge.target]:
                best[edge.target] = label
            walk(edge.target, visited | {edge.target}, [*ties, k])

    walk(source, {source}, [])
    return best


def _random_edges(rng: random.Random) -> list[TemporalEdge]:
    nodes = [f"n{k}" for k in range(rng.randint(2, 8))]
    base = D(2015, 1, 1)
    edges = []
    for _ in range(rng.randint(1, 18)):
        a, b = rng.choice(nodes), rng.choice(nodes)
        start = base + timedelta(days=rng.randint(0, 30)) if rng.random() < 0.8 else None
        length = rng.randint(0, 15)
        end = (start or base) + timedelta(days=length) if rng.random() < 0.8 else None
        edges.append(E(a, b, start, end))
    return edges


def test_matches_brute_force_on_random_temporal_graphs() -> None:
    rng = random.Random(2015)
    base = D(2015, 1, 1)
    for _ in range(400):
        edges = _random_edges(rng)
        lo = base + timedelta(days=rng.randint(0, 10)) if rng.random() < 0.5 else None
        hi = base + timedelta(days=rng.randint(15, 45)) if rng.random() < 0.5 else None
        source = edges[0].source
        result = earliest_arrivals(edges, source, lo=lo, hi=hi)
        expected = _brute_force(edges, source, lo, hi)
        expected.pop(source, None)
        assert set(result) == set(expected)
        for target, reach in result.items():
            arrival, hops = expected[target]
            assert (reach.arrival or date.min, reach.hops) == (arrival, hops)
            # The path given is real: consecutive ties, feasible, arriving when it says.
            assert len(reach.path) == hops + 1 == len(reach.ties) + 1
            assert reach.path[0] == source and reach.path[-1] == target
            assert len(set(reach.path)) == len(reach.path)
            for step, k in enumerate(reach.ties):
                assert (edges[k].source, edges[k].target) == tuple(reach.path[step : step + 2])
            assert _traverse(edges, reach.ties, lo, hi) == arrival
