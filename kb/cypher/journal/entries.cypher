// Journal entries from a sequence number on, oldest first, with their chunks.
// A bulk chunk's id list (5,000 ids an import batch) is not sent, only its size.
//
// params:
//   $since     int      the first sequence number listed
//   $analyst   string = null   only this analyst's entries
// returns: seq, at, analyst, command, why, prev, hash, purged, chunks
// rows: many
// mode: read
MATCH (e:KbJournal)
WHERE e.seq >= $since AND ($analyst IS NULL OR e.analyst = $analyst)
OPTIONAL MATCH (c:KbJournalChunk {seq: e.seq})
WITH e, c ORDER BY c.key
WITH e, collect(
  CASE WHEN c:KbJournalBulk
    THEN c {.query, .changes, .count, .purged, ids: [], records: coalesce(c.records, size(c.ids))}
    ELSE c {.query, .changes, .ids, .count, .purged}
  END) AS chunks
RETURN e.seq AS seq, e.at AS at, e.analyst AS analyst, e.command AS command, e.why AS why,
       e.prev AS prev, e.hash AS hash, e.purged AS purged, chunks
ORDER BY seq
