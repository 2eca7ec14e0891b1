// Every actor with the attribute used to group actors (sector, kind, territory, ...).
//
// params:
//   $group_by   string = null   name of the actor property that defines groups
// returns: id, name, group, kind
// rows: many
// mode: read
MATCH (a:Actor)
RETURN a.id AS id, a.name AS name,
       CASE WHEN $group_by IS NULL THEN null ELSE a[$group_by] END AS group,
       CASE WHEN a:Organization THEN 'organization' ELSE 'person' END AS kind
ORDER BY id
