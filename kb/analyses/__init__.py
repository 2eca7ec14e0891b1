"""Case-level analyses: each a function over a `kb.store.Reader`, returning a typed result
(`kb.results`: its `data()` is the JSON, its `records()` the CSV rows).

Each analysis selects ties by type and time the same way: without ``at`` every tie counts
whatever its spell (the aggregated network); with ``at`` only ties whose spell overlaps that
(partial) date (`kb.periods.Period.overlaps`); ``by`` repeats the analysis per stage, year
or quarter; ``min_evidence`` / ``triangulated`` keep only well-evidenced ties
(`kb.analyses.selection.EvidenceSelection.selects`). `kb.graph.KnowledgeBase` offers every
one as a method (``base.brokerage(group_by="sector")``). The numbers come from
`kb.measures`; definitions and citations: docs/analyses.md.
"""
