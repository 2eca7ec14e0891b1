"""Is it more than chance? Label-permutation and conditional uniform graph (CUG) tests.

Two null models (docs/analyses.md):

- ``labels``: the network is kept and the group labels are shuffled over the actors (every
  distinct assignment of the observed group sizes equally likely; QAP-style node
  permutation). It asks whether the attribute goes with the structure: "is there more
  itinerant brokerage between these groups than the same network with groups drawn at
  random?" Statistics that do not depend on labels (centralisation) cannot be tested so.
- ``cug-edges``: the labels are kept and the network is drawn uniformly among directed
  graphs with the same actors and number of arcs (no loops), as ``sna::cug.test(g, FUN,
  cmode = "edges")`` with ``rgnm``.

When the distinct draws are few (at most ``EXACT_LIMIT``: the multinomial number of
labelings, or ``C(n (n - 1), m)`` graphs) every one is enumerated and the p-values are
exact; otherwise ``draws`` are sampled with a seeded ``numpy.random.Generator``. P-values
are the shares of draws at least (``p_greater``) and at most (``p_less``) as large as the
observed value, as sna's ``cug.test`` reports them; Monte Carlo ones carry their standard
error ``sqrt(p (1 - p) / draws)``.

Everything is vectorised with numpy: the open two-paths of the (fixed) network are listed
once and every permutation is a few array operations over them; a random graph's role
counts come from sparse matrix products (scipy).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kb.measures.arcs import Arc, check_groups, collapse_arcs
from kb.measures.brokerage import ROLES

if TYPE_CHECKING:
    from numpy.typing import NDArray

NULLS = ("labels", "cug-edges")
EXACT_LIMIT = 20_000
CHUNK = 64  # permutations handled per vectorised step (bounds memory at hubs)


@dataclass(frozen=True)
class NullTest:
    """One statistic against its null distribution.

    ``se`` is the Monte Carlo standard error of ``p_greater`` (None when exact).
    """

    observed: float
    mean: float
    sd: float
    p_greater: float
    p_less: float
    se: float | None


@dataclass(frozen=True)
class NullResult:
    """The tests of several statistics under one null model.

    ``method`` is ``exact`` (every distinct draw enumerated, ``draws`` of them) or
    ``monte carlo`` (``draws`` sampled with ``seed``).
    """

    null: str
    method: str
    draws: int
    seed: int | None
    tests: dict[str, NullTest]
    actors: dict[str, dict[str, NullTest]] | None = None


def check_null(null: str) -> str:
    """Raises ValueError unless ``null`` is labels or cug-edges."""
    if null not in NULLS:
        raise ValueError(f"unknown null model {null!r}; use one of {', '.join(NULLS)}")
    return null


# -- distributions to p-values -------------------------------------------------------------
def _summarise(observed: Any, draws: Any, *, exact: bool) -> list[NullTest]:
    """One NullTest per column of ``draws`` (draws x statistics) against ``observed``."""
    import numpy as np

    # Counts are integers, E-I and densities ratios of them: compare with a hair of slack
    # so that equal values computed two ways count as equal.
    slack = 1e-9 * np.maximum(1.0, np.abs(observed))
    greater = (draws >= observed - slack).mean(axis=0)
    less = (draws <= observed + slack).mean(axis=0)
    count = draws.shape[0]
    tests = []
    for k in range(draws.shape[1]):
        p = float(greater[k])
        tests.append(
            NullTest(
                observed=float(observed[k]),
                mean=float(draws[:, k].mean()),
                # Enumerated draws are the whole null population: its sd (ddof=0).
                # Sampled ones estimate it: the sample sd (ddof=1).
                sd=float(draws[:, k].std(ddof=0 if exact else 1)) if count > 1 else 0.0,
                p_greater=p,
                p_less=float(less[k]),
                se=None if exact else math.sqrt(p * (1 - p) / count),
            )
        )
    return tests


def _method(exact: bool) -> str:
    return "exact" if exact else "monte carlo"


# -- label permutations ----------------------------------------------------------------------
def labelings_count(sizes: Sequence[int]) -> int:
    """The number of distinct labelings with these group sizes (a multinomial)."""
    total = math.factorial(sum(sizes))
    for size in sizes:
        total //= math.factorial(size)
    return total


def _all_labelings(codes: Sequence[int]) -> Iterator[list[int]]:
    """Every distinct arrangement of the multiset ``codes`` (each once)."""
    n = len(codes)
    sizes = sorted(set(codes))
    counts = [list(codes).count(c) for c in sizes]

    def place(free: list[int], k: int, labels: list[int]) -> Iterator[list[int]]:
        if k == len(sizes) - 1:
            for position in free:
                labels[position] = sizes[k]
            yield list(labels)
            return
        for chosen in itertools.combinations(free, counts[k]):
            for position in chosen:
                labels[position] = sizes[k]
            rest = [p for p in free if p not in set(chosen)]
            yield from place(rest, k + 1, labels)

    yield from place(list(range(n)), 0, [0] * n)


def label_draws(
    codes: Any, draws: int, seed: int | None
) -> tuple[Iterator[NDArray[Any]], int, bool]:
    """Chunks of labelings (rows), how many in all, and whether they are all of them."""
    import numpy as np

    base = np.asarray(codes, dtype=np.int64)
    sizes = [int(v) for v in np.bincount(base)] if len(base) else []
    total = labelings_count([s for s in sizes if s])
    if total <= EXACT_LIMIT:

        def exact() -> Iterator[NDArray[Any]]:
            batch: list[list[int]] = []
            for labels in _all_labelings(list(base)):
                batch.append(labels)
                if len(batch) == CHUNK * 16:
                    yield np.asarray(batch, dtype=np.int64)
                    batch = []
            if batch:
                yield np.asarray(batch, dtype=np.int64)

        return exact(), total, True
    rng = np.random.default_rng(seed)

    def sampled() -> Iterator[NDArray[Any]]:
        left = draws
        while left > 0:
            size = min(CHUNK, left)
            yield rng.permuted(np.broadcast_to(base, (size, len(base))), axis=1)
            left -= size

    return sampled(), draws, False


# -- brokerage --------------------------------------------------------------------------------
def open_two_paths(n: int, arcs: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Every open two-path a -> b -> c (distinct, no a -> c) as index arrays (a, b, c).

    ``arcs`` are distinct (m x 2). Each arc a -> b is joined with b's out-arcs in one
    vectorised step; closed ones are found by binary search among the arcs.
    """
    import numpy as np

    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    order = np.argsort(arcs[:, 0], kind="stable")
    sources, targets = arcs[order, 0], arcs[order, 1]
    out_degree = np.bincount(sources, minlength=n)
    first_out = np.concatenate([[0], np.cumsum(out_degree)])
    lengths = out_degree[arcs[:, 1]]
    total = int(lengths.sum())
    a = np.repeat(arcs[:, 0], lengths)
    b = np.repeat(arcs[:, 1], lengths)
    starts = np.repeat(first_out[arcs[:, 1]] - (np.cumsum(lengths) - lengths), lengths)
    c = targets[starts + np.arange(total)]
    keys = np.sort(sources * n + targets)
    wanted = a * n + c
    found = np.searchsorted(keys, wanted)
    closed = (found < len(keys)) & (keys[np.minimum(found, max(len(keys) - 1, 0))] == wanted)
    keep = (a != c) & ~closed
    return a[keep], b[keep], c[keep]


