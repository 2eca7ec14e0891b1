// @selected(t): whether the tie t is kept by the tie selection (kb.analyses.selection.Selection).
//
// The one Cypher copy of kb's tie selection, spliced into every query that writes
// @selected(x) (x: its tie variable); the parameters below join that query's own.
// Selection.params gives them and Selection.keeps is the same rule in Python (a test checks
// they agree): the tie's type is one of $types; its spell overlaps the period
// (@in_period, which brings $at_first / $at_last); and it has at least $min_evidence evidence items (ids that resolve to an
// Evidence node), triangulated (evidence of two or more of the kinds interview,
// observation and document) when $triangulated. With $coders, a tie's evidence is only the
// items of those coders (names in any case): it needs one at least, and $min_evidence and
// $triangulated count only them.
//
// params:
//   $types          list = null    tie types to include (null: all)
//   $min_evidence   int = 0        keep ties with at least this many evidence items
//   $triangulated   bool = false   keep only triangulated ties
//   $coders         list = null    keep ties evidenced by these coders' items (null: any coder)
// returns: a predicate
// mode: read
($types IS NULL OR t.type IN $types)
AND @in_period(t)
AND (coalesce($min_evidence, 0) <= 0 AND NOT coalesce($triangulated, false) AND $coders IS NULL
     OR EXISTS { MATCH (ev:Evidence) WHERE ev.id IN t.evidence
                   AND ($coders IS NULL OR toLower(ev.coder) IN [ev_coder IN $coders | toLower(ev_coder)])
                 WITH count(DISTINCT ev) AS ev_items,
                      count(DISTINCT CASE WHEN ev.kind IN ['interview', 'observation', 'document']
                                     THEN ev.kind END) AS ev_kinds
                 WHERE ev_items >= coalesce($min_evidence, 0)
                   AND (ev_items > 0 OR $coders IS NULL)
                   AND (ev_kinds >= 2 OR NOT coalesce($triangulated, false))
                 RETURN ev_items })
