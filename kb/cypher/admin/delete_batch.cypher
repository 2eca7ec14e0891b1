// Delete up to $limit relationships, then (once none are left) up to $limit nodes of the
// case, keeping kb's bookkeeping nodes (except the markers of writes that never finished: an
// empty case has no incomplete restore or import).
//
// Run repeatedly until it returns 0: relationships go first so that deleting a hub node
// never puts hundreds of thousands of relationships in one transaction.
//
// Each record deleted (but kb's markers) answers with its image, labels or type, the ids of
// its ends and every property, which the journal keeps so that --known-at can show the case
// as it was before the reset.
//
// params:
//   $limit   int   how many relationships or nodes to delete in this transaction
// returns: deleted, images
// rows: one
// mode: write
CALL () {
  MATCH (a)-[r]->(b)
  WITH a, r, b LIMIT $limit
  WITH r, CASE WHEN a:KbMeta OR b:KbMeta THEN null
               ELSE {op: 'deleted', kind: 'relationship', id: r.id, labels: [type(r)],
                     start: a.id, end: b.id, props: properties(r)} END AS image
  DELETE r
  RETURN count(*) AS relationships, collect(image) AS lost
}
CALL (relationships) {
  MATCH (n) WHERE relationships = 0 AND (NOT n:KbMeta OR n.key STARTS WITH 'pending:')
  WITH n LIMIT $limit
  WITH n, CASE WHEN n:KbMeta THEN null
               ELSE {op: 'deleted', kind: 'node', id: coalesce(n.id, n.unit),
                     labels: labels(n), props: properties(n)} END AS image
  DELETE n
  RETURN count(*) AS nodes, collect(image) AS gone
}
RETURN relationships + nodes AS deleted, lost + gone AS images
