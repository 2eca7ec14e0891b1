// The property names ties have, with how many ties have each.
//
// returns: property, ties
// rows: many
// mode: read
MATCH ()-[t:TIE]->()
UNWIND keys(t) AS property
RETURN property, count(*) AS ties
ORDER BY property
