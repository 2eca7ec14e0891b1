// An actor's ties, memberships, meetings, positions and the reform effects on their
// organizations (their own, or those they were members of), in time order.
//
// params:
//   $actor   string   the actor id
// returns: date, end, kind, detail, other, other_name, id, evidence
// rows: many
// mode: read
MATCH (x:Actor {id: $actor})
CALL (x) {
  MATCH (x)-[t:TIE]-(o:Actor)
  RETURN t.start AS date, t.start_first AS sort_date, t.end AS end, 'tie' AS kind,
         t.type + CASE WHEN NOT coalesce(t.directed, true) THEN ' (undirected)'
                       WHEN startNode(t) = x THEN ' ->' ELSE ' <-' END AS detail,
         o.id AS other, o.name AS other_name, t.id AS id, t.evidence AS evidence
  UNION ALL
  MATCH (x)-[m:MEMBER_OF]-(o:Actor)
  RETURN m.start AS date, m.start_first AS sort_date, m.end AS end, 'membership' AS kind,
         coalesce(m.role, 'member') + CASE WHEN startNode(m) = x THEN ' of' ELSE ' (member)' END
           AS detail,
         o.id AS other, o.name AS other_name, m.id AS id, m.evidence AS evidence
  UNION ALL
  MATCH (x)-[at:ATTENDED]->(mt:Meeting)
  RETURN mt.date AS date, mt.date_first AS sort_date, null AS end, 'meeting' AS kind,
         coalesce(at.role, 'attended') + ': ' + coalesce(mt.title, mt.id) AS detail,
         mt.id AS other, mt.title AS other_name, at.id AS id, at.evidence AS evidence
  UNION ALL
  MATCH (x)-[p:TAKES_POSITION]->(pr:Problem)
  RETURN p.date AS date, p.date_first AS sort_date, null AS end, 'position' AS kind,
         p.stance AS detail, pr.id AS other, pr.statement AS other_name, p.id AS id,
         p.evidence AS evidence
  UNION ALL
  MATCH (r:ReformEvent)-[f:AFFECTED]->(o:Organization)
  WHERE o = x OR (x)-[:MEMBER_OF]->(o)
  RETURN coalesce(f.date, r.date) AS date, coalesce(f.date_first, r.date_first) AS sort_date,
         null AS end, 'reform effect' AS kind,
         r.id + ': ' + o.id + ' ' + f.effect
           + CASE WHEN f.successor IS NULL THEN '' ELSE ' ' + f.successor END AS detail,
         o.id AS other, o.name AS other_name, f.id AS id, f.evidence AS evidence
}
RETURN date, end, kind, detail, other, other_name, id, evidence
ORDER BY sort_date IS NULL DESC, sort_date, kind, other
