// Whether any actor has the property $property (a quick check before grouping by it).
//
// params:
//   $property   string   a property name
// returns: found
// rows: one
// mode: read
RETURN EXISTS { MATCH (a:Actor) WHERE a[$property] IS NOT NULL } AS found
