// Create or update evidence items.
//
// Rows come validated from kb.imports; each outcome is created, updated or unchanged.
//
// MERGE on the stable id makes re-imports idempotent; unchanged rows are not rewritten.
// The source document of an item becomes (evidence)-[:FROM_DOCUMENT]->(document).
//
// params:
//   $rows   list   maps {id, props, document}: props are the node's properties
//                  (all or some: an update by `kb add` sends only what it changes, and
//                  leaves out the key document unless it changes that link)
// returns: outcome, count
// rows: many
// mode: write
UNWIND $rows AS row
OPTIONAL MATCH (old:Evidence {id: row.id})
WITH row, CASE
    WHEN old IS NULL THEN 'created'
    WHEN all(k IN keys(row.props) WHERE old[k] = row.props[k]
                                     OR (old[k] IS NULL AND row.props[k] IS NULL))
         THEN 'unchanged'
    ELSE 'updated'
  END AS outcome
MERGE (n:Evidence {id: row.id})
FOREACH (_ IN CASE WHEN outcome = 'unchanged' THEN [] ELSE [1] END | SET n += row.props)
WITH n, row, outcome
CALL (n, row) {
  OPTIONAL MATCH (n)-[stale:FROM_DOCUMENT]->(x)
  WHERE 'document' IN keys(row) AND (row.document IS NULL OR x.id <> row.document)
  DELETE stale
}
CALL (n, row) {
  WITH n, row WHERE row.document IS NOT NULL
  MATCH (t:Document {id: row.document})
  MERGE (n)-[:FROM_DOCUMENT]->(t)
}
RETURN outcome, count(*) AS count
