// Drop an index by name (kb restore --force replaces the schema with the backup's).
//
// params:
//   $index   string   the index's name
// returns: nothing
// rows: none
// mode: write
DROP INDEX $index IF EXISTS
