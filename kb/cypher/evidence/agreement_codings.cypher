// The codings behind inter-coder agreement on ties: each evidence item that supports a tie,
// with its coder, its source document, the tie's type and its two actors in id order (the
// agreement unit is the source, the unordered pair and the type; kb.analyses.agreement).
//
// An item without a source document, or without a coder, has no place in a unit: it comes
// back with a null source (or coder) so that the analysis can count it.
//
// params:
//   $types   list = null   keep ties of these types (null: every type)
// returns: source, source_title, source_date (the document's first day), evidence, coder,
//          quote, evidence_date (the item's first day), low, high (actor ids, low < high),
//          type
// rows: many
// mode: read
MATCH (a:Actor)-[t:TIE]->(b:Actor)
WHERE $types IS NULL OR t.type IN $types
UNWIND coalesce(t.evidence, []) AS evidence_id
MATCH (e:Evidence {id: evidence_id})
OPTIONAL MATCH (e)-[:FROM_DOCUMENT]->(d:Document)
WITH DISTINCT e, d, t.type AS type,
     CASE WHEN a.id < b.id THEN a.id ELSE b.id END AS low,
     CASE WHEN a.id < b.id THEN b.id ELSE a.id END AS high
WHERE low <> high
RETURN d.id AS source, d.title AS source_title, d.date_first AS source_date,
       e.id AS evidence, e.coder AS coder, e.quote AS quote, e.date_first AS evidence_date,
       low, high, type
ORDER BY source, low, high, type, evidence
