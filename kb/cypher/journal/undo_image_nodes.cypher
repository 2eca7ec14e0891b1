// Undo a restore inside a --known-at transaction: create the nodes of the case as it was
// before (the images the restore kept), each answering with its key in the image.
//
// params:
//   $rows   list   maps {key, labels, props}
// returns: key, id
// rows: many
// mode: write
UNWIND $rows AS row
CREATE (n:$(row.labels))
SET n = row.props
RETURN row.key AS key, elementId(n) AS id
