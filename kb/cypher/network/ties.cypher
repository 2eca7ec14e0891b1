// The ties of the network selected by type and time, as columns: one row of parallel lists.
//
// Without a period every tie counts whatever its spell (the aggregated network); with one,
// a tie counts when its spell [start_first, end_last] overlaps [$at_first, $at_last]
// (an empty start is "since before observation", an empty end "ongoing").
//
// With $min_evidence / $triangulated, only ties with that much evidence (kb's one rule of
// evidence selection, kb.analyses.selection; the same predicate in every query taking them).
//
// One row of lists rather than one row per tie: the driver's per-record work, not the
// match, dominated the fetch of large networks (bench/README.md). collect() skips nulls,
// so dates come as text with '' for "none" and weights wrapped in one-element lists.
//
// params:
//   $weight         string = null   name of the tie property used as weight
// returns: ids, sources, targets, types, directed, weights ([value] per tie, or [] without
//          $weight), starts, ends (first day of the start, last day of the end; '' if none);
//          ordered by tie id
// rows: one
// mode: read
MATCH (a:Actor)-[t:TIE]->(b:Actor)
WHERE @selected(t)
WITH a, t, b ORDER BY t.id
RETURN collect(t.id) AS ids, collect(a.id) AS sources, collect(b.id) AS targets,
       collect(t.type) AS types, collect(coalesce(t.directed, true)) AS directed,
       CASE WHEN $weight IS NULL THEN [] ELSE collect([t[$weight]]) END AS weights,
       collect(coalesce(toString(t.start_first), '')) AS starts,
       collect(coalesce(toString(t.end_last), '')) AS ends
