// Keep the case's content fingerprint on the journal's head, for the version it was
// computed at (kb.fingerprint): only while the head still has that chain hash, so that a
// write committed meanwhile leaves nothing stale.
//
// params:
//   $chain         string   the journal's chain hash the fingerprint was computed at
//   $fingerprint   string   the content fingerprint ('sha256:…')
// returns: kept (1 or 0)
// rows: one
// mode: write
OPTIONAL MATCH (j:KbMeta {key: 'journal'})
WHERE j.fingerprint = $chain
SET j.content_fingerprint = $fingerprint, j.content_computed_at = $chain
RETURN count(j) AS kept
