// Every membership (member)-[:MEMBER_OF]->(organization) with its role and spell, for the
// actor panel of `kb view` (both ends see it: the member its organizations, an
// organization its members).
//
// returns: id, member, organization, role, start, end
// rows: many
// mode: read
MATCH (p:Actor)-[m:MEMBER_OF]->(o:Actor)
RETURN m.id AS id, p.id AS member, o.id AS organization, m.role AS role,
       m.start AS start, m.end AS end
ORDER BY p.id, m.start_first, o.id, m.id
