// Add evidence ids to ties' evidence lists (idempotent, safe under concurrent writers).
//
// The new list is computed from the tie's current list inside the SET, so Cypher takes the
// tie's write lock before reading it: two imports linking evidence to the same tie at once
// both keep their ids (no read-modify-write from the client).
//
// params:
//   $links   list   maps {tie, evidence}: a tie id and an evidence id
// returns: linked (links added), unchanged (links already there)
// rows: one
// mode: write
UNWIND $links AS link
MATCH ()-[t:TIE {id: link.tie}]->()
WITH t, collect(DISTINCT link.evidence) AS ids
WITH t, ids, size([e IN ids WHERE e IN coalesce(t.evidence, [])]) AS had
SET t.evidence = coalesce(t.evidence, []) + [e IN ids WHERE NOT e IN coalesce(t.evidence, [])]
RETURN sum(size(ids) - had) AS linked, sum(had) AS unchanged
