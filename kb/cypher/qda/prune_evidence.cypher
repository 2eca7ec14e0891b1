// Delete evidence items, and their ids from every relationship's evidence list.
//
// Used by `kb import project.qdpx --prune` for passages the project no longer codes. The
// lists are rewritten from their current value inside the SET (write lock first).
//
// params:
//   $ids   list   evidence ids
// returns: deleted (evidence items deleted)
// rows: one
// mode: write
CALL () {
  MATCH ()-[r:TIE|MEMBER_OF|ATTENDED|TAKES_POSITION|AFFECTED]->()
  WHERE r.evidence IS NOT NULL AND any(e IN r.evidence WHERE e IN $ids)
  SET r.evidence = [e IN r.evidence WHERE NOT e IN $ids]
}
MATCH (e:Evidence) WHERE e.id IN $ids
DETACH DELETE e
RETURN count(*) AS deleted
