"""What Neo4j holds of the actor network, counted in Cypher: the numbers the hand-off tests
compare Gephi's, R's and networkx's view of kb's exports with."""

from __future__ import annotations

from kb.graph import KnowledgeBase

# An undirected tie's pair is unordered; a relationship without `directed` is directed (as
# kb's model says).
COUNTS = """
MATCH (a:Actor) WITH count(a) AS actors
OPTIONAL MATCH (s)-[t:TIE]->(e)
WITH actors, t, s, e, coalesce(t.directed, true) AS directed,
     (t.start_first IS NULL OR t.start_first <= date($day))
     AND (t.end_last IS NULL OR t.end_last >= date($day)) AS on_day
WITH actors, count(t) AS ties,
     count(CASE WHEN NOT directed THEN t END) AS undirected,
     count(CASE WHEN on_day THEN t END) AS ties_on_day,
     count(CASE WHEN on_day AND NOT directed THEN t END) AS undirected_on_day,
     count(CASE WHEN t.start_first IS NOT NULL OR t.end_last IS NOT NULL THEN t END)
       AS dated_ties,
     collect(DISTINCT CASE WHEN t IS NOT NULL THEN
       [t.type, toString(directed)]
       + CASE WHEN directed OR s.id < e.id THEN [s.id, e.id] ELSE [e.id, s.id] END
     END) AS tie_groups
OPTIONAL MATCH (p:Person)-[m:MEMBER_OF]->(o:Organization)
RETURN actors, ties, undirected, ties_on_day, undirected_on_day, dated_ties,
       size(tie_groups) AS tie_groups,
       size([g IN tie_groups WHERE g[1] = 'false']) AS undirected_tie_groups,
       count(m) AS memberships,
       count(DISTINCT [p.id, o.id]) AS membership_groups,
       count(CASE WHEN m.start_first IS NOT NULL OR m.end_last IS NOT NULL THEN m END)
         AS dated_memberships
"""


def network_counts(base: KnowledgeBase, *, day: str = "2016-06-01") -> dict[str, int]:
    """Actors; ties (all, undirected, dated, overlapping ``day``); the groups of ties one
    Gephi edge holds (same type, direction and pair) and of memberships (same person and
    organization); memberships (all, dated)."""
    records, _, _ = base.driver.execute_query(COUNTS, day=day, database_=base.database)
    counts: dict[str, int] = records[0].data()
    return counts
