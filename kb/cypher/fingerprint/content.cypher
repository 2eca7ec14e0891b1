// The case's content, one record per row, for its content fingerprint (kb.fingerprint):
// every node but kb's bookkeeping (KbMeta: the journal, the schema version, the markers of
// unfinished writes) with its labels and properties, then every relationship between such
// nodes with its type, its properties and its two ends, named by their labels and id (an
// end without an id, by its properties). Streamed; kb.fingerprint drops derived properties.
//
// returns: kind ('node' or 'relationship'), labels (a relationship: [its type]), props,
//          start, end (a relationship's ends: {labels, id, props}; a node: null)
// rows: many
// mode: read
CALL () {
  MATCH (n)
  WHERE NOT n:KbMeta
  RETURN 'node' AS kind, labels(n) AS labels, properties(n) AS props, null AS start,
         null AS end
  UNION ALL
  MATCH (a)-[r]->(b)
  WHERE NOT a:KbMeta AND NOT b:KbMeta
  RETURN 'relationship' AS kind, [type(r)] AS labels, properties(r) AS props,
         {labels: labels(a), id: a.id,
          props: CASE WHEN a.id IS NULL THEN properties(a) END} AS start,
         {labels: labels(b), id: b.id,
          props: CASE WHEN b.id IS NULL THEN properties(b) END} AS end
}
RETURN kind, labels, props, start, end
