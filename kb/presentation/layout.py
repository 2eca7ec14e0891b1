"""Node positions that are the same from run to run: igraph's Fruchterman-Reingold from
given start positions, drawing its random numbers from a seeded generator.

The pictures (`kb.presentation.plots`, for large networks) and the view
(`kb.presentation.view`) place actors with it.
"""

from __future__ import annotations

import random


def fruchterman_reingold(
    n: int, edges: list[tuple[int, int]], start: list[list[float]], seed: int
) -> list[tuple[float, float]]:
    """The positions of ``n`` vertices joined by ``edges`` (vertex indexes), from ``start``.

    igraph draws its random numbers from the generator it is given: a seeded one keeps the
    layout the same from run to run (the module's generator is restored afterwards for
    other users of igraph).
    """
    import igraph

    graph = igraph.Graph(n=n, edges=edges)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = graph.layout_fruchterman_reingold(seed=start, niter=500).coords
    finally:
        igraph.set_random_number_generator(random)
    return [(float(c[0]), float(c[1])) for c in coords]
