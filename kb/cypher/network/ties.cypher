// The ties of the network selected by type and time, one row per tie.
//
// Without a period every tie counts whatever its spell (the aggregated network); with one,
// a tie counts when its spell [start_first, end_last] overlaps [$at_first, $at_last]
// (an empty start is "since before observation", an empty end "ongoing").
//
// params:
//   $types      list     tie types to include, or null for all
//   $at_first   date     first day of the period, or null for any time
//   $at_last    date     last day of the period, or null
//   $weight     string   name of the tie property used as weight, or null
// returns: id, source, target, type, directed, weight, start, end
MATCH (a:Actor)-[t:TIE]->(b:Actor)
WHERE ($types IS NULL OR t.type IN $types)
  AND ($at_first IS NULL
       OR ((t.start_first IS NULL OR t.start_first <= $at_last)
           AND (t.end_last IS NULL OR t.end_last >= $at_first)))
RETURN t.id AS id, a.id AS source, b.id AS target, t.type AS type,
       coalesce(t.directed, true) AS directed,
       CASE WHEN $weight IS NULL THEN null ELSE t[$weight] END AS weight,
       t.start_first AS start, t.end_last AS end
