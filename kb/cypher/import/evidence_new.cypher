// Create evidence items whose ids are not in the database yet.
//
// The fast path of an evidence import: kb.imports.writer sends here only rows whose id it knows to
// be new (the database held no evidence item, or import/evidence_state did not find the
// id), so a plain CREATE does. Should a concurrent writer have created one of the ids
// meanwhile, the uniqueness constraint fails the batch and kb.imports.writer sends it through
// import/evidence instead. What is stored is what import/evidence stores for a created item.
// The source document of an item becomes (evidence)-[:FROM_DOCUMENT]->(document).
//
// params:
//   $rows   list   maps {id, props, document}: props are the node's properties
// returns: outcome, count
// rows: many
// mode: write
UNWIND $rows AS row
CREATE (n:Evidence {id: row.id})
SET n += row.props
WITH n, row
CALL (n, row) {
  WITH n, row WHERE row.document IS NOT NULL
  MATCH (t:Document {id: row.document})
  CREATE (n)-[:FROM_DOCUMENT]->(t)
}
RETURN 'created' AS outcome, count(*) AS count
