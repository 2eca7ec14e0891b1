// Undo nodes' deletion inside a --known-at transaction: create them again, labels and
// properties as they were.
//
// params:
//   $rows   list   maps {labels, props}
// returns: undone
// rows: one
// mode: write
UNWIND $rows AS row
CREATE (n:$(row.labels))
SET n = row.props
RETURN count(*) AS undone
