// Undo a change of labels inside a --known-at transaction (a person become an organization):
// give the nodes their labels of before.
//
// params:
//   $rows   list   maps {id, labels}: a node id and its labels before the change
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
}
WITH x, row, [l IN labels(x) WHERE NOT l IN row.labels] AS extra
REMOVE x:$(extra)
SET x:$(row.labels)
RETURN count(*) AS undone
