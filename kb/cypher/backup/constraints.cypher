// The database's constraints as the statements that create them, for kb backup.
//
// returns: name, statement
// rows: many
// mode: read
SHOW CONSTRAINTS YIELD name, createStatement
RETURN name, createStatement AS statement
ORDER BY name
