// The earliest and latest dates of the observed ties (starts and ends).
//
// params:
//   $types   list   tie types to include, or null for all
// returns: first, last
MATCH ()-[t:TIE]->()
WHERE $types IS NULL OR t.type IN $types
WITH collect(t.start_first) + collect(t.end_last) + collect(t.start_last) AS days
UNWIND days AS day
RETURN min(day) AS first, max(day) AS last
