// Every settled agreement unit (kb evidence settle).
//
// returns: unit, source, low, high, type, decision, why, settled_at
// rows: many
// mode: read
MATCH (s:Settlement)
RETURN s.unit AS unit, s.source AS source, s.low AS low, s.high AS high, s.type AS type,
       s.decision AS decision, s.why AS why, toString(s.settled_at) AS settled_at
ORDER BY unit
