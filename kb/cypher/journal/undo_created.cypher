// Undo creations inside a --known-at transaction: delete the records with these ids (a node
// with its relationships; a settlement by its unit).
//
// params:
//   $ids   list   record ids
// returns: undone
// rows: one
// mode: write
CALL () {
  MATCH ()-[r:TIE]->() WHERE r.id IN $ids DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:MEMBER_OF]->() WHERE r.id IN $ids DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:ATTENDED]->() WHERE r.id IN $ids DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:TAKES_POSITION]->() WHERE r.id IN $ids DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:AFFECTED]->() WHERE r.id IN $ids DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:MENTIONS]->() WHERE r.id IN $ids DELETE r RETURN count(*) AS n
}
WITH sum(n) AS relationships
CALL () {
  MATCH (x:Actor) WHERE x.id IN $ids DETACH DELETE x RETURN count(*) AS n
  UNION ALL
  MATCH (x:Meeting) WHERE x.id IN $ids DETACH DELETE x RETURN count(*) AS n
  UNION ALL
  MATCH (x:Document) WHERE x.id IN $ids DETACH DELETE x RETURN count(*) AS n
  UNION ALL
  MATCH (x:ReformEvent) WHERE x.id IN $ids DETACH DELETE x RETURN count(*) AS n
  UNION ALL
  MATCH (x:Stage) WHERE x.id IN $ids DETACH DELETE x RETURN count(*) AS n
  UNION ALL
  MATCH (x:Territory) WHERE x.id IN $ids DETACH DELETE x RETURN count(*) AS n
  UNION ALL
  MATCH (x:Evidence) WHERE x.id IN $ids DETACH DELETE x RETURN count(*) AS n
  UNION ALL
  MATCH (x:Problem) WHERE x.id IN $ids DETACH DELETE x RETURN count(*) AS n
  UNION ALL
  MATCH (x:Case) WHERE x.id IN $ids DETACH DELETE x RETURN count(*) AS n
  UNION ALL
  MATCH (x:Settlement) WHERE x.unit IN $ids DETACH DELETE x RETURN count(*) AS n
}
WITH relationships, sum(n) AS nodes
RETURN relationships + nodes AS undone
