// What every command checks first, in one round trip: the schema version kb last applied
// (null before `kb init`) and the writes that began and never finished (kb.pending), oldest
// first.
//
// returns: schema_version, pending
// rows: one
// mode: read
CALL () {
  MATCH (m:KbMeta)
  WHERE m.key STARTS WITH 'pending:'
  WITH m.kind AS kind, m.source AS source, toString(m.started) AS started
  ORDER BY started
  RETURN collect({kind: kind, source: source, started: started}) AS pending
}
OPTIONAL MATCH (s:KbMeta {key: 'schema'})
RETURN s.version AS schema_version, pending