@functools.cache
def _role_table() -> Any:
    """Role index (ROLES order) of a two-path from the bits G(a)=G(b), G(b)=G(c), G(a)=G(c)
    (4, 2 and 1); two equalities imply the third, so the other codes never occur."""
    import numpy as np

    table = np.zeros(8, dtype=np.int64)
    table[0b111] = ROLES.index("coordinator")
    table[0b001] = ROLES.index("itinerant")
    table[0b100] = ROLES.index("representative")
    table[0b010] = ROLES.index("gatekeeper")
    table[0b000] = ROLES.index("liaison")
    return table


@dataclass
class _Running:
    """Streaming tallies of draws against an observed array: >=, <=, sum, sum of squares."""

    observed: Any
    greater: Any = None
    less: Any = None
    total: Any = None
    squares: Any = None
    count: int = 0

    def add(self, values: Any) -> None:
        """Tally a chunk of draws (first axis)."""
        slack = 1e-9 * abs(self.observed).clip(min=1.0)
        parts = (
            (values >= self.observed - slack).sum(axis=0),
            (values <= self.observed + slack).sum(axis=0),
            values.sum(axis=0, dtype=float),
            (values.astype(float) ** 2).sum(axis=0),
        )
        if self.greater is None:
            self.greater, self.less, self.total, self.squares = parts
        else:
            self.greater = self.greater + parts[0]
            self.less = self.less + parts[1]
            self.total = self.total + parts[2]
            self.squares = self.squares + parts[3]
        self.count += values.shape[0]

    def test(self, at: tuple[int, ...], *, exact: bool) -> NullTest:
        """The NullTest of one cell."""
        k = self.count
        p = float(self.greater[at]) / k
        mean = float(self.total[at]) / k
        # Enumerated draws are the whole null population (divisor k); sampled ones estimate
        # it (divisor k - 1), as in `_summarise`.
        divisor = k if exact else k - 1
        variance = (float(self.squares[at]) - k * mean * mean) / divisor if k > 1 else 0.0
        return NullTest(
            observed=float(self.observed[at]),
            mean=mean,
            sd=math.sqrt(max(variance, 0.0)),
            p_greater=p,
            p_less=float(self.less[at]) / k,
            se=None if exact else math.sqrt(p * (1 - p) / k),
        )


