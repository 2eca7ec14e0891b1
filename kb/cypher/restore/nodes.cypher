// Create nodes from a backup, with their labels (dynamic labels, Neo4j 5.26) and properties.
//
// params:
//   $rows   list   maps {key, labels, props}: key is the node's number in the archive
// returns: key, id (the new elementId)
// rows: many
// mode: write
UNWIND $rows AS row
CREATE (n:$(row.labels))
SET n = row.props
RETURN row.key AS key, elementId(n) AS id
