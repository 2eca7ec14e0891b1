// All shortest paths from one actor to another along ties, following tie direction
// (undirected ties both ways), among ties selected by type and time.
//
// The search stops at 12 hops (kb refuses a larger --max-hops: kb.analyses.MAX_CYPHER_HOPS);
// longer paths are cut by $max_hops afterwards.
//
// params:
//   $from       string        source actor id
//   $to         string        target actor id
//   $types      list = null   tie types to include
//   $at_first   date = null   first day of the period
//   $at_last    date = null   last day of the period
//   $max_hops   int = 6       longest path to report
//   $min_evidence   int = 0        keep ties with at least this many evidence items
//   $triangulated   bool = false   keep only triangulated ties
// returns: hops, actors, names, ties
// rows: many
// mode: read
MATCH (s:Actor {id: $from}), (g:Actor {id: $to})
MATCH p = ALL SHORTEST (s)
  ((x)-[t:TIE]-(y)
    WHERE (startNode(t) = x OR t.directed = false)
      AND ($types IS NULL OR t.type IN $types)
      AND (($at_last IS NULL OR t.start_first IS NULL OR t.start_first <= $at_last)
           AND ($at_first IS NULL OR t.end_last IS NULL OR t.end_last >= $at_first))
      AND (coalesce($min_evidence, 0) <= 0 AND NOT coalesce($triangulated, false)
           OR EXISTS { MATCH (ev:Evidence) WHERE ev.id IN t.evidence
                       WITH count(DISTINCT ev) AS ev_items,
                            count(DISTINCT CASE WHEN ev.kind IN ['interview', 'observation', 'document']
                                           THEN ev.kind END) AS ev_kinds
                       WHERE ev_items >= coalesce($min_evidence, 0)
                         AND (ev_kinds >= 2 OR NOT coalesce($triangulated, false))
                       RETURN ev_items })){1,12}
  (g)
WHERE length(p) <= $max_hops
RETURN length(p) AS hops, [n IN nodes(p) | n.id] AS actors, [n IN nodes(p) | n.name] AS names,
       [r IN relationships(p) | r {.id, .type, .start, .end, .directed, .evidence}] AS ties
ORDER BY actors