def brokerage_under_labels(
    n: int,
    two_paths: tuple[Any, Any, Any],
    codes: Any,
    *,
    draws: int,
    seed: int | None,
) -> tuple[_Running, _Running, int, bool]:
    """Network and per-broker role counts (ROLES order), observed and under label
    permutations, tallied as they are drawn.

    Returns:
        Tallies for the network (6 values) and for the brokers (n x 6), the number of
        draws and whether they are every distinct labeling.
    """
    import numpy as np

    a, b, c = two_paths
    small = np.int8 if max(codes, default=0) < 127 else np.int32
    labels = np.asarray(codes, dtype=small)
    roles = len(ROLES) - 1

    def counts(lab: Any) -> tuple[Any, Any]:
        """lab: draws x n; returns draws x 6 and draws x n x 6."""
        rows = lab.shape[0]
        la, lb, lc = lab[:, a], lab[:, b], lab[:, c]
        # Three equalities as three bits, read through a table: one pass per permutation.
        bits = (la == lb).view(np.uint8) << 2
        bits |= (lb == lc).view(np.uint8) << 1
        bits |= (la == lc).view(np.uint8)
        role = _role_table()[bits]
        cell = (np.arange(rows, dtype=np.int64)[:, None] * n + b[None, :]) * roles + role
        actors = np.bincount(cell.ravel(), minlength=rows * n * roles).reshape(rows, n, roles)
        network = actors.sum(axis=1)
        return (
            np.concatenate([network, network.sum(axis=1, keepdims=True)], axis=1),
            np.concatenate([actors, actors.sum(axis=-1, keepdims=True)], axis=-1),
        )

    observed, observed_actors = counts(labels[None])
    network = _Running(observed[0])
    actors = _Running(observed_actors[0])
    chunks, total, exact = label_draws(codes, draws, seed)
    for chunk in chunks:
        for start in range(0, chunk.shape[0], CHUNK):
            counted, per_actor = counts(chunk[start : start + CHUNK])
            network.add(counted)
            actors.add(per_actor)
    return network, actors, total, exact


def _graph_draws(
    n: int, m: int, draws: int, seed: int | None
) -> tuple[Iterator[NDArray[Any]], int, bool]:
    """Arc lists (m x 2) of uniform directed graphs with n nodes and m arcs, no loops."""
    import numpy as np

    slots = n * (n - 1)
    total = math.comb(slots, m) if slots else 1

    def to_arcs(chosen: Any) -> Any:
        chosen = np.asarray(chosen, dtype=np.int64)
        row, col = np.divmod(chosen, n - 1)
        col = col + (col >= row)
        return np.stack([row, col], axis=1)

    if total <= EXACT_LIMIT:
        return (to_arcs(list(c)) for c in itertools.combinations(range(slots), m)), total, True
    rng = np.random.default_rng(seed)
    return (to_arcs(rng.choice(slots, size=m, replace=False)) for _ in range(draws)), draws, False


def _sparse_role_totals(n: int, arcs: Any, codes: Any, groups: int) -> Any:
    """Network role counts of one graph from sparse products (no two-path listing)."""
    import numpy as np
    from scipy import sparse

    counts = np.zeros(6)
    if len(arcs) == 0:
        return counts
    adjacency = sparse.csr_matrix((np.ones(len(arcs)), (arcs[:, 0], arcs[:, 1])), shape=(n, n))
    membership = sparse.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, groups))
    for h in range(groups):
        brokers = np.flatnonzero(codes == h)
        if len(brokers) == 0:
            continue
        paths = adjacency[:, brokers] @ adjacency[brokers, :]
        paths = paths - paths.multiply(adjacency)  # closed: an a -> c arc
        paths.setdiag(0)
        table = np.asarray((membership.T @ paths @ membership).todense())
        same = np.trace(table)
        counts[0] += table[h, h]
        counts[2] += table[h, :].sum() - table[h, h]
        counts[3] += table[:, h].sum() - table[h, h]
        counts[1] += same - table[h, h]
        counts[4] += (
            table.sum() - table[h, :].sum() - table[:, h].sum() + table[h, h] - (same - table[h, h])
        )
    counts[5] = counts[:5].sum()
    return counts


