// What every command reads first, in one round trip: the schema version kb last applied
// (null before `kb init`), the writes that began and never finished (kb.pending), oldest
// first, and the answers a command would otherwise read one by one before its own work,
// each as the query it stands for answers: `head` as journal/head (the data version and
// fingerprint every output is stamped with), `counts` as meta/counts (the empty-case
// check), `restricted` as consent/restricted (the consent policy), `kept` as
// fingerprint/cached (the content fingerprint kept on the head). tests/integration/
// test_opening.py checks that they agree.
//
// returns: schema_version, pending, head, counts, restricted, kept
// rows: one
// mode: read
CALL () {
  MATCH (m:KbMeta)
  WHERE m.key STARTS WITH 'pending:'
  WITH m.kind AS kind, m.source AS source, toString(m.started) AS started
  ORDER BY started
  RETURN collect({kind: kind, source: source, started: started}) AS pending
}
CALL () { MATCH (n) RETURN count(n) AS all_nodes }
CALL () { MATCH (m:KbMeta) RETURN count(m) AS meta_nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () {
  MATCH (a:Actor)
  WHERE a.consent IN ['no-quotes', 'structure-only', 'withdrawn']
  WITH a
  ORDER BY a.id
  RETURN collect({
    id: a.id, name: a.name, aliases: a.aliases, consent: a.consent, person: a:Person,
    evidence: COLLECT { MATCH (e:Evidence {informant: a.id}) RETURN e.id }
  }) AS restricted
}
OPTIONAL MATCH (s:KbMeta {key: 'schema'})
OPTIONAL MATCH (j:KbMeta {key: 'journal'})
RETURN s.version AS schema_version, pending,
       {data_version: coalesce(j.seq, 0), fingerprint: coalesce(j.fingerprint, '')} AS head,
       {nodes: all_nodes - meta_nodes, relationships: relationships, schema_version: s.version}
         AS counts,
       restricted,
       {data_version: coalesce(j.seq, 0), chain: coalesce(j.fingerprint, ''),
        fingerprint: j.content_fingerprint, computed_at: j.content_computed_at} AS kept
