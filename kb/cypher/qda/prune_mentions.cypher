// Delete evidence items' mentions of actors.
//
// Used by `kb import project.qdpx --prune` for actor codes removed from a passage.
//
// params:
//   $pairs   list   maps {evidence, actor}
// returns: deleted
// rows: one
// mode: write
UNWIND $pairs AS pair
MATCH (:Evidence {id: pair.evidence})-[m:MENTIONS]->(:Actor {id: pair.actor})
DELETE m
RETURN count(*) AS deleted
