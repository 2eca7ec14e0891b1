// Undo relationships' deletion inside a --known-at transaction (and put back the links
// without an id of a node): create them again between their ends, with their properties.
//
// params:
//   $rows   list   maps {type, start, end, props}: start and end are the ids of its ends
// returns: undone
// rows: one
// mode: write
UNWIND $rows AS row
CALL (row) {
  MATCH (n:Actor {id: row.start}) RETURN n AS a
  UNION
  MATCH (n:Meeting {id: row.start}) RETURN n AS a
  UNION
  MATCH (n:Document {id: row.start}) RETURN n AS a
  UNION
  MATCH (n:ReformEvent {id: row.start}) RETURN n AS a
  UNION
  MATCH (n:Stage {id: row.start}) RETURN n AS a
  UNION
  MATCH (n:Territory {id: row.start}) RETURN n AS a
  UNION
  MATCH (n:Evidence {id: row.start}) RETURN n AS a
  UNION
  MATCH (n:Problem {id: row.start}) RETURN n AS a
  UNION
  MATCH (n:Case {id: row.start}) RETURN n AS a
}
CALL (row) {
  MATCH (n:Actor {id: row.end}) RETURN n AS b
  UNION
  MATCH (n:Meeting {id: row.end}) RETURN n AS b
  UNION
  MATCH (n:Document {id: row.end}) RETURN n AS b
  UNION
  MATCH (n:ReformEvent {id: row.end}) RETURN n AS b
  UNION
  MATCH (n:Stage {id: row.end}) RETURN n AS b
  UNION
  MATCH (n:Territory {id: row.end}) RETURN n AS b
  UNION
  MATCH (n:Evidence {id: row.end}) RETURN n AS b
  UNION
  MATCH (n:Problem {id: row.end}) RETURN n AS b
  UNION
  MATCH (n:Case {id: row.end}) RETURN n AS b
}
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props
RETURN count(*) AS undone
