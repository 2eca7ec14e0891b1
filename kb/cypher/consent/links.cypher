// The relationships of one actor, for a withdrawal that gives them new ids.
//
// params:
//   $id   string   the actor id
// returns: element (element id), id (the relationship's own id, if any)
// rows: many
// mode: read
MATCH (:Actor {id: $id})-[r]-()
RETURN elementId(r) AS element, r.id AS id
