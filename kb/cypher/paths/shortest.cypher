// All shortest paths from one actor to another along ties, following tie direction
// (undirected ties both ways), among ties selected by type and time.
//
// The search stops at 12 hops (kb refuses a larger --max-hops: kb.analyses.MAX_CYPHER_HOPS);
// longer paths are cut by $max_hops afterwards.
//
// params:
//   $from       string        source actor id
//   $to         string        target actor id
//   $max_hops   int = 6       longest path to report
// returns: hops, actors, names, ties
// rows: many
// mode: read
MATCH (s:Actor {id: $from}), (g:Actor {id: $to})
MATCH p = ALL SHORTEST (s)
  ((x)-[t:TIE]-(y)
    WHERE (startNode(t) = x OR t.directed = false)
      AND @selected(t)){1,12}
  (g)
WHERE length(p) <= $max_hops
RETURN length(p) AS hops, [n IN nodes(p) | n.id] AS actors, [n IN nodes(p) | n.name] AS names,
       [r IN relationships(p) | r {.id, .type, .start, .end, .directed, .evidence}] AS ties
ORDER BY actors
