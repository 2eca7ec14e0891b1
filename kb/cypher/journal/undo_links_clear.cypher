// Undo a change of the links without an id a node's row writes (territory, parent, source
// document, successor, a document's author) inside a --known-at transaction: first remove
// them (journal/undo_links_put puts back those of before).
//
// params:
//   $ids   list   node ids
// returns: undone
// rows: one
// mode: write
UNWIND $ids AS id
CALL (id) {
  MATCH (n:Actor {id: id}) RETURN n AS x
  UNION
  MATCH (n:Meeting {id: id}) RETURN n AS x
  UNION
  MATCH (n:Document {id: id}) RETURN n AS x
  UNION
  MATCH (n:ReformEvent {id: id}) RETURN n AS x
  UNION
  MATCH (n:Stage {id: id}) RETURN n AS x
  UNION
  MATCH (n:Territory {id: id}) RETURN n AS x
  UNION
  MATCH (n:Evidence {id: id}) RETURN n AS x
  UNION
  MATCH (n:Problem {id: id}) RETURN n AS x
  UNION
  MATCH (n:Case {id: id}) RETURN n AS x
}
CALL (x) {
  OPTIONAL MATCH (x)-[l:IN_TERRITORY|FROM_DOCUMENT|PART_OF|SUCCEEDED_BY]->()
  DELETE l
}
CALL (x) {
  OPTIONAL MATCH ()-[l:AUTHORED]->(x)
  DELETE l
}
RETURN count(*) AS undone
