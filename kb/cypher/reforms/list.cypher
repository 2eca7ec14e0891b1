// The reforms of the case with the number of organizations each affected, and each affected
// organization with the effect ({id, effect}, by id).
//
// returns: id, name, date, jurisdiction, description, effects, organizations
// rows: many
// mode: read
MATCH (r:ReformEvent)
OPTIONAL MATCH (r)-[f:AFFECTED]->(o:Organization)
WITH r, f, o ORDER BY o.id
WITH r, count(f) AS effects, collect(CASE WHEN o IS NOT NULL THEN {id: o.id, effect: f.effect} END) AS organizations
ORDER BY r.date_first, r.id
RETURN r.id AS id, r.name AS name, r.date AS date, r.jurisdiction AS jurisdiction,
       r.description AS description, effects, organizations
