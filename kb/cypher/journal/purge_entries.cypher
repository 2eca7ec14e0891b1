// Every journal entry, oldest first, for a withdrawal that masks a participant in the
// entries' commands and reasons and chains their hashes again (kb.journal_purge).
//
// returns: seq, at, analyst, command, why, prev, hash
// rows: many
// mode: read
MATCH (e:KbJournal)
RETURN e.seq AS seq, e.at AS at, e.analyst AS analyst, e.command AS command, e.why AS why,
       e.prev AS prev, e.hash AS hash
ORDER BY seq
