// Append the changes of one write transaction to its journal entry.
//
// A chunk of few records indexes each record id (a KbMeta key 'touch:<id>:...'), so that
// `kb changes --id` finds it through the key constraint's index; a bulk chunk (an import
// batch) keeps its ids in a list and is labelled KbJournalBulk (the journal_ids full-text
// index holds them); `records`, the list's size, spares kb changes reading the list.
//
// params:
//   $key       string   the chunk's key (unique)
//   $seq       int      the entry it belongs to
//   $query     string   the canned write query that made the changes
//   $changes   string   JSON list of {id, kind, op, before, after} (changed properties only)
//   $ids       list     the ids of the records touched
//   $count     int      how many records the write reported
//   $bulk      bool     true for a bulk chunk (ids not indexed one by one)
//   $created   bool     a bulk chunk that can be undone: its ids not in $images were created
//   $images    string   JSON list of the before-images of the records that existed
// returns: key
// rows: one
// mode: write
CREATE (c:KbMeta:KbJournalChunk {key: $key, seq: $seq, query: $query, changes: $changes,
        ids: $ids, records: size($ids), count: $count, created: $created,
        images: $images})
FOREACH (_ IN CASE WHEN $bulk THEN [1] ELSE [] END | SET c:KbJournalBulk)
FOREACH (id IN CASE WHEN $bulk THEN [] ELSE $ids END |
  CREATE (:KbMeta:KbJournalTouch {key: 'touch:' + id + ':' + $key, id: id, seq: $seq}))
RETURN c.key AS key
