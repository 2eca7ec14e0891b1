// Remove evidence ids from ties' evidence lists.
//
// Used by `kb import project.qdpx --prune` for tie codes removed from a passage. The list is
// rewritten from its current value inside the SET (write lock first).
//
// params:
//   $links   list   maps {evidence, tie}
// returns: removed (links removed)
// rows: one
// mode: write
UNWIND $links AS link
MATCH ()-[t:TIE {id: link.tie}]->()
WHERE link.evidence IN coalesce(t.evidence, [])
WITH t, collect(DISTINCT link.evidence) AS ids
SET t.evidence = [e IN t.evidence WHERE NOT e IN ids]
RETURN sum(size(ids)) AS removed
