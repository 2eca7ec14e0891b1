// Delete up to $limit relationships, then (once none is left) up to $limit nodes, kb's
// bookkeeping included (kb restore --force empties the database completely), except the
// marker of the restore that runs.
//
// params:
//   $limit   int             how many to delete in this transaction
//   $keep    string = null   the key of the KbMeta node to keep (the running restore's marker)
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
  MATCH (n) WHERE relationships = 0 AND NOT (n:KbMeta AND coalesce(n.key = $keep, false))
  WITH n LIMIT $limit
  DELETE n
  RETURN count(*) AS nodes
}
RETURN relationships + nodes AS deleted
