// The earliest and latest dates of the observed ties (starts and ends).
//
// params:
//   $types   list = null   tie types to include
// returns: first, last
// rows: one
// mode: read
MATCH ()-[t:TIE]->()
WHERE $types IS NULL OR t.type IN $types
WITH [min(t.start_first), min(t.start_last), min(t.end_last)] AS firsts,
     [max(t.start_first), max(t.start_last), max(t.end_last)] AS lasts
UNWIND range(0, 2) AS i
RETURN min(firsts[i]) AS first, max(lasts[i]) AS last
