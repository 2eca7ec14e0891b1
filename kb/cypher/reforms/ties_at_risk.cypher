// Ties at risk at a reform: active on $origin, with what their survival needs.
//
// A tie is at risk when its spell covers $origin by kb's one rule of time selection
// (start_first <= $origin or no start; end_last >= $origin or no end). It is exposed to
// the reform when one of its ends is an organization the reform affected, or a person who
// was a member of one on $origin (the memberships' spells read the same way); exposed_via
// lists the ids of those organizations.
//
// params:
//   $reform     string   the reform id
//   $origin     date     the day the ties must be active (the reform's eve, or a placebo's)
//   $group_by   string   actor property whose values make sectors (e.g. sector)
// returns: tie, type, directed, weight, source, target, source_group, target_group,
//          start_first, end, end_first, end_last, exposed_via
// rows: many
// mode: read
MATCH (r:ReformEvent {id: $reform})
MATCH (a:Actor)-[t:TIE]->(b:Actor)
WHERE (t.start_first IS NULL OR t.start_first <= $origin)
  AND (t.end_last IS NULL OR t.end_last >= $origin)
  AND @selected(t)
WITH r, t, a, b,
     COLLECT {
       UNWIND [a, b] AS x
       MATCH (r)-[:AFFECTED]->(x)
       WHERE x:Organization
       RETURN x.id
     } AS direct,
     COLLECT {
       UNWIND [a, b] AS x
       MATCH (x:Person)-[m:MEMBER_OF]->(o:Organization)<-[:AFFECTED]-(r)
       WHERE (m.start_first IS NULL OR m.start_first <= $origin)
         AND (m.end_last IS NULL OR m.end_last >= $origin)
       RETURN DISTINCT o.id
     } AS members
RETURN t.id AS tie, t.type AS type, coalesce(t.directed, true) AS directed,
       t.weight AS weight, a.id AS source, b.id AS target,
       a[$group_by] AS source_group, b[$group_by] AS target_group,
       t.start_first AS start_first, t.end AS end, t.end_first AS end_first,
       t.end_last AS end_last, direct + members AS exposed_via
ORDER BY tie
