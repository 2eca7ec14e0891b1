"""Snapshot measures and tie turnover between snapshots (input rules: `kb.measures.arcs`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kb.measures.arcs import Arc, check_groups, collapse_arcs

Pair = tuple[str, str]


def unordered_pairs(arcs: Iterable[Arc]) -> set[Pair]:
    """Return the distinct unordered pairs joined by at least one arc, as sorted tuples.

    Self-loops are dropped.
    """
    return {(a, b) if a < b else (b, a) for a, b in arcs if a != b}


def _weak_components(nodes: Iterable[str], pairs: Iterable[Pair]) -> int:
    """Count weakly connected components with a union-find over ``nodes``."""
    parent = {node: node for node in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[root_a] = root_b
    return sum(1 for node in parent if find(node) == node)


def snapshot_metrics(
    nodes: Iterable[str],
    arcs: Iterable[Arc],
    *,
    groups: Mapping[str, str] | None = None,
) -> dict[str, int | float | None]:
    """Describe one snapshot of the network.

    Args:
        nodes: Actors present in the snapshot, isolates included.
        arcs: Directed ties active in the snapshot (see the module docstring).
        groups: Group of each actor. When given, ties are split into within-group and
            between-group pairs and the E-I index is computed.

    Returns:
        A dict with

        - ``actors``: actors with at least one tie (in or out);
        - ``actors_total``: all actors, isolates included;
        - ``arcs``: distinct directed pairs;
        - ``pairs``: distinct unordered pairs;
        - ``density``: ``arcs / (n (n - 1))`` over the ``n`` actors with ties (directed
          density), ``None`` when ``n < 2``;
        - ``components``: weakly connected components among actors with ties;
        - ``within_pairs``, ``between_pairs``: unordered pairs inside one group and across
          groups (``None`` without ``groups``);
        - ``ei_index``: Krackhardt and Stern's ``(E - I) / (E + I)`` over unordered pairs,
          ``None`` without ``groups`` or when there are no ties.

    Raises:
        ValueError: An arc names an unknown node, or ``groups`` misses an actor.
    """
    node_list, arc_set = collapse_arcs(nodes, arcs)
    pairs = unordered_pairs(arc_set)
    tied = {node for pair in pairs for node in pair}
    n = len(tied)
    density = len(arc_set) / (n * (n - 1)) if n >= 2 else None
    within: int | None = None
    between: int | None = None
    ei_index: float | None = None
    if groups is not None:
        check_groups(node_list, groups)
        within = sum(1 for a, b in pairs if groups[a] == groups[b])
        between = len(pairs) - within
        if pairs:
            ei_index = (between - within) / (between + within)
    return {
        "actors": n,
        "actors_total": len(node_list),
        "arcs": len(arc_set),
        "pairs": len(pairs),
        "density": density,
        "components": _weak_components(tied, pairs),
        "within_pairs": within,
        "between_pairs": between,
        "ei_index": ei_index,
    }


def formed_dissolved(
    prev_pairs: Iterable[Pair], cur_pairs: Iterable[Pair]
) -> tuple[list[Pair], list[Pair]]:
    """Compare the unordered pairs of two snapshots.

    Pairs are compared regardless of orientation: ``("b", "a")`` is the pair ``("a", "b")``.

    Args:
        prev_pairs: Pairs tied in the earlier snapshot.
        cur_pairs: Pairs tied in the later snapshot.

    Returns:
        ``(formed, dissolved)``: pairs tied only in the later snapshot and pairs tied only in
        the earlier one, each as sorted ``(a, b)`` tuples with ``a < b``, in sorted order.
    """
    prev = unordered_pairs(prev_pairs)
    cur = unordered_pairs(cur_pairs)
    return sorted(cur - prev), sorted(prev - cur)
