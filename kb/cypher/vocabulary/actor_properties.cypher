// The property names actors have, with how many actors have each.
//
// returns: property, actors
// rows: many
// mode: read
MATCH (a:Actor)
UNWIND keys(a) AS property
RETURN property, count(*) AS actors
ORDER BY property
