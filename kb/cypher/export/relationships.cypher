// Every relationship of one type with the ids of its ends and its properties, for exports.
//
// Ties can be limited to some tie types, and anything with a spell (ties, memberships) to
// the spells that overlap a period: start_first <= the period's last day and end_last >=
// its first day, a missing start or end leaving that side open (docs/data-format.md).
// Relationships without start/end properties are never dropped by the period.
//
// params:
//   $rel_type   string        TIE, MEMBER_OF, ATTENDED, AFFECTED or TAKES_POSITION
//   $types      list = null   tie types (the `type` property) to keep
//   $at_first   date = null   first day of the period
//   $at_last    date = null   last day of the period
// returns: id, source, target, props (a map of every property of the relationship)
// mode: read
MATCH (a)-[r]->(b)
WHERE type(r) = $rel_type
  AND ($types IS NULL OR r.type IN $types)
  AND (($at_last IS NULL OR r.start_first IS NULL OR r.start_first <= $at_last)
       AND ($at_first IS NULL OR r.end_last IS NULL OR r.end_last >= $at_first))
RETURN r.id AS id, a.id AS source, b.id AS target, properties(r) AS props
ORDER BY id, source, target