def _encoded(
    nodes: Sequence[str], arcs: Sequence[Arc], groups: Mapping[str, str]
) -> tuple[list[str], Any, Any, list[str]]:
    """The actors (in order), their group codes, the arcs as an (m x 2) array of actor
    indices, and the group names the codes index."""
    import numpy as np

    node_list, arc_set = collapse_arcs(nodes, arcs)
    check_groups(node_list, groups)
    index = {node: k for k, node in enumerate(node_list)}
    names = sorted({groups[node] for node in node_list})
    codes = np.asarray([names.index(groups[node]) for node in node_list], dtype=np.int64)
    arc_array = np.asarray(
        sorted((index[s], index[t]) for s, t in arc_set), dtype=np.int64
    ).reshape(-1, 2)
    return node_list, codes, arc_array, names


def brokerage_test(
    nodes: Sequence[str],
    arcs: Sequence[Arc],
    *,
    groups: Mapping[str, str],
    null: str = "labels",
    draws: int = 1000,
    seed: int | None = None,
) -> NullResult:
    """Gould-Fernandez role counts against a null model (network level; per actor too under
    label permutations).

    Args:
        nodes: actor ids, isolates included (they hold labels and count in n).
        arcs: directed arcs (parallel ones collapse, loops drop).
        groups: the group of every actor.
        null: ``labels`` or ``cug-edges``.
        draws: Monte Carlo draws when the distinct draws are too many to enumerate.
        seed: seed of the numpy Generator (same seed, same p-values).

    Returns:
        Tests keyed by role (``ROLES``); ``actors`` maps each actor to its role tests under
        label permutations (None under ``cug-edges``).
    """
    import numpy as np

    check_null(null)
    node_list, codes, arc_array, names = _encoded(nodes, arcs, groups)
    n = len(node_list)
    if null == "labels":
        paths = open_two_paths(n, arc_array)
        network, mine, total, exact = brokerage_under_labels(
            n, paths, codes, draws=draws, seed=seed
        )
        tests = {role: network.test((k,), exact=exact) for k, role in enumerate(ROLES)}
        actors = {
            node: {role: mine.test((i, k), exact=exact) for k, role in enumerate(ROLES)}
            for i, node in enumerate(node_list)
        }
        return NullResult(null, _method(exact), total, None if exact else seed, tests, actors)
    observed = _sparse_role_totals(n, arc_array, codes, len(names))
    graphs, total, exact = _graph_draws(n, len(arc_array), draws, seed)
    values = np.asarray([_sparse_role_totals(n, g, codes, len(names)) for g in graphs])
    tests = dict(zip(ROLES, _summarise(observed, values, exact=exact), strict=True))
    return NullResult(null, _method(exact), total, None if exact else seed, tests)


# -- groups: E-I index and densities ---------------------------------------------------------
GROUP_STATISTICS = ("ei_index", "density_within", "density_between")


