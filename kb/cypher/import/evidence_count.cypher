// How many evidence items the database holds (from the count store: constant time).
//
// An import into a database without evidence items writes every item through
// import/evidence_new without first asking import/evidence_state which ids exist.
//
// returns: count
// rows: one
// mode: read
MATCH (n:Evidence)
RETURN count(n) AS count
