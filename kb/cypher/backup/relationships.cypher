// Every relationship with the elementIds of its ends, its type and properties, for kb
// backup and the graph fingerprint.
//
// returns: start, end (elementIds of the ends), type, props
// rows: many
// mode: read
MATCH (a)-[r]->(b)
RETURN elementId(a) AS start, elementId(b) AS end, type(r) AS type, properties(r) AS props
