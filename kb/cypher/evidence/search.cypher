// Evidence items matching a full-text query, best first, with their filters applied.
//
// The query runs on the evidence_text index (Lucene syntax: words, "a phrase", AND, OR,
// NOT, wildcards; accents folded, so equipe finds équipe). A document whose title matches
// contributes each evidence item drawn from it, with the document's score.
//
// params:
//   $query     string   the Lucene query
//   $kinds     list     evidence kinds to keep, or null for all
//   $actor     string   keep items mentioning this actor or supporting one of its ties,
//                       memberships, attendances or positions; null for all
//   $coder     string   keep items of this coder (case-insensitive); null for all
//   $from      date     keep items dated on or after this day (their last day); null: any
//   $to        date     keep items dated on or before this day (their first day); null: any
//   $limit     int      how many items at most
// returns: id, score, kind, date, quote, note, location, coder, document, document_title
// mode: read
CALL db.index.fulltext.queryNodes('evidence_text', $query) YIELD node, score
CALL (node) {
  WITH node WHERE node:Evidence
  RETURN node AS e
  UNION
  WITH node WHERE node:Document
  MATCH (e:Evidence)-[:FROM_DOCUMENT]->(node)
  RETURN e
}
WITH e, max(score) AS score
WHERE ($kinds IS NULL OR e.kind IN $kinds)
  AND ($coder IS NULL OR toLower(e.coder) = toLower($coder))
  AND ($from IS NULL OR e.date_last >= $from)
  AND ($to IS NULL OR e.date_first <= $to)
  AND ($actor IS NULL
       OR EXISTS { (e)-[:MENTIONS]->(:Actor {id: $actor}) }
       OR EXISTS { MATCH (:Actor {id: $actor})-[r:TIE|MEMBER_OF|ATTENDED|TAKES_POSITION]-()
                   WHERE e.id IN r.evidence })
WITH e, score
ORDER BY score DESC, e.id
LIMIT $limit
OPTIONAL MATCH (e)-[:FROM_DOCUMENT]->(d:Document)
RETURN e.id AS id, score, e.kind AS kind, e.date AS date, e.quote AS quote, e.note AS note,
       e.location AS location, e.coder AS coder, d.id AS document, d.title AS document_title
ORDER BY score DESC, id
