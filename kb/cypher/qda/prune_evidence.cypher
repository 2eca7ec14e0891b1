// Delete evidence items, and their ids from every relationship's evidence list.
//
// Used by `kb import project.qdpx --prune` for passages the project no longer codes. The
// lists are rewritten from their current value inside the SET (write lock first). The
// lists changed and the mentions deleted with the items answer with their images, which
// the journal keeps (the items themselves it reads by their ids).
//
// params:
//   $ids   list   evidence ids
// returns: deleted (evidence items deleted), images
// rows: one
// mode: write
CALL () {
  MATCH ()-[r:TIE|MEMBER_OF|ATTENDED|TAKES_POSITION|AFFECTED]->()
  WHERE r.evidence IS NOT NULL AND any(e IN r.evidence WHERE e IN $ids)
  WITH r, r.evidence AS before
  SET r.evidence = [e IN r.evidence WHERE NOT e IN $ids]
  RETURN collect({op: 'updated', kind: 'relationship', id: r.id, labels: [type(r)],
                  start: startNode(r).id, end: endNode(r).id,
                  before: {evidence: before}, after: {evidence: r.evidence}}) AS lists
}
CALL () {
  MATCH (e:Evidence)-[m:MENTIONS]->(a)
  WHERE e.id IN $ids
  RETURN collect({op: 'deleted', kind: 'relationship', id: m.id, labels: [type(m)],
                  start: e.id, end: a.id, props: properties(m)}) AS mentions
}
CALL () {
  MATCH (e:Evidence) WHERE e.id IN $ids
  DETACH DELETE e
  RETURN count(*) AS deleted
}
RETURN deleted, lists + mentions AS images
