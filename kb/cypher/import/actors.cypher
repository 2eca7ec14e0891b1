// Create or update persons (Actor:Person).
//
// Rows come validated from kb.imports; each outcome is created, updated or unchanged.
//
// MERGE on the stable id makes re-imports idempotent; unchanged rows are not rewritten.
//
// params:
//   $rows   list   maps {id, props, territory}: props are the node's properties
//                  (all or some: an update by `kb add` sends only what it changes, and
//                  leaves out the key territory unless it changes that link)
// returns: outcome, count
// rows: many
// mode: write
UNWIND $rows AS row
OPTIONAL MATCH (old:Actor {id: row.id})
WITH row, CASE
    WHEN old IS NULL THEN 'created'
    WHEN all(k IN keys(row.props) WHERE old[k] = row.props[k]
                                     OR (old[k] IS NULL AND row.props[k] IS NULL))
         THEN 'unchanged'
    ELSE 'updated'
  END AS outcome
MERGE (n:Actor {id: row.id})
SET n:Person
FOREACH (_ IN CASE WHEN outcome = 'unchanged' THEN [] ELSE [1] END | SET n += row.props)
WITH n, row, outcome
CALL (n, row) {
  OPTIONAL MATCH (n)-[stale:IN_TERRITORY]->(x)
  WHERE 'territory' IN keys(row) AND (row.territory IS NULL OR x.id <> row.territory)
  DELETE stale
}
CALL (n, row) {
  WITH n, row WHERE row.territory IS NOT NULL
  MATCH (t:Territory {id: row.territory})
  MERGE (n)-[:IN_TERRITORY]->(t)
}
RETURN outcome, count(*) AS count
