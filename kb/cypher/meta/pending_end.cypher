// Remove the marker of a finished write, and those of earlier runs of the same write when
// asked (an import run again to the end completes the runs that were killed before).
//
// params:
//   $key      string          the marker meta/pending_begin wrote
//   $kind     string          restore or import
//   $source   string = null   also remove the markers of this kind and source (null: none)
// returns: removed
// rows: one
// mode: write
MATCH (m:KbMeta)
WHERE m.key = $key OR (m.key STARTS WITH 'pending:' AND m.kind = $kind AND m.source = $source)
DELETE m
RETURN count(*) AS removed
