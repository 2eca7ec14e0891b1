// The journal's head: the data version (the sequence number of the last journal entry, 0
// before any write was journaled) and the journal's chain hash at that version (the hash of
// the last entry, chained over all before it; not the content fingerprint, kb.fingerprint).
// One bookkeeping node, so it costs the same on any size of case (`kb status`).
//
// returns: data_version, fingerprint
// rows: one
// mode: read
OPTIONAL MATCH (j:KbMeta {key: 'journal'})
RETURN coalesce(j.seq, 0) AS data_version, coalesce(j.fingerprint, '') AS fingerprint
