// Which of the tie types $types the case has (the tie_type index answers).
//
// params:
//   $types   list   tie types
// returns: type
// rows: many
// mode: read
UNWIND $types AS type
WITH type WHERE EXISTS { MATCH ()-[t:TIE]->() WHERE t.type = type }
RETURN type
