// Record that a long write (a restore, an import) has begun and not yet finished.
//
// The marker is one of kb's bookkeeping nodes (KbMeta), so it counts in no size of the case;
// meta/pending_end removes it once the write has finished and proved itself.
//
// params:
//   $key      string   the marker's key: pending:<kind>:<unique id>
//   $kind     string   restore or import
//   $source   string   the archive or the data set being written
// returns: key
// rows: one
// mode: write
CREATE (m:KbMeta {key: $key, kind: $kind, source: $source, started: datetime()})
RETURN m.key AS key
