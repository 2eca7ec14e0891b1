// Every actor with its name and sector: what the codes of a QDA project may name.
//
// A REFI-QDA import matches codes under `actors` to these (by id, or by name case- and
// accent-insensitively), as stored (`kb export qdc` reads export/actors).
//
// returns: id, name, sector, kind (Person or Organization)
// rows: many
// mode: read
MATCH (a:Actor)
RETURN a.id AS id, a.name AS name, a.sector AS sector,
       CASE WHEN a:Organization THEN 'Organization' ELSE 'Person' END AS kind
ORDER BY id
