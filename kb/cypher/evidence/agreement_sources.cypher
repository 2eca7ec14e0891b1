// The coders of each source document: a coder coded a source when at least one of their
// evidence items is drawn from it (whatever the item supports). A coder who did not code a
// source has no value for its agreement units (missing, not 0).
//
// returns: source, coder, items
// rows: many
// mode: read
MATCH (e:Evidence)-[:FROM_DOCUMENT]->(d:Document)
WHERE e.coder IS NOT NULL
RETURN d.id AS source, e.coder AS coder, count(e) AS items
ORDER BY source, coder