def _group_statistics(n: int, arcs: Any, codes: Any) -> Any:
    """E-I index over unordered tied pairs, and arc densities within and between groups.

    Either ``arcs`` is stacked (draws x m x 2, random graphs) or ``codes`` is (draws x n,
    permuted labels); with neither stacked, one row of three values is returned.
    """
    import numpy as np

    arcs, codes = np.asarray(arcs, dtype=np.int64), np.asarray(codes, dtype=np.int64)
    if arcs.ndim == 2 and codes.ndim == 1:
        return _group_statistics(n, arcs[None], codes[None])[0]
    if arcs.ndim == 2:
        arcs = np.broadcast_to(arcs, (codes.shape[0], *arcs.shape))
    if codes.ndim == 1:
        codes = np.broadcast_to(codes, (arcs.shape[0], n))
    source, target = arcs[..., 0], arcs[..., 1]
    same_arc = np.take_along_axis(codes, source, 1) == np.take_along_axis(codes, target, 1)
    sizes = np.bincount(codes[0], minlength=1)  # every draw keeps the group sizes
    within_slots = int((sizes * (sizes - 1)).sum())
    between_slots = n * (n - 1) - within_slots
    within_arcs = same_arc.sum(axis=1)
    between_arcs = same_arc.shape[1] - within_arcs
    # E-I counts unordered pairs: a pair tied both ways counts once.
    key = np.minimum(source, target) * n + np.maximum(source, target)
    order = np.argsort(key, axis=1, kind="stable")
    key_sorted = np.take_along_axis(key, order, 1)
    same_sorted = np.take_along_axis(same_arc, order, 1)
    first = np.ones_like(key_sorted, dtype=bool)
    first[:, 1:] = key_sorted[:, 1:] != key_sorted[:, :-1]
    pairs = first.sum(axis=1)
    within_pairs = (same_sorted & first).sum(axis=1)
    nan = np.full(len(pairs), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = np.where(pairs > 0, (pairs - 2 * within_pairs) / np.maximum(pairs, 1), nan)
    return np.stack(
        [
            ei,
            within_arcs / within_slots if within_slots else nan,
            between_arcs / between_slots if between_slots else nan,
        ],
        axis=-1,
    )


def group_test(
    nodes: Sequence[str],
    arcs: Sequence[Arc],
    *,
    groups: Mapping[str, str],
    null: str = "labels",
    draws: int = 1000,
    seed: int | None = None,
) -> NullResult:
    """E-I index and arc densities within and between groups against a null model.

    The actors are those given (`kb.analyses.evolution` gives the actors with ties, as its
    E-I index counts them). Densities are arcs over ordered pairs of actors within one
    group, and across groups.
    """
    import numpy as np

    check_null(null)
    node_list, codes, arc_array, names = _encoded(nodes, arcs, groups)
    n = len(node_list)
    observed = _group_statistics(n, arc_array, codes)
    if null == "labels":
        chunks, total, exact = label_draws(codes, draws, seed)
        values = np.concatenate([_group_statistics(n, arc_array, c) for c in chunks])
    else:
        graphs, total, exact = _graph_draws(n, len(arc_array), draws, seed)
        values = np.asarray([_group_statistics(n, g, codes) for g in graphs])
    tests = dict(zip(GROUP_STATISTICS, _summarise(observed, values, exact=exact), strict=True))
    return NullResult(null, _method(exact), total, None if exact else seed, tests)


# -- centralisation ---------------------------------------------------------------------------
CENTRALISATION = ("degree_centralization", "betweenness_centralization")


def centralization(n: int, arcs: Any) -> Any:
    """Freeman's degree (in + out arcs) and directed betweenness centralisation,
    normalised by their maxima, as ``sna::centralization(g, degree | betweenness)``."""
    import numpy as np

    from kb.measures import _igraph

    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    if n < 3:
        return np.array([np.nan, np.nan])
    degree = np.bincount(arcs[:, 0], minlength=n) + np.bincount(arcs[:, 1], minlength=n)
    graph = _igraph.load().Graph(n=n, edges=arcs.tolist(), directed=True)
    between = np.asarray(graph.betweenness(directed=True))
    return np.array(
        [
            (degree.max() - degree).sum() / ((n - 1) * (2 * (n - 1) - 2)),
            (between.max() - between).sum() / ((n - 1) ** 2 * (n - 2)),
        ]
    )


def centralization_of(nodes: Sequence[str], arcs: Sequence[Arc]) -> dict[str, float | None]:
    """Degree and betweenness centralisation of a network (None below three actors)."""
    import numpy as np

    node_list, arc_set = collapse_arcs(nodes, arcs)
    index = {node: k for k, node in enumerate(node_list)}
    values = centralization(len(node_list), [(index[s], index[t]) for s, t in sorted(arc_set)])
    return {
        name: None if np.isnan(v) else float(v)
        for name, v in zip(CENTRALISATION, values, strict=True)
    }


def centralization_test(
    nodes: Sequence[str],
    arcs: Sequence[Arc],
    *,
    draws: int = 1000,
    seed: int | None = None,
    null: str = "cug-edges",
) -> NullResult:
    """Degree and betweenness centralisation against uniform graphs with as many arcs.

    Raises:
        ValueError: ``null`` is ``labels`` (centralisation does not depend on labels).
    """
    import numpy as np

    check_null(null)
    if null == "labels":
        raise ValueError(
            "centralisation does not depend on group labels, so permuting them tests "
            "nothing; use the cug-edges null model"
        )
    node_list, arc_set = collapse_arcs(nodes, arcs)
    index = {node: k for k, node in enumerate(node_list)}
    arc_array = np.asarray(
        sorted((index[s], index[t]) for s, t in arc_set), dtype=np.int64
    ).reshape(-1, 2)
    n = len(node_list)
    observed = centralization(n, arc_array)
    graphs, total, exact = _graph_draws(n, len(arc_array), draws, seed)
    values = np.asarray([centralization(n, g) for g in graphs])
    tests = dict(zip(CENTRALISATION, _summarise(observed, values, exact=exact), strict=True))
    return NullResult(null, _method(exact), total, None if exact else seed, tests)


StatisticFunction = Callable[[int, Any], Any]
