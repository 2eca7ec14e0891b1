// The tie types of the case, with how many ties have each.
//
// returns: type, ties
// rows: many
// mode: read
MATCH ()-[t:TIE]->()
RETURN t.type AS type, count(*) AS ties
ORDER BY type
