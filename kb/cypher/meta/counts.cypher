// Node and relationship counts of the case, from the count store (kb's own bookkeeping node excluded).
//
// returns: nodes, relationships, schema_version
// rows: one
// mode: read
CALL () { MATCH (n) RETURN count(n) AS all_nodes }
CALL () { MATCH (m:KbMeta) RETURN count(m) AS meta_nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
OPTIONAL MATCH (s:KbMeta {key: 'schema'})
RETURN all_nodes - meta_nodes AS nodes, relationships, s.version AS schema_version
