// Record the schema version kb created, with the time it was first and last applied.
//
// params:
//   $version   int   the schema version of this kb release
// returns: version
// rows: one
// mode: write
MERGE (s:KbMeta {key: 'schema'})
  ON CREATE SET s.created = datetime()
SET s.version = $version, s.updated = datetime()
RETURN s.version AS version
