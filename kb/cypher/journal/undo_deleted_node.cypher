// Undo a node's deletion inside a --known-at transaction: create it again, labels and
// properties as they were.
//
// params:
//   $labels   list   its labels
//   $props    map    its properties
// returns: undone
// rows: one
// mode: write
CREATE (n:$($labels))
SET n = $props
RETURN count(*) AS undone
