// What earlier imports of a REFI-QDA project left: its evidence, mentions and tie links.
//
// A project's documents are those made from its sources (ids qda-<source guid>) or tagged
// with its name (qda_project); its evidence items are those from these documents.
//
// params:
//   $project     string   the project's name
//   $documents   list     document ids made from the project's current sources
// returns: evidence (ids), mentions (list of maps {evidence, actor}),
//          tie_links (list of maps {evidence, tie})
// rows: one
// mode: read
CALL () {
  MATCH (d:Document) WHERE d.id IN $documents OR d.qda_project = $project
  MATCH (e:Evidence)-[:FROM_DOCUMENT]->(d)
  WHERE e.id STARTS WITH 'qda-'
  RETURN collect(DISTINCT e.id) AS evidence
}
CALL (evidence) {
  UNWIND evidence AS id
  MATCH (:Evidence {id: id})-[:MENTIONS]->(a:Actor)
  RETURN collect({evidence: id, actor: a.id}) AS mentions
}
CALL (evidence) {
  MATCH ()-[t:TIE]->()
  WHERE t.evidence IS NOT NULL AND any(e IN t.evidence WHERE e IN evidence)
  UNWIND [e IN t.evidence WHERE e IN evidence] AS id
  RETURN collect({evidence: id, tie: t.id}) AS tie_links
}
RETURN evidence, mentions, tie_links
