// Undo an update inside a --known-at transaction: put back the properties a journaled
// write changed (a null value removes the property it had not before).
//
// params:
//   $id      string   the record id
//   $props   map      property values before the change
// returns: undone
// rows: one
// mode: write
CALL () {
  MATCH (n:Actor {id: $id}) RETURN n AS x
  UNION
  MATCH (n:Meeting {id: $id}) RETURN n AS x
  UNION
  MATCH (n:Document {id: $id}) RETURN n AS x
  UNION
  MATCH (n:ReformEvent {id: $id}) RETURN n AS x
  UNION
  MATCH (n:Stage {id: $id}) RETURN n AS x
  UNION
  MATCH (n:Territory {id: $id}) RETURN n AS x
  UNION
  MATCH (n:Evidence {id: $id}) RETURN n AS x
  UNION
  MATCH (n:Problem {id: $id}) RETURN n AS x
  UNION
  MATCH (n:Case {id: $id}) RETURN n AS x
  UNION
  MATCH (a)-[r:TIE {id: $id}]->(b) RETURN r AS x
  UNION
  MATCH (a)-[r:MEMBER_OF {id: $id}]->(b) RETURN r AS x
  UNION
  MATCH (a)-[r:ATTENDED {id: $id}]->(b) RETURN r AS x
  UNION
  MATCH (a)-[r:TAKES_POSITION {id: $id}]->(b) RETURN r AS x
  UNION
  MATCH (a)-[r:AFFECTED {id: $id}]->(b) RETURN r AS x
  UNION
  MATCH (a)-[r:MENTIONS {id: $id}]->(b) RETURN r AS x
}
SET x += $props
RETURN count(*) AS undone
