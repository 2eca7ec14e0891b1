// End a tie's spell on a (partial) date, keeping the date's precision.
//
// params:
//   $id          string   the tie id
//   $end         string   the date as given (2016, 2016-03 or 2016-03-14)
//   $end_first   date     first day of that date's period
//   $end_last    date     last day of that date's period (the tie is active through it)
//   $precision   string   year, month or day
// returns: id, start, end
// rows: optional
// mode: write
MATCH ()-[t:TIE {id: $id}]->()
SET t.end = $end, t.end_first = $end_first, t.end_last = $end_last, t.end_precision = $precision
RETURN t.id AS id, t.start AS start, t.end AS end
