"""Network measures computed in Python on ties fetched from Neo4j.

Every function takes node ids (strings, isolates included) and directed ``(source, target)``
arcs; undirected ties come expanded into both directions, parallel arcs collapse and
self-loops are ignored. Results are dataclasses or dicts of plain values; an undefined value
is ``None``, never NaN. Definitions, edge cases and the reference implementations each
measure was checked against are in docs/analyses.md.
"""

from kb.analysis.brokerage import (
    ROLES,
    BrokerageResult,
    RoleStats,
    brokerage,
    brokerage_pairs,
)
from kb.analysis.centrality import CentralityStats, centrality
from kb.analysis.evolution import (
    collapse_arcs,
    formed_dissolved,
    snapshot_metrics,
    unordered_pairs,
)
from kb.analysis.reach import ArcTable, Reach, breadth_first
from kb.analysis.structural_holes import HoleStats, structural_holes, sum_arc_weights
from kb.analysis.temporal_paths import TemporalEdge, TemporalReach, earliest_arrivals

__all__ = [
    "ROLES",
    "ArcTable",
    "BrokerageResult",
    "CentralityStats",
    "HoleStats",
    "Reach",
    "RoleStats",
    "TemporalEdge",
    "TemporalReach",
    "brokerage",
    "brokerage_pairs",
    "breadth_first",
    "centrality",
    "collapse_arcs",
    "earliest_arrivals",
    "formed_dissolved",
    "snapshot_metrics",
    "structural_holes",
    "sum_arc_weights",
    "unordered_pairs",
]
