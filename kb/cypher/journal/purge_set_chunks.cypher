// Write back the chunks purged of a withdrawn participant's data, each marked with the
// purge (the withdrawal's date), which kb changes shows.
//
// params:
//   $rows   list     {key, changes, ids, images}: the chunks' purged values
//   $note   string   what happened, e.g. 'purged for a withdrawal on 2026-12-08'
// returns: count
// rows: one
// mode: write
UNWIND $rows AS row
MATCH (c:KbJournalChunk {key: row.key})
SET c.changes = row.changes, c.ids = row.ids, c.images = row.images, c.purged = $note
RETURN count(c) AS count
