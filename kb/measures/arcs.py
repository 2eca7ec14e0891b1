"""The input every measure shares: node ids and directed arcs, normalised the same way.

Node ids are strings; arcs are directed ``(source, target)`` pairs (undirected ties already
expanded into both directions by the caller); parallel arcs collapse into one, self-loops
are dropped, and an arc naming a node that is not in the node list is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

Arc = tuple[str, str]


def collapse_arcs(nodes: Iterable[str], arcs: Iterable[Arc]) -> tuple[list[str], set[Arc]]:
    """Normalise a node list and an arc list into a simple directed graph.

    Args:
        nodes: Node ids, isolates included. Repeated ids are kept once, first one first.
        arcs: Directed ``(source, target)`` pairs. Parallel arcs collapse; self-loops are
            dropped.

    Returns:
        The node ids in input order without repeats, and the set of distinct arcs.

    Raises:
        ValueError: An arc names a node that is not in ``nodes``.
    """
    node_list = list(dict.fromkeys(nodes))
    known = set(node_list)
    arc_set: set[Arc] = set()
    unknown: set[str] = set()
    for source, target in arcs:
        if source not in known:
            unknown.add(source)
        if target not in known:
            unknown.add(target)
        if source != target:
            arc_set.add((source, target))
    if unknown:
        names = ", ".join(sorted(unknown)[:10])
        raise ValueError(f"{len(unknown)} tie end(s) are not in the node list: {names}.")
    return node_list, arc_set


def check_groups(nodes: Iterable[str], groups: Mapping[str, str]) -> None:
    """Check that every node has a group.

    Raises:
        ValueError: Some nodes have no group.
    """
    missing = sorted(node for node in nodes if node not in groups)
    if missing:
        names = ", ".join(missing[:10])
        raise ValueError(
            f"{len(missing)} actor(s) have no group: {names}. Give every actor a group "
            "(for example 'unknown')."
        )
