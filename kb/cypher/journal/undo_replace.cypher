// Undo a bulk write inside a --known-at transaction: give a record all its properties of
// before (0 undone: the record is gone, and is created again by the caller).
//
// params:
//   $id      string   the record id
//   $props   map      all its properties before the change
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
SET x = $props
RETURN count(*) AS undone
