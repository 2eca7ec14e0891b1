// One tie by id, or no row.
//
// params:
//   $id   string   the tie id
// returns: id, type, source, target, start, end, start_first, end_last, evidence
// rows: optional
// mode: read
MATCH (s:Actor)-[t:TIE {id: $id}]->(o:Actor)
RETURN t.id AS id, t.type AS type, s.id AS source, o.id AS target, t.start AS start,
       t.end AS end, t.start_first AS start_first, t.end_last AS end_last, t.evidence AS evidence
