// The sequence numbers of the journal entries that touched one record: small chunks through
// their indexed touch keys, bulk chunks (import batches) through their id lists.
//
// params:
//   $id   string   the record's id
// returns: seqs
// rows: one
// mode: read
CALL () {
  MATCH (t:KbMeta) WHERE t.key STARTS WITH 'touch:' + $id + ':' AND t.id = $id
  RETURN t.seq AS seq
  UNION
  MATCH (c:KbJournalBulk) WHERE $id IN c.ids
  RETURN c.seq AS seq
}
WITH DISTINCT seq ORDER BY seq
RETURN collect(seq) AS seqs
