// Take the journal's head for a new entry: the last sequence number and fingerprint, with
// the head locked until the transaction ends, so that concurrent writers number their
// entries one after the other.
//
// returns: seq, fingerprint
// rows: one
// mode: write
MERGE (j:KbMeta {key: 'journal'})
ON CREATE SET j.seq = 0, j.fingerprint = ''
SET j.kb_lock = true
REMOVE j.kb_lock
RETURN j.seq AS seq, j.fingerprint AS fingerprint
