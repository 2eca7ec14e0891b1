// Every position actors took on problems, with the actor's group, in time order.
//
// params:
//   $group_by   string = null   actor property that defines groups
// returns: problem, statement, actor, name, group, stance, date, first, evidence
// rows: many
// mode: read
MATCH (a:Actor)-[p:TAKES_POSITION]->(pr:Problem)
RETURN pr.id AS problem, pr.statement AS statement, a.id AS actor, a.name AS name,
       CASE WHEN $group_by IS NULL THEN null ELSE a[$group_by] END AS group,
       p.stance AS stance, p.date AS date, p.date_first AS first, p.evidence AS evidence
ORDER BY problem, p.date_first, actor
