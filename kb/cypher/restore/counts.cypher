// How many nodes the database holds, kb's bookkeeping (KbMeta) apart, and how many of those.
//
// kb restore refuses a database with data unless told --force; KbMeta alone does not count.
//
// returns: nodes, meta
// rows: one
// mode: read
CALL () { MATCH (n) WHERE NOT n:KbMeta RETURN count(n) AS nodes }
CALL () { MATCH (m:KbMeta) RETURN count(m) AS meta }
RETURN nodes, meta
