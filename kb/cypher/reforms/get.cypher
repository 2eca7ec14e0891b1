// One reform with its date, or no row.
//
// params:
//   $reform   string   the reform id
// returns: id, name, date, first, last
// rows: optional
// mode: read
MATCH (r:ReformEvent {id: $reform})
RETURN r.id AS id, r.name AS name, r.date AS date, r.date_first AS first, r.date_last AS last
