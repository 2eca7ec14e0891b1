// What some evidence items support: ties, memberships, meetings attended, positions, and
// the actors they mention.
//
// Relationships keep their evidence as a list of ids (docs/model.md), so each type is
// scanned once for all the items together.
//
// params:
//   $ids   list   evidence ids
// returns: evidence, what (tie, membership, attendance, position, mention), id, type,
//          source, target (ids of the ends; for a mention the actor), label (the far end's
//          name or title)
// mode: read
CALL () {
  MATCH (a:Actor)-[r:TIE]->(b:Actor)
  WHERE r.evidence IS NOT NULL AND any(x IN r.evidence WHERE x IN $ids)
  UNWIND [x IN r.evidence WHERE x IN $ids] AS evidence
  RETURN evidence, 'tie' AS what, r.id AS id, r.type AS type, a.id AS source, b.id AS target,
         a.name + ' – ' + b.name AS label
  UNION ALL
  MATCH (a:Person)-[r:MEMBER_OF]->(b:Organization)
  WHERE r.evidence IS NOT NULL AND any(x IN r.evidence WHERE x IN $ids)
  UNWIND [x IN r.evidence WHERE x IN $ids] AS evidence
  RETURN evidence, 'membership' AS what, r.id AS id, r.role AS type, a.id AS source,
         b.id AS target, a.name + ' – ' + b.name AS label
  UNION ALL
  MATCH (a:Actor)-[r:ATTENDED]->(b:Meeting)
  WHERE r.evidence IS NOT NULL AND any(x IN r.evidence WHERE x IN $ids)
  UNWIND [x IN r.evidence WHERE x IN $ids] AS evidence
  RETURN evidence, 'attendance' AS what, r.id AS id, r.role AS type, a.id AS source,
         b.id AS target, coalesce(b.title, b.id) AS label
  UNION ALL
  MATCH (a:Actor)-[r:TAKES_POSITION]->(b:Problem)
  WHERE r.evidence IS NOT NULL AND any(x IN r.evidence WHERE x IN $ids)
  UNWIND [x IN r.evidence WHERE x IN $ids] AS evidence
  RETURN evidence, 'position' AS what, r.id AS id, r.stance AS type, a.id AS source,
         b.id AS target, b.statement AS label
  UNION ALL
  UNWIND $ids AS evidence
  MATCH (:Evidence {id: evidence})-[r:MENTIONS]->(a:Actor)
  RETURN evidence, 'mention' AS what, r.id AS id, null AS type, a.id AS source,
         a.id AS target, a.name AS label
}
RETURN evidence, what, id, type, source, target, label
ORDER BY evidence, what, id
