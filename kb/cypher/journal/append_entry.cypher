// Append a journal entry and move the head to it (in the transaction of the change).
//
// params:
//   $seq           int      the entry's sequence number (the head's + 1)
//   $at            string   UTC time, ISO 8601
//   $analyst       string   who made the change
//   $command       string   the command, without secrets
//   $why           string   the analyst's note (empty: none)
//   $prev          string   the previous entry's hash ('' for the first)
//   $fingerprint   string   this entry's hash (over prev and the entry): the head's fingerprint
// returns: seq
// rows: one
// mode: write
MATCH (j:KbMeta {key: 'journal'})
SET j.seq = $seq, j.fingerprint = $fingerprint
CREATE (e:KbMeta:KbJournal {key: 'journal:' + toString($seq), seq: $seq, at: $at,
        analyst: $analyst, command: $command, why: $why, prev: $prev, hash: $fingerprint})
RETURN e.seq AS seq
