// Per tie, the evidence behind it: how many items, of which kinds, from how many source
// documents and coders.
//
// A tie lists its evidence ids (docs/model.md); ids without an Evidence node do not count.
// With a period, only ties whose spell overlaps it.
//
// params:
// returns: tie, type, source, target, start, end, start_first, end_last, evidence,
//          kinds (distinct evidence kinds), sources (distinct documents), coders
//          (distinct coders)
// rows: many
// mode: read
MATCH (a:Actor)-[t:TIE]->(b:Actor)
WHERE @selected(t)
CALL (t) {
  OPTIONAL MATCH (e:Evidence) WHERE e.id IN coalesce(t.evidence, [])
  OPTIONAL MATCH (e)-[:FROM_DOCUMENT]->(d:Document)
  RETURN count(DISTINCT e) AS evidence, collect(DISTINCT e.kind) AS kinds,
         count(DISTINCT d) AS sources, count(DISTINCT e.coder) AS coders
}
RETURN t.id AS tie, t.type AS type, a.id AS source, b.id AS target, t.start AS start,
       t.end AS end, t.start_first AS start_first, t.end_last AS end_last,
       evidence, kinds, sources, coders
ORDER BY evidence, tie
