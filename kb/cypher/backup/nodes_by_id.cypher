// Nodes by elementId: the ends of relationships created after backup/nodes read the nodes.
//
// params:
//   $ids   list   elementIds
// returns: id, labels, props (only the nodes that still exist)
// rows: many
// mode: read
UNWIND $ids AS wanted
MATCH (n)
WHERE elementId(n) = wanted
RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props
