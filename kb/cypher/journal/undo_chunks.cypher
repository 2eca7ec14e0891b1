// The chunks of the journal entries after a data version, newest first: what a --known-at
// transaction undoes.
//
// params:
//   $since   int   undo the entries with a greater sequence number
// returns: seq, command, query, changes, ids, count, created, images
// rows: many
// mode: read
MATCH (c:KbJournalChunk) WHERE c.seq > $since
MATCH (e:KbMeta {key: 'journal:' + toString(c.seq)})
RETURN c.seq AS seq, e.command AS command, c.query AS query, c.changes AS changes,
       coalesce(c.ids, []) AS ids, c.count AS count, coalesce(c.created, false) AS created,
       c.images AS images
ORDER BY c.seq DESC, c.key DESC
