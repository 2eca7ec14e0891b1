// The case record: every property of the Case node, which `kb publish` describes the
// package with (title, creators, publisher, publication_year, licence, ...).
//
// One database holds one case (kb import refuses a second); ordering keeps the answer
// stable all the same.
//
// returns: record (map of the Case node's properties)
// rows: optional
// mode: read
MATCH (c:Case)
RETURN properties(c) AS record
ORDER BY c.id
LIMIT 1
