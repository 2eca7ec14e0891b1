// Create or update territories.
//
// Rows come validated from kb.imports; each outcome is created, updated or unchanged.
//
// MERGE on the stable id makes re-imports idempotent; unchanged rows are not rewritten.
// A territory's parent becomes (territory)-[:PART_OF]->(parent).
//
// params:
//   $rows   list   maps {id, props, parent}: props are the node's properties
//                  (all or some: an update by `kb add` sends only what it changes, and
//                  leaves out the key parent unless it changes that link)
// returns: outcome, count
// rows: many
// mode: write
UNWIND $rows AS row
OPTIONAL MATCH (old:Territory {id: row.id})
WITH row, CASE
    WHEN old IS NULL THEN 'created'
    WHEN all(k IN keys(row.props) WHERE old[k] = row.props[k]
                                     OR (old[k] IS NULL AND row.props[k] IS NULL))
         THEN 'unchanged'
    ELSE 'updated'
  END AS outcome
MERGE (n:Territory {id: row.id})
FOREACH (_ IN CASE WHEN outcome = 'unchanged' THEN [] ELSE [1] END | SET n += row.props)
WITH n, row, outcome
CALL (n, row) {
  OPTIONAL MATCH (n)-[stale:PART_OF]->(x)
  WHERE 'parent' IN keys(row) AND (row.parent IS NULL OR x.id <> row.parent)
  DELETE stale
}
CALL (n, row) {
  WITH n, row WHERE row.parent IS NOT NULL
  MATCH (t:Territory {id: row.parent})
  MERGE (n)-[:PART_OF]->(t)
}
RETURN outcome, count(*) AS count
