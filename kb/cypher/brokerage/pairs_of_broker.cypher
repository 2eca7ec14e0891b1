// The ordered pairs (a, c) that one actor b brokers: a->b->c with no a->c tie.
//
// The Cypher view of Gould & Fernandez brokerage for a single actor, to browse and to
// check `kb brokerage` by hand. Undirected ties count in both directions; c->a does not
// close the pair. Ties are selected by type, time and evidence, as `kb brokerage` selects them.
//
// params:
//   $broker     string          the broker's id
//   $types      list = null     tie types to include
//   $at_first   date = null     first day of the period
//   $at_last    date = null     last day of the period
//   $group_by   string = null   actor property that defines groups
//   $min_evidence   int = 0        keep ties with at least this many evidence items
//   $triangulated   bool = false   keep only triangulated ties
// returns: a, c, group_a, group_b, group_c, role
// rows: many
// mode: read
MATCH (b:Actor {id: $broker})
MATCH (a:Actor)-[t1:TIE]-(b)-[t2:TIE]-(c:Actor)
WHERE a <> c AND a <> b AND c <> b
  AND (startNode(t1) = a OR t1.directed = false)
  AND (startNode(t2) = b OR t2.directed = false)
  AND all(t IN [t1, t2] WHERE ($types IS NULL OR t.type IN $types)
      AND (($at_last IS NULL OR t.start_first IS NULL OR t.start_first <= $at_last)
           AND ($at_first IS NULL OR t.end_last IS NULL OR t.end_last >= $at_first)))
  AND (coalesce($min_evidence, 0) <= 0 AND NOT coalesce($triangulated, false)
       OR EXISTS { MATCH (ev:Evidence) WHERE ev.id IN t1.evidence
                   WITH count(DISTINCT ev) AS ev_items,
                        count(DISTINCT CASE WHEN ev.kind IN ['interview', 'observation', 'document']
                                       THEN ev.kind END) AS ev_kinds
                   WHERE ev_items >= coalesce($min_evidence, 0)
                     AND (ev_kinds >= 2 OR NOT coalesce($triangulated, false))
                   RETURN ev_items })
  AND (coalesce($min_evidence, 0) <= 0 AND NOT coalesce($triangulated, false)
       OR EXISTS { MATCH (ev:Evidence) WHERE ev.id IN t2.evidence
                   WITH count(DISTINCT ev) AS ev_items,
                        count(DISTINCT CASE WHEN ev.kind IN ['interview', 'observation', 'document']
                                       THEN ev.kind END) AS ev_kinds
                   WHERE ev_items >= coalesce($min_evidence, 0)
                     AND (ev_kinds >= 2 OR NOT coalesce($triangulated, false))
                   RETURN ev_items })
  AND NOT EXISTS {
    MATCH (a)-[t3:TIE]-(c)
    WHERE (startNode(t3) = a OR t3.directed = false)
      AND ($types IS NULL OR t3.type IN $types)
      AND (($at_last IS NULL OR t3.start_first IS NULL OR t3.start_first <= $at_last)
           AND ($at_first IS NULL OR t3.end_last IS NULL OR t3.end_last >= $at_first))
      AND (coalesce($min_evidence, 0) <= 0 AND NOT coalesce($triangulated, false)
           OR EXISTS { MATCH (ev:Evidence) WHERE ev.id IN t3.evidence
                       WITH count(DISTINCT ev) AS ev_items,
                            count(DISTINCT CASE WHEN ev.kind IN ['interview', 'observation', 'document']
                                           THEN ev.kind END) AS ev_kinds
                       WHERE ev_items >= coalesce($min_evidence, 0)
                         AND (ev_kinds >= 2 OR NOT coalesce($triangulated, false))
                       RETURN ev_items })
  }
WITH DISTINCT a, b, c
WITH a, c, coalesce(toString(a[$group_by]), '(none)') AS ga,
     coalesce(toString(b[$group_by]), '(none)') AS gb, coalesce(toString(c[$group_by]), '(none)') AS gc
RETURN a.id AS a, c.id AS c, ga AS group_a, gb AS group_b, gc AS group_c,
       CASE
         WHEN ga = gb AND gb = gc THEN 'coordinator'
         WHEN ga = gc THEN 'itinerant'
         WHEN ga = gb THEN 'representative'
         WHEN gb = gc THEN 'gatekeeper'
         ELSE 'liaison'
       END AS role
ORDER BY a, c
