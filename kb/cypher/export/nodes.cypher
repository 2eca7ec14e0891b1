// Every node with a given label, with its labels and stored properties, for exports.
//
// An export reads every node of the label, so a scan with a filter is fine; the label is a
// value here (labels cannot be parameters), checked against kb.model.LABELS by the caller.
//
// params:
//   $label   string   a node label: Territory, Organization, Person, Actor, Document,
//                     Evidence, Meeting, Stage, ReformEvent or Problem
// returns: id, labels, props (a map of every property of the node)
// rows: many
// mode: read
MATCH (n)
WHERE $label IN labels(n)
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
ORDER BY id
