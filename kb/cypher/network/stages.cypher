// The named stages of the case, in time order.
//
// returns: id, name, start, end, first, last, description
// rows: many
// mode: read
MATCH (s:Stage)
RETURN s.id AS id, s.name AS name, s.start AS start, s.end AS end,
       s.start_first AS first, s.end_last AS last, s.description AS description
ORDER BY s.start_first, s.id
