// Every node with its labels and properties, for kb backup and the graph fingerprint.
//
// Streamed inside one read transaction together with backup/relationships.
//
// returns: id (elementId, valid in this database only), labels, props
// rows: many
// mode: read
MATCH (n)
RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props
