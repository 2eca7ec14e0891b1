// The journal's extent from its indexes alone: how many entries (the label's count), the
// lowest and highest sequence numbers (the two ends of the entries' seq index) and the
// head's. Entries count = head = highest, lowest 1: none is missing, without reading every
// entry (kb changes --id on a journal of 100 k entries).
//
// returns: entries, first, last, head
// rows: one
// mode: read
CALL () {
  MATCH (e:KbJournal)
  RETURN count(e) AS entries
}
CALL () {
  OPTIONAL MATCH (e:KbJournal) WHERE e.seq IS NOT NULL
  WITH e.seq AS seq ORDER BY seq LIMIT 1
  RETURN seq AS first
}
CALL () {
  OPTIONAL MATCH (e:KbJournal) WHERE e.seq IS NOT NULL
  WITH e.seq AS seq ORDER BY seq DESC LIMIT 1
  RETURN seq AS last
}
OPTIONAL MATCH (j:KbMeta {key: 'journal'})
RETURN entries, first, last, coalesce(j.seq, 0) AS head
