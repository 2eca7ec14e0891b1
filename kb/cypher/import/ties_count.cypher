// How many ties the database holds (from the count store: constant time).
//
// An import into a database without ties writes every tie through import/ties_new
// without first asking import/ties_state which ids exist.
//
// returns: count
// rows: one
// mode: read
MATCH ()-[r:TIE]->()
RETURN count(r) AS count
