// The case's period of observation: its declared bounds, and the earliest and latest dates
// in the data with the record that holds each.
//
// The declared bounds are the Case node's observed_from / observed_until (case.csv);
// without them, kb observes the case from the first dated day of a tie (its start, or its
// end when it has no start) to the latest date recorded anywhere: the largest `*_last` date
// property of any node or relationship (spells, meetings, evidence, documents, positions,
// stages, reforms and their effects): a late interview is still fieldwork, while an old
// membership is history told, not observed. An open spell (a tie with no end) is ongoing
// until the end of observation.
//
// returns: cases (list of maps: id, name, observed_from, observed_from_first,
//          observed_until, observed_until_last), earliest and latest (maps: day, kind
//          (a node label or relationship type), id, property; null when the case has no
//          date)
// rows: one
// mode: read
OPTIONAL MATCH (c:Case)
WITH collect(c {.id, .name, .observed_from, .observed_from_first, .observed_until,
                .observed_until_last}) AS cases
OPTIONAL CALL () {
  MATCH ()-[r:TIE]->()
  UNWIND [k IN ['start_first', 'end_first'] WHERE r[k] IS NOT NULL |
          {day: r[k], id: r.id, property: left(k, size(k) - 6), kind: type(r)}] AS d
  RETURN d AS earliest
  ORDER BY d.day, d.kind, d.id, d.property
  LIMIT 1
}
OPTIONAL CALL () {
  CALL () {
    MATCH (n)
    WHERE NOT n:Case AND NOT n:KbMeta
    UNWIND [k IN keys(n) WHERE k ENDS WITH '_last' AND n[k] IS NOT NULL |
            {day: n[k], id: n.id, property: left(k, size(k) - 5),
             kind: coalesce([l IN labels(n) WHERE l <> 'Actor'][0], labels(n)[0])}] AS d
    RETURN d
    UNION ALL
    MATCH ()-[r]->()
    UNWIND [k IN keys(r) WHERE k ENDS WITH '_last' AND r[k] IS NOT NULL |
            {day: r[k], id: r.id, property: left(k, size(k) - 5), kind: type(r)}] AS d
    RETURN d
  }
  RETURN d AS latest
  ORDER BY d.day DESC, d.kind, d.id, d.property
  LIMIT 1
}
RETURN cases, earliest, latest
