// Every node and relationship of the case with its properties, for a withdrawal to mask
// the withdrawn actor's name and id in what others said (kb.withdrawal).
//
// kb's bookkeeping nodes (labels starting with Kb) hold no case text and are left out, as
// is the withdrawn actor's own node (erased or emptied on its own).
//
// params:
//   $id   string   the withdrawn actor's id
// returns: element (element id), relationship (whether it is one), label (the node's
//          first label, or the relationship's type), props (every property)
// rows: many
// mode: read
CALL () {
  MATCH (n)
  WHERE NOT (n:Actor AND n.id = $id) AND NOT any(l IN labels(n) WHERE l STARTS WITH 'Kb')
  RETURN elementId(n) AS element, false AS relationship,
         CASE WHEN n:Evidence THEN 'Evidence' WHEN n:Document THEN 'Document'
              ELSE labels(n)[0] END AS label, properties(n) AS props
  UNION ALL
  MATCH ()-[r]->()
  RETURN elementId(r) AS element, true AS relationship, type(r) AS label,
         properties(r) AS props
}
RETURN element, relationship, label, props
