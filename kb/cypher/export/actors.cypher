// Every actor with its name and sector, for the REFI-QDA codebook (`kb export qdc`).
//
// The codebook groups them by sector; each actor's code carries its id. (The QDA import
// reads the same fields through qda/actors, as stored; this export's rows go through the
// actors' consent, kb.consent, like every output.)
//
// returns: id, name, sector, kind (Person or Organization)
// rows: many
// mode: read
MATCH (a:Actor)
RETURN a.id AS id, a.name AS name, a.sector AS sector,
       CASE WHEN a:Organization THEN 'Organization' ELSE 'Person' END AS kind
ORDER BY id
