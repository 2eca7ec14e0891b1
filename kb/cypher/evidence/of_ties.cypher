// The evidence items behind a list of ties.
//
// params:
//   $ties   list   tie ids
// returns: tie, evidence (list of maps: id, kind, date, quote, location, document)
// rows: many
// mode: read
UNWIND $ties AS tie_id
MATCH ()-[t:TIE {id: tie_id}]->()
OPTIONAL MATCH (e:Evidence) WHERE e.id IN t.evidence
OPTIONAL MATCH (e)-[:FROM_DOCUMENT]->(d:Document)
WITH tie_id, e, d ORDER BY e.date_first, e.id
RETURN tie_id AS tie,
       collect(CASE WHEN e IS NULL THEN null
               ELSE e {.id, .kind, .date, .quote, .location, document: d.title} END) AS evidence
