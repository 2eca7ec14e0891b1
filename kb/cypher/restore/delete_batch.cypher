// Delete up to $limit relationships, then (once none is left) up to $limit nodes, kb's
// bookkeeping included: kb restore --force empties the database completely.
//
// params:
//   $limit   int   how many to delete in this transaction
// returns: deleted
// mode: write
CALL () {
  MATCH ()-[r]->()
  WITH r LIMIT $limit
  DELETE r
  RETURN count(*) AS relationships
}
CALL (relationships) {
  MATCH (n) WHERE relationships = 0
  WITH n LIMIT $limit
  DELETE n
  RETURN count(*) AS nodes
}
RETURN relationships + nodes AS deleted
