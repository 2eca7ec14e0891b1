// The ties of a given type between two actors, in either direction.
//
// A passage coded with two actors and a tie type supports these ties; a pair without any
// goes to the review file of proposed ties instead.
//
// params:
//   $pairs   list   maps {a, b, type}: two actor ids and a tie type
// returns: a, b, type, ties (list of maps {id, evidence}; only pairs with at least one tie)
// rows: many
// mode: read
UNWIND $pairs AS pair
MATCH (x:Actor {id: pair.a})-[t:TIE]-(y:Actor {id: pair.b})
WHERE t.type = pair.type
RETURN pair.a AS a, pair.b AS b, pair.type AS type,
       collect(DISTINCT {id: t.id, evidence: t.evidence}) AS ties
