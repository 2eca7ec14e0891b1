// One node of an import table by its id, with every stored property, or no row.
//
// `kb add` reads the record it is about to update, to validate the result and to report
// what changes (old -> new).
//
// params:
//   $kind   string   the id space: Actor, Meeting, Document, ReformEvent, Stage,
//                    Territory, Evidence or Problem
//   $id     string   the node's id
// returns: id, labels, props (a map of every property of the node)
// rows: optional
// mode: read
CALL () {
  MATCH (n:Actor {id: $id}) WHERE $kind = 'Actor' RETURN n
  UNION
  MATCH (n:Meeting {id: $id}) WHERE $kind = 'Meeting' RETURN n
  UNION
  MATCH (n:Document {id: $id}) WHERE $kind = 'Document' RETURN n
  UNION
  MATCH (n:ReformEvent {id: $id}) WHERE $kind = 'ReformEvent' RETURN n
  UNION
  MATCH (n:Stage {id: $id}) WHERE $kind = 'Stage' RETURN n
  UNION
  MATCH (n:Territory {id: $id}) WHERE $kind = 'Territory' RETURN n
  UNION
  MATCH (n:Evidence {id: $id}) WHERE $kind = 'Evidence' RETURN n
  UNION
  MATCH (n:Problem {id: $id}) WHERE $kind = 'Problem' RETURN n
}
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
