// The journal entries with these sequence numbers, oldest first, with their chunks
// (kb changes --id, kb history): one index seek per entry. A bulk chunk's id list (5,000
// ids an import batch) is not sent: its size, and the id looked up if the chunk lists it.
//
// params:
//   $seqs      list            sequence numbers
//   $id        string          the record looked up
//   $hits      list            the keys of the bulk chunks that list it (journal/touching)
//   $analyst   string = null   only this analyst's entries
// returns: seq, at, analyst, command, why, prev, hash, purged, chunks
// rows: many
// mode: read
MATCH (e:KbMeta)
WHERE e.key IN [s IN $seqs | 'journal:' + toString(s)]
  AND ($analyst IS NULL OR e.analyst = $analyst)
OPTIONAL MATCH (c:KbJournalChunk {seq: e.seq})
WITH e, c ORDER BY c.key
WITH e, collect(
  CASE WHEN c:KbJournalBulk
    THEN c {.query, .changes, .count, .purged,
            ids: CASE WHEN c.key IN $hits THEN [$id] ELSE [] END,
            records: coalesce(c.records, size(c.ids))}
    ELSE c {.query, .changes, .ids, .count, .purged}
  END) AS chunks
RETURN e.seq AS seq, e.at AS at, e.analyst AS analyst, e.command AS command, e.why AS why,
       e.prev AS prev, e.hash AS hash, e.purged AS purged, chunks
ORDER BY seq
