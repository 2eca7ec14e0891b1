// Withdraw an actor by erasing them: their node and ties, the evidence items they are the
// informant of, their name masked in what others said; a dated KbWithdrawal is left.
//
// One transaction: the withdrawal happens whole or not at all. Evidence ids of the erased
// items are taken out of every evidence list that cited them.
//
// params:
//   $id         string   the actor id
//   $evidence   list     ids of the evidence items they are the informant of
//   $nodes      list     maps {element, props}: masked text properties of other nodes
//   $links      list     maps {element, props}: masked text properties of relationships
//   $policy     string   erase
//   $why        string   the reason given (masked)
// returns: evidence (items erased), relationships (of the actor, erased), date
// rows: one
// mode: write
CALL (){
  UNWIND $nodes AS row
  MATCH (n) WHERE elementId(n) = row.element
  SET n += row.props
}
CALL (){
  UNWIND $links AS row
  MATCH ()-[r]->() WHERE elementId(r) = row.element
  SET r += row.props
}
CALL (){
  MATCH ()-[r]->() WHERE any(x IN coalesce(r.evidence, []) WHERE x IN $evidence)
  SET r.evidence = [x IN r.evidence WHERE NOT x IN $evidence]
}
CALL (){
  MATCH (e:Evidence) WHERE e.id IN $evidence
  DETACH DELETE e
  RETURN count(*) AS evidence
}
MATCH (a:Actor {id: $id})
WITH a, evidence, COUNT { (a)--() } AS relationships
DETACH DELETE a
CREATE (w:KbWithdrawal {date: datetime(), policy: $policy, why: $why})
RETURN evidence, relationships, w.date AS date
