// Write back journal entries with a withdrawn participant masked in their command and
// reason and their hashes chained again; the purged ones are marked with the purge.
//
// params:
//   $rows   list     {seq, command, why, prev, hash, purged}: the entries' new values
//   $note   string   what happened, e.g. 'purged for a withdrawal on 2026-12-08'
// returns: count
// rows: one
// mode: write
UNWIND $rows AS row
MATCH (e:KbMeta {key: 'journal:' + toString(row.seq)})
SET e.command = row.command, e.why = row.why, e.prev = row.prev, e.hash = row.hash,
    e.purged = CASE WHEN row.purged THEN $note ELSE e.purged END
RETURN count(e) AS count
