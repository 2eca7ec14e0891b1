// Withdraw an actor by anonymising them: an anonymous node keeps the structure others
// reported (ties, memberships, attendance), with no attribute, no territory and new ids on
// its relationships; the evidence items they are the informant of are erased, their name
// masked in what others said; a dated KbWithdrawal is left.
//
// One transaction: the withdrawal happens whole or not at all.
//
// params:
//   $id         string   the actor id
//   $new_id     string   the anonymous node's id
//   $evidence   list     ids of the evidence items they are the informant of
//   $nodes      list     maps {element, props}: masked text properties of other nodes
//   $links      list     maps {element, props}: masked text properties of relationships
//   $link_ids   list     maps {element, id}: new ids of the actor's relationships
//   $policy     string   anonymise
//   $why        string   the reason given (masked)
// returns: evidence (items erased), relationships (of the actor, kept), date
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
  UNWIND $link_ids AS row
  MATCH ()-[r]->() WHERE elementId(r) = row.element
  SET r.id = row.id
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
CALL (a){
  MATCH (a)-[place:IN_TERRITORY|AUTHORED|TAKES_POSITION]-()
  DELETE place
}
SET a = {id: $new_id, consent: 'withdrawn'}
WITH a, evidence
CREATE (w:KbWithdrawal {date: datetime(), policy: $policy, why: $why})
SET a.consent_date = date(w.date)
RETURN evidence, COUNT { (a)--() } AS relationships, w.date AS date
