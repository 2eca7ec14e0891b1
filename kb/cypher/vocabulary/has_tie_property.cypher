// Whether any tie has the property $property (a quick check before weighting by it).
//
// params:
//   $property   string   a property name
// returns: found
// rows: one
// mode: read
RETURN EXISTS { MATCH ()-[t:TIE]->() WHERE t[$property] IS NOT NULL } AS found
