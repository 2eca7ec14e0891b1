// The tie types the case uses, for the `ties` group of kb's QDA codebook.
//
// returns: type, ties (how many ties have it)
// rows: many
// mode: read
MATCH ()-[t:TIE]->()
RETURN t.type AS type, count(*) AS ties
ORDER BY type
