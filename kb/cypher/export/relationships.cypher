// Every relationship of one type with the ids of its ends and its properties, for exports.
//
// Ties can be limited to some tie types, and anything with a spell (ties, memberships) to
// the spells that overlap a period: start_first <= the period's last day and end_last >=
// its first day, a missing start or end leaving that side open (docs/data-format.md).
// Relationships without start/end properties are never dropped by the period.
// kb passes them for ties only.
//
// params:
//   $rel_type   string        TIE, MEMBER_OF, ATTENDED, AFFECTED or TAKES_POSITION
// returns: id, source, target, props (a map of every property of the relationship)
// rows: many
// mode: read
MATCH (a)-[r]->(b)
WHERE type(r) = $rel_type
  AND @selected(r)
RETURN r.id AS id, a.id AS source, b.id AS target, properties(r) AS props
ORDER BY id, source, target
