// Create or update documents.
//
// Rows come validated from kb.imports; each outcome is created, updated or unchanged.
//
// The author becomes (actor)-[:AUTHORED]->(document).
// MERGE on the stable id makes re-imports idempotent; unchanged rows are not rewritten.
//
// params:
//   $rows   list   maps {id, props, author}: props are the node's properties
//                  (all or some: an update by `kb add` sends only what it changes, and
//                  leaves out the key author unless it changes that link)
// returns: outcome, count
// rows: many
// mode: write
UNWIND $rows AS row
OPTIONAL MATCH (old:Document {id: row.id})
WITH row, CASE
    WHEN old IS NULL THEN 'created'
    WHEN all(k IN keys(row.props) WHERE old[k] = row.props[k]
                                     OR (old[k] IS NULL AND row.props[k] IS NULL))
         THEN 'unchanged'
    ELSE 'updated'
  END AS outcome
MERGE (n:Document {id: row.id})
FOREACH (_ IN CASE WHEN outcome = 'unchanged' THEN [] ELSE [1] END | SET n += row.props)
WITH n, row, outcome
CALL (n, row) {
  OPTIONAL MATCH (x)-[stale:AUTHORED]->(n)
  WHERE 'author' IN keys(row) AND (row.author IS NULL OR x.id <> row.author)
  DELETE stale
}
CALL (n, row) {
  WITH n, row WHERE row.author IS NOT NULL
  MATCH (t:Actor {id: row.author})
  MERGE (t)-[:AUTHORED]->(n)
}
RETURN outcome, count(*) AS count
