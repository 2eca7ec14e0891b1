// Undo a relationship's deletion inside a --known-at transaction: create it again between
// its ends, with its properties.
//
// params:
//   $type    string   its type
//   $start   string   the id of its start node
//   $end     string   the id of its end node
//   $props   map      its properties
// returns: undone
// rows: one
// mode: write
CALL () {
  MATCH (n:Actor {id: $start}) RETURN n AS a
  UNION
  MATCH (n:Meeting {id: $start}) RETURN n AS a
  UNION
  MATCH (n:Document {id: $start}) RETURN n AS a
  UNION
  MATCH (n:ReformEvent {id: $start}) RETURN n AS a
  UNION
  MATCH (n:Stage {id: $start}) RETURN n AS a
  UNION
  MATCH (n:Territory {id: $start}) RETURN n AS a
  UNION
  MATCH (n:Evidence {id: $start}) RETURN n AS a
  UNION
  MATCH (n:Problem {id: $start}) RETURN n AS a
  UNION
  MATCH (n:Case {id: $start}) RETURN n AS a
}
CALL () {
  MATCH (n:Actor {id: $end}) RETURN n AS b
  UNION
  MATCH (n:Meeting {id: $end}) RETURN n AS b
  UNION
  MATCH (n:Document {id: $end}) RETURN n AS b
  UNION
  MATCH (n:ReformEvent {id: $end}) RETURN n AS b
  UNION
  MATCH (n:Stage {id: $end}) RETURN n AS b
  UNION
  MATCH (n:Territory {id: $end}) RETURN n AS b
  UNION
  MATCH (n:Evidence {id: $end}) RETURN n AS b
  UNION
  MATCH (n:Problem {id: $end}) RETURN n AS b
  UNION
  MATCH (n:Case {id: $end}) RETURN n AS b
}
CREATE (a)-[r:$($type)]->(b)
SET r = $props
RETURN count(*) AS undone
