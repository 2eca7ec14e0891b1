// The ties between two actors, in either direction, with the evidence behind each tie.
//
// With a period (--at), only ties whose spell overlaps it; a tie without a start has been
// there since before observation, a tie without an end is ongoing.
//
// params:
//   $a          string        one actor id
//   $b          string        the other actor id
// returns: tie, type, source, target, directed, start, end, weight, evidence (list of maps:
//          id, kind, date, quote, location, coder, note, document, document_title, document_path)
// rows: many
// mode: read
MATCH (a:Actor {id: $a})-[t:TIE]-(b:Actor {id: $b})
WHERE @in_period(t)
OPTIONAL MATCH (e:Evidence) WHERE e.id IN t.evidence
OPTIONAL MATCH (e)-[:FROM_DOCUMENT]->(d:Document)
WITH t, e, d ORDER BY e.date_first, e.id
WITH t, collect(CASE WHEN e IS NULL THEN null ELSE {
       id: e.id, kind: e.kind, date: e.date, quote: e.quote, location: e.location,
       coder: e.coder, note: e.note, document: d.id, document_title: d.title,
       document_path: d.path} END) AS evidence
RETURN t.id AS tie, t.type AS type, startNode(t).id AS source, endNode(t).id AS target,
       t.directed AS directed, t.start AS start, t.end AS end, t.weight AS weight, evidence
ORDER BY t.start_first, t.id
