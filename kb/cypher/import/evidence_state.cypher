// Which evidence items of an import batch already exist, and whether they would change.
//
// Read before writing a batch into a database that holds evidence items: rows whose id is
// absent go to import/evidence_new, changed ones to import/evidence, unchanged ones are not
// written at all. An item is unchanged when every given property is already as in the row
// (the test import/evidence makes) and its source document link is the row's.
//
// params:
//   $rows   list   maps {id, props, document}: props are the node's properties
// returns: unchanged (ids), changed (ids); ids of the batch absent from both are new
// rows: one
// mode: read
UNWIND $rows AS row
MATCH (old:Evidence {id: row.id})
WITH row, old, COLLECT { MATCH (old)-[:FROM_DOCUMENT]->(x) RETURN x.id } AS documents
WITH row.id AS id,
     all(k IN keys(row.props) WHERE old[k] = row.props[k]
                                 OR (old[k] IS NULL AND row.props[k] IS NULL))
     AND documents = CASE WHEN row.document IS NULL THEN [] ELSE [row.document] END AS same
RETURN collect(CASE WHEN same THEN id END) AS unchanged,
       collect(CASE WHEN same THEN null ELSE id END) AS changed
