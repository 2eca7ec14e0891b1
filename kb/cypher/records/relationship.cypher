// One relationship of an import table by its id, with its ends and properties, or no row.
//
// `kb add` reads the record it is about to update, to validate the result and to report
// what changes (old -> new).
//
// params:
//   $rel_type   string   TIE, MEMBER_OF, ATTENDED, AFFECTED, TAKES_POSITION or MENTIONS
//   $id         string   the relationship's id
// returns: id, source, target, props (a map of every property of the relationship)
// rows: optional
// mode: read
CALL () {
  MATCH (a)-[r:TIE {id: $id}]->(b) WHERE $rel_type = 'TIE' RETURN a, r, b
  UNION
  MATCH (a)-[r:MEMBER_OF {id: $id}]->(b) WHERE $rel_type = 'MEMBER_OF' RETURN a, r, b
  UNION
  MATCH (a)-[r:ATTENDED {id: $id}]->(b) WHERE $rel_type = 'ATTENDED' RETURN a, r, b
  UNION
  MATCH (a)-[r:AFFECTED {id: $id}]->(b) WHERE $rel_type = 'AFFECTED' RETURN a, r, b
  UNION
  MATCH (a)-[r:TAKES_POSITION {id: $id}]->(b) WHERE $rel_type = 'TAKES_POSITION' RETURN a, r, b
  UNION
  MATCH (a)-[r:MENTIONS {id: $id}]->(b) WHERE $rel_type = 'MENTIONS' RETURN a, r, b
}
RETURN r.id AS id, a.id AS source, b.id AS target, properties(r) AS props
