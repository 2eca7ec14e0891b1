// Undo updates inside a --known-at transaction: put back the properties journaled writes
// changed (a null value removes the property the record had not before).
//
// params:
//   $rows   list   maps {id, props}: a record id and its property values before the change
// returns: undone
// rows: one
// mode: write
UNWIND $rows AS row
CALL (row) {
  MATCH (n:Actor {id: row.id}) RETURN n AS x
  UNION
  MATCH (n:Meeting {id: row.id}) RETURN n AS x
  UNION
  MATCH (n:Document {id: row.id}) RETURN n AS x
  UNION
  MATCH (n:ReformEvent {id: row.id}) RETURN n AS x
  UNION
  MATCH (n:Stage {id: row.id}) RETURN n AS x
  UNION
  MATCH (n:Territory {id: row.id}) RETURN n AS x
  UNION
  MATCH (n:Evidence {id: row.id}) RETURN n AS x
  UNION
  MATCH (n:Problem {id: row.id}) RETURN n AS x
  UNION
  MATCH (n:Case {id: row.id}) RETURN n AS x
  UNION
  MATCH (n:Settlement {unit: row.id}) RETURN n AS x
  UNION
  MATCH ()-[r:TIE {id: row.id}]->() RETURN r AS x
  UNION
  MATCH ()-[r:MEMBER_OF {id: row.id}]->() RETURN r AS x
  UNION
  MATCH ()-[r:ATTENDED {id: row.id}]->() RETURN r AS x
  UNION
  MATCH ()-[r:TAKES_POSITION {id: row.id}]->() RETURN r AS x
  UNION
  MATCH ()-[r:AFFECTED {id: row.id}]->() RETURN r AS x
  UNION
  MATCH ()-[r:MENTIONS {id: row.id}]->() RETURN r AS x
}
SET x += row.props
RETURN count(*) AS undone
