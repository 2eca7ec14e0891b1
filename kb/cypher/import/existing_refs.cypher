// Which referenced ids already exist in the database, by kind.
//
// An import may refer to nodes written by earlier imports; validation asks this query for
// every reference the import itself does not define.
//
// params:
//   $refs   list   maps {kind, id}; kind is Actor, Person, Organization, Meeting, Document,
//                  ReformEvent, Evidence, Problem or Territory
// returns: kind, id (only the references that exist)
// rows: many
// mode: read
UNWIND $refs AS ref
CALL (ref) {
  MATCH (n:Actor {id: ref.id})
  WHERE ref.kind = 'Actor' OR (ref.kind = 'Person' AND n:Person)
     OR (ref.kind = 'Organization' AND n:Organization)
  RETURN n
  UNION
  MATCH (n:Meeting {id: ref.id}) WHERE ref.kind = 'Meeting' RETURN n
  UNION
  MATCH (n:Document {id: ref.id}) WHERE ref.kind = 'Document' RETURN n
  UNION
  MATCH (n:ReformEvent {id: ref.id}) WHERE ref.kind = 'ReformEvent' RETURN n
  UNION
  MATCH (n:Evidence {id: ref.id}) WHERE ref.kind = 'Evidence' RETURN n
  UNION
  MATCH (n:Problem {id: ref.id}) WHERE ref.kind = 'Problem' RETURN n
  UNION
  MATCH (n:Territory {id: ref.id}) WHERE ref.kind = 'Territory' RETURN n
}
RETURN DISTINCT ref.kind AS kind, ref.id AS id
