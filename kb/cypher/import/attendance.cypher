// Create or update attendance ((actor)-[:ATTENDED]->(meeting)).
//
// Rows come validated from kb.imports; each outcome is created, updated or unchanged.
//
// MERGE on the stable id makes re-imports idempotent; unchanged rows are not rewritten.
// Evidence ids are kept as a set on the relationship and only ever added to, so links made
// with `kb link` survive a re-import.
//
// params:
//   $rows   list   maps {id, actor, meeting, props, evidence}
// returns: outcome, count
// rows: many
// mode: write
UNWIND $rows AS row
MATCH (a:Actor {id: row.actor}), (b:Meeting {id: row.meeting})
OPTIONAL MATCH ()-[old:ATTENDED {id: row.id}]->()
// Lock the existing relationship before reading it: Neo4j reads committed data without
// locks, so concurrent writers of one relationship would each compute its evidence list from
// what they read and the last to commit would drop the others' ids. Taking the write lock
// first makes them take turns; a SET on a missing (null) relationship does nothing.
SET old.kb_lock = true
REMOVE old.kb_lock
WITH row, a, b, old, CASE
    WHEN old IS NULL THEN 'created'
    WHEN all(k IN keys(row.props) WHERE old[k] = row.props[k]
                                     OR (old[k] IS NULL AND row.props[k] IS NULL))
         AND all(e IN row.evidence WHERE e IN coalesce(old.evidence, []))
         THEN 'unchanged'
    ELSE 'updated'
  END AS outcome
// An explicit id whose ends changed in the data moves to the new ends.
FOREACH (_ IN CASE WHEN old IS NOT NULL AND (startNode(old) <> a OR endNode(old) <> b)
                   THEN [1] ELSE [] END | DELETE old)
MERGE (a)-[r:ATTENDED {id: row.id}]->(b)
FOREACH (_ IN CASE WHEN outcome = 'unchanged' THEN [] ELSE [1] END |
  SET r += row.props,
      r.evidence = reduce(acc = coalesce(r.evidence, []), e IN row.evidence |
                          CASE WHEN e IN acc THEN acc ELSE acc + e END))
RETURN outcome, count(*) AS count
