"""Pure network measures: node ids and arcs in, plain numbers out; no database.

Every function takes node ids (strings, isolates included) and directed ``(source, target)``
arcs; undirected ties come expanded into both directions, parallel arcs collapse and
self-loops are ignored (`kb.measures.arcs`). Results are dataclasses or dicts of plain
values; an undefined value is ``None``, never NaN. Definitions, edge cases and the reference
implementations each measure was checked against are in docs/analyses.md.

Import the module you need (``from kb.measures.brokerage import brokerage``): this package
imports nothing itself, so a command pays only for the libraries (numpy, igraph) its own
measures use.
"""
