// Ties broken by a reform: active on the eve of the reform, ended within the window after
// it, and touching an organization the reform affected (as an endpoint, or as the
// organization an endpoint was a member of on the eve). Each effect's via is the id of the
// endpoint that links the tie to the organization: the organization itself, or its member.
//
// With d the reform date, the eve is d - 1 day: a tie ending the day before a reform took
// effect was ended by it. A tie counts when start_first <= eve (or no start) and
// eve <= end_last <= d + $window.
//
// params:
//   $reform   string            the reform id
//   $window   string = 'P12M'   ISO-8601 duration after the reform date, e.g. P12M
// returns: tie, type, directed, source, source_name, target, target_name, start, end,
//          organization, effect, successor, effect_date, via, evidence
// rows: many
// mode: read
MATCH (r:ReformEvent {id: $reform})
WITH r, r.date_first - duration('P1D') AS eve, r.date_first + duration($window) AS until
MATCH (a:Actor)-[t:TIE]->(b:Actor)
WHERE (t.start_first IS NULL OR t.start_first <= eve)
  AND t.end_last IS NOT NULL AND t.end_last >= eve AND t.end_last <= until
  AND @selected(t)
// Each branch starts from the tie's two ends, so the work per tie is their own AFFECTED
// and MEMBER_OF relationships, not every organization the reform affected.
CALL (r, eve, a, b) {
  UNWIND [a, b] AS x
  MATCH (r)-[f:AFFECTED]->(x)
  WHERE x:Organization
  RETURN x AS o, f, x.id AS via
  UNION
  UNWIND [a, b] AS x
  MATCH (x:Person)-[m:MEMBER_OF]->(o:Organization)<-[f:AFFECTED]-(r)
  WHERE (m.start_first IS NULL OR m.start_first <= eve)
    AND (m.end_last IS NULL OR m.end_last >= eve)
  RETURN o, f, x.id AS via
}
OPTIONAL MATCH (e:Evidence) WHERE e.id IN t.evidence
WITH t, a, b, o, f, via, collect(e {.id, .kind, .date, .quote, .location}) AS evidence
RETURN t.id AS tie, t.type AS type, coalesce(t.directed, true) AS directed, a.id AS source, a.name AS source_name,
       b.id AS target, b.name AS target_name, t.start AS start, t.end AS end,
       o.id AS organization, f.effect AS effect, f.successor AS successor,
       f.date AS effect_date, via, evidence
ORDER BY t.end_last, t.id, organization
