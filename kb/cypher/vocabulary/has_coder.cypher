// Whether an evidence item was coded by $coder (any case): a check that stops at the first.
//
// params:
//   $coder   string   a coder's name
// returns: found
// rows: one
// mode: read
RETURN EXISTS { MATCH (e:Evidence) WHERE toLower(e.coder) = toLower($coder) } AS found
