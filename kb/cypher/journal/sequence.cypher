// The journal's sequence numbers and times, for resolving --known-at and checking that no
// entry is missing.
//
// returns: seq, at
// rows: many
// mode: read
MATCH (e:KbJournal)
RETURN e.seq AS seq, e.at AS at
ORDER BY seq
