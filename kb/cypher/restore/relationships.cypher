// Create relationships from a backup between nodes restore/nodes created.
//
// params:
//   $rows   list   maps {start, end, type, props}: start and end are new elementIds
// returns: count
// rows: one
// mode: write
UNWIND $rows AS row
MATCH (a)
WHERE elementId(a) = row.start
MATCH (b)
WHERE elementId(b) = row.end
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props
RETURN count(r) AS count
