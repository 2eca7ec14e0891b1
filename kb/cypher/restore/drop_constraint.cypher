// Drop a constraint by name (kb restore --force replaces the schema with the backup's).
//
// params:
//   $constraint   string   the constraint's name
// returns: nothing
// rows: none
// mode: write
DROP CONSTRAINT $constraint IF EXISTS
