// The best evidence items among the first $fetch hits of a full-text query, filtered.
//
// The query runs on the evidence_text index (Lucene syntax: words, "a phrase", AND, OR,
// NOT, wildcards), which reads kb_search, the text with its accents stripped: kb strips
// them from the query too, so equipe finds équipe and aines finds aînés. A document whose
// title matches contributes each evidence item drawn from it, with the document's score;
// an item's score is its best one.
//
// Only the index's first $fetch hits are read, so that a common word does not turn every
// item into a row (kb.analyses.evidence.search asks again with a larger $fetch when
// needed). Items whose informant's consent withholds their words are skipped
// (@quotable). Hits come best first, so every item scoring above `floor` (the last hit's
// score) is among them: when `above` reaches the number of items wanted, or the index had
// fewer than $fetch hits, `top` is the exact answer. Items scoring `floor` itself may be
// cut off by the fetch, and are ranked only when the index has no more hits.
//
// params:
//   $query            string        the Lucene query
//   $fetch            int           how many index hits to read, best first
//   $limit            int           how many items `top` lists at most
//   $kinds            list = null   evidence kinds to keep (null: all)
//   $actor_evidence   list = null   keep only these Evidence nodes, by element id (an
//                                   actor's: evidence/of_actor; null: all)
//   $coder            string = null keep items of this coder (case-insensitive)
//   $from             date = null   keep items dated on or after this day (their last day)
//   $to               date = null   keep items dated on or before this day (their first day)
// returns: hits (index hits read), best and floor (the first and last hit's score; null
//          when none), kept (items passing the filters), above (those scoring above floor),
//          indexed (evidence items and documents: the most hits there can be), top (the
//          first $limit kept items by score, then id: maps of id, score, kind, date, quote,
//          note, location, coder, document, document_title)
// rows: one
// mode: read
CALL db.index.fulltext.queryNodes('evidence_text', $query, {limit: $fetch})
  YIELD node, score
WITH count(*) AS hits, max(score) AS best, min(score) AS floor, collect(node) AS nodes,
     collect(score) AS scores
CALL (nodes, scores) {
  UNWIND range(0, size(nodes) - 1) AS i
  WITH nodes[i] AS node, scores[i] AS score
  UNWIND CASE WHEN node:Evidence THEN [node]
              ELSE [(e:Evidence)-[:FROM_DOCUMENT]->(node) | e] END AS e
  WITH e, score
  WHERE @quotable(e)
    AND ($kinds IS NULL OR e.kind IN $kinds)
    AND ($actor_evidence IS NULL OR elementId(e) IN $actor_evidence)
    AND ($coder IS NULL OR toLower(e.coder) = toLower($coder))
    AND ($from IS NULL OR e.date_last >= $from)
    AND ($to IS NULL OR e.date_first <= $to)
  WITH e, max(score) AS score
  ORDER BY score DESC, e.id
  RETURN collect({e: e, score: score}) AS kept
}
RETURN hits, best, floor, size(kept) AS kept, size([k IN kept WHERE k.score > floor]) AS above,
       COUNT { MATCH (:Evidence) } + COUNT { MATCH (:Document) } AS indexed,
       COLLECT {
         UNWIND kept[..$limit] AS k
         WITH k.e AS e, k.score AS score
         OPTIONAL MATCH (e)-[:FROM_DOCUMENT]->(d:Document)
         RETURN {id: e.id, score: score, kind: e.kind, date: e.date, quote: e.quote,
                 note: e.note, location: e.location, coder: e.coder, document: d.id,
                 document_title: d.title} AS item
         ORDER BY score DESC, e.id
       } AS top
