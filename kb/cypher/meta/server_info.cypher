// The server's product version and edition, and the name of the database queried.
//
// returns: version, edition, database
// rows: one
// mode: read
CALL dbms.components() YIELD name, versions, edition
WHERE name = 'Neo4j Kernel'
CALL db.info() YIELD name AS database
RETURN versions[0] AS version, edition, database
