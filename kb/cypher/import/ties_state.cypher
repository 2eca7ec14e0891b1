// Which ties of an import batch already exist, and whether they would change.
//
// Read before writing a batch into a database that holds ties: rows whose id is absent go
// to import/ties_new, changed ones to import/ties, unchanged ones are not written at all.
// A tie is unchanged when its ends, every given property and the evidence ids (a subset
// suffices: evidence only grows) are already as in the row, the same test import/ties makes.
//
// params:
//   $rows   list   maps {id, source, target, props, evidence}
// returns: unchanged (ids), changed (ids); ids of the batch absent from both are new
// rows: one
// mode: read
UNWIND $rows AS row
MATCH (x)-[old:TIE {id: row.id}]->(y)
WITH row.id AS id,
     x.id = row.source AND y.id = row.target
     AND all(k IN keys(row.props) WHERE old[k] = row.props[k]
                                     OR (old[k] IS NULL AND row.props[k] IS NULL))
     AND all(e IN row.evidence WHERE e IN coalesce(old.evidence, [])) AS same
RETURN collect(CASE WHEN same THEN id END) AS unchanged,
       collect(CASE WHEN same THEN null ELSE id END) AS changed
