// Set the journal's head (after a restore put its history back).
//
// params:
//   $seq           int      the last entry's sequence number
//   $fingerprint   string   that entry's hash
// returns: seq
// rows: one
// mode: write
MERGE (j:KbMeta {key: 'journal'})
SET j.seq = $seq, j.fingerprint = $fingerprint
RETURN j.seq AS seq
