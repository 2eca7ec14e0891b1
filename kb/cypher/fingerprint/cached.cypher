// The journal's head and the content fingerprint kept on it (kb.fingerprint): the data
// version, the journal's chain hash, and the fingerprint with the chain hash it was
// computed at (valid while the head still has that hash: every write moves it).
//
// returns: data_version, chain, fingerprint, computed_at (null: none kept)
// rows: one
// mode: read
OPTIONAL MATCH (j:KbMeta {key: 'journal'})
RETURN coalesce(j.seq, 0) AS data_version, coalesce(j.fingerprint, '') AS chain,
       j.content_fingerprint AS fingerprint, j.content_computed_at AS computed_at
