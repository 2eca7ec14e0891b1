// The coders of the case's evidence items, with how many items each coded.
//
// returns: coder, items
// rows: many
// mode: read
MATCH (e:Evidence) WHERE e.coder IS NOT NULL
RETURN e.coder AS coder, count(*) AS items
ORDER BY coder
