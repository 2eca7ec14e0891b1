// Every chunk of the journal, for a withdrawal that purges a participant's data from it
// (kb.journal_purge; run in the withdrawal's transaction).
//
// returns: key, changes, ids, images
// rows: many
// mode: read
MATCH (c:KbJournalChunk)
RETURN c.key AS key, c.changes AS changes, coalesce(c.ids, []) AS ids, c.images AS images
ORDER BY key
