// Delete evidence items' mentions of actors.
//
// Used by `kb import project.qdpx --prune` for actor codes removed from a passage. Each
// mention deleted answers with its image, which the journal keeps.
//
// params:
//   $pairs   list   maps {evidence, actor}
// returns: deleted, images
// rows: one
// mode: write
UNWIND $pairs AS pair
MATCH (e:Evidence {id: pair.evidence})-[m:MENTIONS]->(a:Actor {id: pair.actor})
WITH m, {op: 'deleted', kind: 'relationship', id: m.id, labels: [type(m)], start: e.id,
         end: a.id, props: properties(m)} AS image
DELETE m
RETURN count(*) AS deleted, collect(image) AS images
