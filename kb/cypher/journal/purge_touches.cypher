// Remove the index keys of a withdrawn participant's records (kb changes --id, kb history
// find nothing of them afterwards).
//
// params:
//   $ids   list     the ids of their records (actor, ties, evidence they informed)
//   $id    string   their actor id (keys of ids derived from it go too)
// returns: count
// rows: one
// mode: write
OPTIONAL MATCH (t:KbJournalTouch)
WHERE t.id IN $ids OR t.id CONTAINS $id OR t.key CONTAINS $id
DETACH DELETE t
RETURN count(t) AS count
