// Every node of the journal (head, entries, chunks, touch keys), to carry it over a restore.
//
// returns: labels, props
// rows: many
// mode: read
MATCH (n:KbMeta)
WHERE n.key = 'journal' OR n:KbJournal OR n:KbJournalChunk OR n:KbJournalTouch
RETURN labels(n) AS labels, properties(n) AS props
