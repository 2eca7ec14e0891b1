// The journal entries that touched one record: small chunks through their indexed touch
// keys, bulk chunks (import batches) through the journal_ids full-text index, which holds
// each id of their lists as one term (the id quoted for Lucene); only the chunks it names
// have their list read.
//
// params:
//   $id   string   the record's id
// returns: seq, chunk (the key of a bulk chunk listing the id; null for a small one)
// rows: many
// mode: read
MATCH (t:KbMeta) WHERE t.key STARTS WITH 'touch:' + $id + ':' AND t.id = $id
RETURN t.seq AS seq, null AS chunk
UNION
CALL db.index.fulltext.queryNodes(
  'journal_ids', '"' + replace(replace($id, '\\', '\\\\'), '"', '\\"') + '"'
) YIELD node
WITH node WHERE node:KbJournalBulk AND $id IN node.ids
RETURN node.seq AS seq, node.key AS chunk
