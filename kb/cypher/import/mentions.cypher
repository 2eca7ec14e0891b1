// Create evidence items' mentions of actors ((evidence)-[:MENTIONS]->(actor)).
//
// Rows come validated from kb.imports (the mentions table, or the passages of a REFI-QDA
// project coded with actors); each outcome is created or unchanged.
//
// MERGE on the stable id makes re-imports idempotent. A mention has no properties besides
// its id, so an existing one is never rewritten.
//
// params:
//   $rows   list   maps {id, evidence, actor, props}
// returns: outcome, count
// rows: many
// mode: write
UNWIND $rows AS row
MATCH (e:Evidence {id: row.evidence}), (a:Actor {id: row.actor})
OPTIONAL MATCH ()-[old:MENTIONS {id: row.id}]->()
WITH row, e, a, CASE WHEN old IS NULL THEN 'created' ELSE 'unchanged' END AS outcome
MERGE (e)-[r:MENTIONS {id: row.id}]->(a)
SET r += row.props
RETURN outcome, count(*) AS count
