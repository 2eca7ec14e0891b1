// The case's period of observation: its declared end, and the latest date in the data.
//
// The declared end is the Case node's observed_until (case.csv); without one, analyses
// that censor at the end of observation use the latest date recorded anywhere in the case:
// the largest `*_last` date property of any node or relationship (spells, meetings,
// evidence, documents, positions, stages, reforms and their effects).
//
// returns: cases (list of maps: id, name, observed_from, observed_from_first,
//          observed_until, observed_until_last), latest (date or null)
// mode: read
OPTIONAL MATCH (c:Case)
WITH collect(c {.id, .name, .observed_from, .observed_from_first, .observed_until,
                .observed_until_last}) AS cases
CALL () {
  MATCH (n)
  WHERE NOT n:Case AND NOT n:KbMeta
  UNWIND [k IN keys(n) WHERE k ENDS WITH '_last' | n[k]] AS day
  RETURN max(day) AS node_latest
}
CALL () {
  MATCH ()-[r]->()
  UNWIND [k IN keys(r) WHERE k ENDS WITH '_last' | r[k]] AS day
  RETURN max(day) AS rel_latest
}
RETURN cases,
       CASE WHEN node_latest IS NULL OR rel_latest > node_latest THEN rel_latest
            ELSE node_latest END AS latest
