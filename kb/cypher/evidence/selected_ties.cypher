// How many ties of $types an evidence selection keeps, whatever their spell, and the most
// evidence items a tie has: what kb needs to refuse a selection that keeps no tie.
//
// A tie's evidence is the ids it lists that an Evidence node has; it is triangulated when
// two or more of the kinds interview, observation and document support it
// (kb.analyses.selection). Takes the parameters of @selected (kb/cypher/_fragments/selected.cypher):
// the period is left open by kb, which asks about every spell.
//
// returns: ties (of $types), selected (kept by the selection), most (evidence items of the
//          best-evidenced tie), triangulated (triangulated ties), most_triangulated (items of
//          the best-evidenced triangulated tie; null without one)
// rows: one
// mode: read
MATCH ()-[t:TIE]->()
WHERE ($types IS NULL OR t.type IN $types)
CALL (t) {
  OPTIONAL MATCH (e:Evidence) WHERE e.id IN t.evidence
  RETURN count(DISTINCT e) AS items,
         count(DISTINCT CASE WHEN e.kind IN ['interview', 'observation', 'document']
                        THEN e.kind END) >= 2 AS triangulated
}
WITH t, items, triangulated,
     @selected(t) AS selected
RETURN count(t) AS ties, count(CASE WHEN selected THEN t END) AS selected,
       coalesce(max(items), 0) AS most, count(CASE WHEN triangulated THEN t END) AS triangulated,
       max(CASE WHEN triangulated THEN items END) AS most_triangulated
