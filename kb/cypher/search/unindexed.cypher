// Evidence items and documents stored without kb_search, the accent-stripped text the
// evidence_text index reads (those of a database older than schema 6, or of an old
// backup): `kb init` computes it for them.
//
// params:
//   $limit   int   how many at most
// returns: id, label (Evidence or Document), quote, note, location, title
// rows: many
// mode: read
MATCH (n)
WHERE (n:Evidence OR n:Document) AND n.kb_search IS NULL
  AND coalesce(n.quote, n.note, n.location, n.title) IS NOT NULL
RETURN n.id AS id, CASE WHEN n:Evidence THEN 'Evidence' ELSE 'Document' END AS label,
       n.quote AS quote, n.note AS note, n.location AS location, n.title AS title
LIMIT $limit
