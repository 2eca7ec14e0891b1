// What some evidence items support: ties, memberships, meetings attended, positions, and
// the actors they mention.
//
// Relationships keep their evidence as a list of ids (docs/model.md); the evidence_links
// full-text index holds each id of those lists as one term, so the relationships listing
// an item are looked up by its id (quoted, in Lucene queries of 256 ids at most: Lucene
// refuses more than 1,024 clauses) instead of reading every relationship's list.
//
// params:
//   $ids   list   evidence ids
// returns: evidence, what (tie, membership, attendance, position, mention), id, type,
//          source, target (ids of the ends; for a mention the actor), label (the far end's
//          name or title)
// rows: many
// mode: read
CALL () {
  UNWIND range(0, size($ids) - 1, 256) AS first
  WITH reduce(text = '', id IN $ids[first..first + 256] |
              text + ' "' + replace(replace(id, '\\', '\\\\'), '"', '\\"') + '"') AS text
  CALL db.index.fulltext.queryRelationships('evidence_links', text) YIELD relationship
  WITH DISTINCT relationship AS r
  UNWIND [x IN r.evidence WHERE x IN $ids] AS evidence
  WITH evidence, r, startNode(r) AS a, endNode(r) AS b
  RETURN evidence,
         CASE type(r)
           WHEN 'TIE' THEN 'tie'
           WHEN 'MEMBER_OF' THEN 'membership'
           WHEN 'ATTENDED' THEN 'attendance'
           ELSE 'position'
         END AS what,
         r.id AS id,
         CASE type(r)
           WHEN 'TIE' THEN r.type
           WHEN 'TAKES_POSITION' THEN r.stance
           ELSE r.role
         END AS type,
         a.id AS source, b.id AS target,
         CASE type(r)
           WHEN 'ATTENDED' THEN coalesce(b.title, b.id)
           WHEN 'TAKES_POSITION' THEN b.statement
           ELSE a.name + ' – ' + b.name
         END AS label
  UNION ALL
  UNWIND $ids AS evidence
  MATCH (:Evidence {id: evidence})-[r:MENTIONS]->(a:Actor)
  RETURN evidence, 'mention' AS what, r.id AS id, null AS type, a.id AS source,
         a.id AS target, a.name AS label
}
RETURN evidence, what, id, type, source, target, label
ORDER BY evidence, what, id
