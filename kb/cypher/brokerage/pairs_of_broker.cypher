// The ordered pairs (a, c) that one actor b brokers: a->b->c with no a->c tie.
//
// The Cypher view of Gould & Fernandez brokerage for a single actor, to browse and to
// check `kb brokerage` by hand. Undirected ties count in both directions; c->a does not
// close the pair. Ties are selected by type, time and evidence, as `kb brokerage` selects them.
//
// params:
//   $broker     string          the broker's id
//   $group_by   string = null   actor property that defines groups
// returns: a, c, group_a, group_b, group_c, role
// rows: many
// mode: read
MATCH (b:Actor {id: $broker})
MATCH (a:Actor)-[t1:TIE]-(b)-[t2:TIE]-(c:Actor)
WHERE a <> c AND a <> b AND c <> b
  AND (startNode(t1) = a OR t1.directed = false)
  AND (startNode(t2) = b OR t2.directed = false)
  AND @selected(t1) AND @selected(t2)
  AND NOT EXISTS {
    MATCH (a)-[t3:TIE]-(c)
    WHERE (startNode(t3) = a OR t3.directed = false)
      AND @selected(t3)
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
