// The database's own indexes (not the token lookup indexes every database has, nor those
// a constraint owns) as the statements that create them, for kb backup.
//
// returns: name, statement
// rows: many
// mode: read
SHOW INDEXES YIELD name, type, owningConstraint, createStatement
WHERE type <> 'LOOKUP' AND owningConstraint IS NULL
RETURN name, createStatement AS statement
ORDER BY name
