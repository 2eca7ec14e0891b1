"""Rows as they leave the Neo4j driver: plain Python values, converted once.

`kb.graph.KnowledgeBase` passes every record of a canned query through `plain_row`, so the
analyses, the exports, the pictures and the CLI only ever see these types:

=====================================  =============================================
Neo4j (as the driver returns it)        kb's rows
=====================================  =============================================
null, boolean, integer, float, string  None, bool, int, float, str
list                                   list (of converted values)
map                                    dict (of converted values)
node                                   dict of its properties (as ``Record.data``)
relationship                           [start node dict, type, end node dict]
path                                   [node dict, type, node dict, ...]
Date                                   datetime.date
LocalDateTime / DateTime               datetime.datetime (naive / with its zone);
                                       nanoseconds beyond the microsecond are cut
LocalTime / Time                       datetime.time (naive / with its offset)
Duration                               its ISO 8601 text (``P1M2DT3S``): months and
                                       days have no exact Python equivalent
Point                                  {"srid": ..., "x": ..., "y": ...[, "z": ...]}
ByteArray                              bytes
=====================================  =============================================

The day a fieldwork date (kb.dates.PartialDate) covers is stored as a Neo4j Date, so a
query's ``*_first`` / ``*_last`` columns are ``datetime.date`` values.

A value of any other type is a defect (`TypeError`), never passed on silently. The one
reader that keeps the driver's own types is `kb.graph.Snapshot` (kb backup), which must
write every value back exactly as it was.
"""

from __future__ import annotations

from typing import Any

_SCALARS = (type(None), bool, int, float, str)


def plain(value: Any) -> Any:
    """``value`` (as the driver returns it) as plain Python data (see the module docstring).

    Raises:
        TypeError: the driver returned a type kb does not know.
    """
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    from neo4j.graph import Node, Path, Relationship
    from neo4j.spatial import Point
    from neo4j.time import Date, DateTime, Duration, Time

    # Duration and Point are tuples: they are checked before sequences.
    if isinstance(value, Duration):
        return value.iso_format()
    if isinstance(value, Point):
        return {"srid": value.srid, **dict(zip(("x", "y", "z"), value, strict=False))}
    if isinstance(value, Date | DateTime | Time):
        return value.to_native()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Node):
        return plain(dict(value))
    if isinstance(value, Relationship):
        ends = [dict(node or {}) for node in value.nodes]  # a relationship has both ends
        return [plain(ends[0]), value.type, plain(ends[1])]
    if isinstance(value, Path):
        steps: list[Any] = [plain(dict(value.start_node))]
        # A path may walk a relationship against its direction: its nodes say where it went.
        for relationship, node in zip(value.relationships, value.nodes[1:], strict=True):
            steps += [relationship.type, plain(dict(node))]
        return steps
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    raise TypeError(f"Neo4j returned a {type(value).__name__}, which kb does not convert.")


def plain_row(record: Any) -> dict[str, Any]:
    """One driver record (keys and values) as a dict of plain values."""
    return {key: plain(value) for key, value in zip(record.keys(), record.values(), strict=True)}
