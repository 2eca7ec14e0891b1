// One breadth-first step along ties: from a frontier of actors, the ties to actors not yet
// visited, following tie direction (undirected ties both ways), among the selected ties.
//
// kb calls this once per hop to search from one actor without loading the whole network
// (a single-source legitimacy query); Cypher's SHORTEST with an open target enumerates
// far too many paths on dense graphs.
//
// params:
//   $frontier   list     ids of the actors reached at the last hop
//   $visited    list     ids of every actor reached so far (the frontier included)
//   $group_by   string   actor property that defines groups
//   $types      list     tie types to include, or null for all
//   $at_first   date     first day of the period, or null for the aggregated network
//   $at_last    date     last day of the period, or null
// returns: source, target, target_name, group, tie
UNWIND $frontier AS id
MATCH (x:Actor {id: id})-[t:TIE]-(y:Actor)
WHERE (startNode(t) = x OR t.directed = false)
  AND NOT y.id IN $visited
  AND ($types IS NULL OR t.type IN $types)
  AND ($at_first IS NULL
       OR ((t.start_first IS NULL OR t.start_first <= $at_last)
           AND (t.end_last IS NULL OR t.end_last >= $at_first)))
RETURN x.id AS source, y.id AS target, y.name AS target_name,
       toString(y[$group_by]) AS group, t.id AS tie
ORDER BY source, target, tie
