// The writes that began and never finished (a killed restore or import), oldest first.
//
// returns: kind, source, started
// rows: many
// mode: read
MATCH (m:KbMeta)
WHERE m.key STARTS WITH 'pending:'
RETURN m.kind AS kind, m.source AS source, toString(m.started) AS started
ORDER BY started
