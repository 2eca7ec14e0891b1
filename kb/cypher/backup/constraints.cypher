// The database's constraints as the statements that create them, for kb backup.
//
// returns: name, statement
// mode: read
SHOW CONSTRAINTS YIELD name, createStatement
RETURN name, createStatement AS statement
ORDER BY name
