// Undo a move of relationships to new ends inside a --known-at transaction (an import that
// gave a tie other actors): put each back between its ends of before, properties as they
// are (journal/undo_set has put back those of before).
//
// params:
//   $rows   list   maps {id, start, end}: a relationship id and the ids of its ends before
// returns: undone
// rows: one
// mode: write
UNWIND $rows AS row
CALL (row) {
  MATCH ()-[r:TIE {id: row.id}]->() RETURN r AS r
  UNION
  MATCH ()-[r:MEMBER_OF {id: row.id}]->() RETURN r AS r
  UNION
  MATCH ()-[r:ATTENDED {id: row.id}]->() RETURN r AS r
  UNION
  MATCH ()-[r:TAKES_POSITION {id: row.id}]->() RETURN r AS r
  UNION
  MATCH ()-[r:AFFECTED {id: row.id}]->() RETURN r AS r
  UNION
  MATCH ()-[r:MENTIONS {id: row.id}]->() RETURN r AS r
}
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
CREATE (a)-[moved:$(type(r))]->(b)
SET moved = properties(r)
DELETE r
RETURN count(*) AS undone
