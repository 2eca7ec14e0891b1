// Every relationship of one type with the ids of its ends and its properties, for exports.
//
// Ties can be limited to some tie types, and anything with a spell (ties, memberships) to
// the spells that overlap a period: start_first <= the period's last day and end_last >=
// its first day, a missing start or end leaving that side open (docs/data-format.md).
// Relationships without start/end properties are never dropped by the period.
// $min_evidence / $triangulated keep relationships by their evidence (kb.analyses.selection);
// kb passes them for ties only.
//
// params:
//   $rel_type   string        TIE, MEMBER_OF, ATTENDED, AFFECTED or TAKES_POSITION
//   $types      list = null   tie types (the `type` property) to keep
//   $at_first   date = null   first day of the period
//   $at_last    date = null   last day of the period
//   $min_evidence   int = 0        keep ties with at least this many evidence items
//   $triangulated   bool = false   keep only triangulated ties
// returns: id, source, target, props (a map of every property of the relationship)
// rows: many
// mode: read
MATCH (a)-[r]->(b)
WHERE type(r) = $rel_type
  AND ($types IS NULL OR r.type IN $types)
  AND (($at_last IS NULL OR r.start_first IS NULL OR r.start_first <= $at_last)
       AND ($at_first IS NULL OR r.end_last IS NULL OR r.end_last >= $at_first))
  AND (coalesce($min_evidence, 0) <= 0 AND NOT coalesce($triangulated, false)
       OR EXISTS { MATCH (ev:Evidence) WHERE ev.id IN r.evidence
                   WITH count(DISTINCT ev) AS ev_items,
                        count(DISTINCT CASE WHEN ev.kind IN ['interview', 'observation', 'document']
                                       THEN ev.kind END) AS ev_kinds
                   WHERE ev_items >= coalesce($min_evidence, 0)
                     AND (ev_kinds >= 2 OR NOT coalesce($triangulated, false))
                   RETURN ev_items })
RETURN r.id AS id, a.id AS source, b.id AS target, properties(r) AS props
ORDER BY id, source, target
