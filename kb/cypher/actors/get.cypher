// One actor's identity, or no row when the id is unknown.
//
// params:
//   $id   string   the actor id
// returns: id, name, labels, sector, kind
// rows: optional
// mode: read
MATCH (a:Actor {id: $id})
RETURN a.id AS id, a.name AS name, [l IN labels(a) WHERE l <> 'Actor'] AS labels,
       a.sector AS sector, a.kind AS kind
