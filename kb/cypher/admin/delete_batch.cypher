// Delete up to $limit relationships, then (once none are left) up to $limit nodes of the
// case, keeping kb's bookkeeping nodes (except the markers of writes that never finished: an
// empty case has no incomplete restore or import).
//
// Run repeatedly until it returns 0: relationships go first so that deleting a hub node
// never puts hundreds of thousands of relationships in one transaction.
//
// params:
//   $limit   int   how many relationships or nodes to delete in this transaction
// returns: deleted
// rows: one
// mode: write
CALL () {
  MATCH ()-[r]->()
  WITH r LIMIT $limit
  DELETE r
  RETURN count(*) AS relationships
}
CALL (relationships) {
  MATCH (n) WHERE relationships = 0 AND (NOT n:KbMeta OR n.key STARTS WITH 'pending:')
  WITH n LIMIT $limit
  DELETE n
  RETURN count(*) AS nodes
}
RETURN relationships + nodes AS deleted
