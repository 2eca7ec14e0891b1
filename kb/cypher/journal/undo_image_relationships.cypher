// Undo a restore inside a --known-at transaction: create the relationships of the case as it
// was before, between the nodes journal/undo_image_nodes created.
//
// params:
//   $rows   list   maps {start, end, type, props}: start and end are element ids
// returns: undone
// rows: one
// mode: write
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row.start
MATCH (b) WHERE elementId(b) = row.end
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props
RETURN count(*) AS undone
