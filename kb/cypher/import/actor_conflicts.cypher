// Actor ids the import defines as one kind that the database holds as the other.
//
// Persons and organizations share one id space; an import must not turn a person into an
// organization (or back).
//
// params:
//   $persons         list   ids defined in actors.csv
//   $organizations   list   ids defined in organizations.csv
// returns: id, existing (the label the database has)
// rows: many
// mode: read
CALL () {
  UNWIND $persons AS id
  MATCH (n:Actor {id: id}) WHERE n:Organization
  RETURN id, 'Organization' AS existing
  UNION
  UNWIND $organizations AS id
  MATCH (n:Actor {id: id}) WHERE n:Person
  RETURN id, 'Person' AS existing
}
RETURN id, existing
