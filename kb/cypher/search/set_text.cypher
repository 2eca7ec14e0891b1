// Store kb_search, the accent-stripped text the evidence_text index reads, on evidence
// items and documents (computed by kb.text.search_text).
//
// params:
//   $rows   list   maps {id, label (Evidence or Document), text}
// returns: updated
// rows: one
// mode: write
UNWIND $rows AS row
CALL (row) {
  MATCH (n:Evidence {id: row.id}) WHERE row.label = 'Evidence'
  RETURN n
  UNION
  MATCH (n:Document {id: row.id}) WHERE row.label = 'Document'
  RETURN n
}
SET n.kb_search = row.text
RETURN count(n) AS updated
