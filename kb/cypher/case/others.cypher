// The ids of the cases in the database other than the given one.
//
// One database holds one case: an import that brings a case row checks first that no
// other case is there.
//
// params:
//   $id   string   the id of the case being imported
// returns: id
// rows: many
// mode: read
MATCH (c:Case)
WHERE c.id <> $id
RETURN c.id AS id
ORDER BY id
