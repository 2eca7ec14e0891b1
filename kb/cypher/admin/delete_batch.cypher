// Delete up to $limit nodes of the case (not kb's bookkeeping) with their relationships.
//
// Run repeatedly until it returns 0, so that no transaction grows with the database.
//
// params:
//   $limit   int   how many nodes to delete in this transaction
// returns: deleted
MATCH (n) WHERE NOT n:KbMeta
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
