"""Reference answers computed the slow, obvious way, shared by unit and Neo4j tests."""

from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def brokerage_roles(graph: nx.DiGraph, groups: dict[str, str]) -> dict[str, dict[str, int]]:
    """Gould & Fernandez roles of each broker b over every open two-path a -> b -> c."""
    counts: dict[str, dict[str, int]] = {}
    for b in graph:
        roles = dict.fromkeys(ROLES, 0)
        for a, c in itertools.permutations(graph, 2):
            if b in (a, c) or not graph.has_edge(a, b) or not graph.has_edge(b, c):
                continue
            if graph.has_edge(a, c):
                continue
            ga, gb, gc = groups[a], groups[b], groups[c]
            if ga == gb == gc:
                roles["coordinator"] += 1
            elif ga == gc:
                roles["itinerant"] += 1
            elif ga == gb:
                roles["representative"] += 1
            elif gb == gc:
                roles["gatekeeper"] += 1
            else:
                roles["liaison"] += 1
        counts[b] = roles
    return counts


def brokerage_totals(graph: nx.DiGraph, groups: dict[str, str]) -> Counter[str]:
    """The roles of every broker added up."""
    total: Counter[str] = Counter()
    for roles in brokerage_roles(graph, groups).values():
        total.update(roles)
    return total
