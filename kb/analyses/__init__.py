"""Case-level analyses: each a function over a `kb.store.Reader`, returning a typed result
(`kb.results`: its `data()` is the JSON, its `records()` the CSV rows).

Each analysis reads the ties one `kb.analyses.selection.Selection` keeps, its second
argument: its tie types; its period (without one every tie counts whatever its spell, the
aggregated network; with one only ties whose spell overlaps it, `kb.periods.Period.overlaps`);
and its evidence rule (``min_evidence`` / ``triangulated``); ``by`` repeats an analysis per
stage, year or quarter. `kb.graph.KnowledgeBase` offers every one as a method
(``base.brokerage(Selection.build(at="2016"), group_by="sector")``). The numbers come from
`kb.measures`; definitions and citations: docs/analyses.md.
"""
