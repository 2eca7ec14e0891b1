// The journal entries with these sequence numbers, oldest first, with their chunks
// (kb changes --id, kb history): one index seek per entry.
//
// params:
//   $seqs      list            sequence numbers
//   $analyst   string = null   only this analyst's entries
// returns: seq, at, analyst, command, why, prev, hash, purged, chunks
// rows: many
// mode: read
MATCH (e:KbMeta)
WHERE e.key IN [s IN $seqs | 'journal:' + toString(s)]
  AND ($analyst IS NULL OR e.analyst = $analyst)
OPTIONAL MATCH (c:KbJournalChunk {seq: e.seq})
WITH e, c ORDER BY c.key
WITH e, collect(c {.query, .changes, .ids, .count, .purged}) AS chunks
RETURN e.seq AS seq, e.at AS at, e.analyst AS analyst, e.command AS command, e.why AS why,
       e.prev AS prev, e.hash AS hash, e.purged AS purged, chunks
ORDER BY seq
