// What kb holds of one actor before a withdrawal: their identity and the evidence items
// they are the informant of.
//
// params:
//   $id   string   the actor id
// returns: id, name, aliases (`;`-separated, or null), labels, evidence (ids of the items they are the informant of)
// rows: optional
// mode: read
MATCH (a:Actor {id: $id})
RETURN a.id AS id, a.name AS name, a.aliases AS aliases, labels(a) AS labels,
       COLLECT { MATCH (e:Evidence {informant: $id}) RETURN e.id } AS evidence
