// Create or update problems.
//
// Rows come validated from kb.imports; each outcome is created, updated or unchanged.
//
// MERGE on the stable id makes re-imports idempotent; unchanged rows are not rewritten.
//
// params:
//   $rows   list   maps {id, props}: props are the node's properties
// returns: outcome, count
// rows: many
// mode: write
UNWIND $rows AS row
OPTIONAL MATCH (old:Problem {id: row.id})
WITH row, CASE
    WHEN old IS NULL THEN 'created'
    WHEN all(k IN keys(row.props) WHERE old[k] = row.props[k]
                                     OR (old[k] IS NULL AND row.props[k] IS NULL))
         THEN 'unchanged'
    ELSE 'updated'
  END AS outcome
MERGE (n:Problem {id: row.id})
FOREACH (_ IN CASE WHEN outcome = 'unchanged' THEN [] ELSE [1] END | SET n += row.props)
WITH n, row, outcome
RETURN outcome, count(*) AS count
