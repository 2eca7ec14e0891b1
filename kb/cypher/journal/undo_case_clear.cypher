// Undo a restore inside a --known-at transaction, first step: remove the whole case (not
// kb's bookkeeping); the case as it was before the restore is then created from the
// images the restore kept (journal/undo_image_nodes, journal/undo_image_relationships).
//
// returns: undone
// rows: one
// mode: write
MATCH (n) WHERE NOT n:KbMeta
DETACH DELETE n
RETURN count(*) AS undone
