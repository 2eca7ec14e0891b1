// Create or update ties between actors ((a:Actor)-[:TIE {type, ...}]->(b:Actor)).
//
// Rows come validated from kb.imports; each outcome is created, updated or unchanged.
//
// MERGE on the stable id makes re-imports idempotent; unchanged rows are not rewritten.
// Evidence ids are kept as a set on the relationship and only ever added to, so links made
// with `kb link` survive a re-import, and survive a move of the tie to new ends. Only the
// properties in row.props are written: `kb add` sends just the fields it updates.
// kb.imports.writer sends here the rows import/ties_state found changed (and any batch whose
// import/ties_new failed on a concurrent write); new ties normally take import/ties_new.
// Undirected ties are stored once, from source to target, with directed = false.
// Dates arrive as text (2016, 2016-03, 2016-03-14); their first and last days and precision
// are derived here, exactly as kb.dates.PartialDate does, to keep the parameters small.
//
// params:
//   $rows   list   maps {id, source, target, props, evidence}
// returns: outcome, count
// rows: many
// mode: write
UNWIND $rows AS row
MATCH (a:Actor {id: row.source}), (b:Actor {id: row.target})
OPTIONAL MATCH ()-[old:TIE {id: row.id}]->()
// Lock the existing relationship before reading it: Neo4j reads committed data without
// locks, so concurrent writers of one relationship would each compute its evidence list from
// what they read and the last to commit would drop the others' ids. Taking the write lock
// first makes them take turns; a SET on a missing (null) relationship does nothing.
SET old.kb_lock = true
REMOVE old.kb_lock
WITH row, a, b, old, CASE
    WHEN old IS NULL THEN 'created'
    WHEN startNode(old) = a AND endNode(old) = b
         AND all(k IN keys(row.props) WHERE old[k] = row.props[k]
                                     OR (old[k] IS NULL AND row.props[k] IS NULL))
         AND all(e IN row.evidence WHERE e IN coalesce(old.evidence, []))
         THEN 'unchanged'
    ELSE 'updated'
  END AS outcome
// An explicit id whose ends changed in the data moves to the new ends (outcome updated),
// keeping its evidence ids.
// A date given (even empty) sets its derived properties; a date left out of row.props (an
// update by `kb add` that does not name it) leaves them as they are.
WITH row, a, b, old, outcome, coalesce(old.evidence, []) AS kept,
     CASE WHEN 'start' IN keys(row.props) THEN {
       start_first: CASE size(row.props.start) WHEN 4 THEN date(row.props.start + '-01-01')
                    WHEN 7 THEN date(row.props.start + '-01') ELSE date(row.props.start) END,
       start_last: CASE size(row.props.start) WHEN 4 THEN date(row.props.start + '-12-31')
                   WHEN 7 THEN date(row.props.start + '-01') + duration('P1M') - duration('P1D')
                   ELSE date(row.props.start) END,
       start_precision: CASE size(row.props.start) WHEN 4 THEN 'year' WHEN 7 THEN 'month'
                        WHEN 10 THEN 'day' END
     } ELSE {} END AS start_dates,
     CASE WHEN 'end' IN keys(row.props) THEN {
       end_first: CASE size(row.props.end) WHEN 4 THEN date(row.props.end + '-01-01')
                    WHEN 7 THEN date(row.props.end + '-01') ELSE date(row.props.end) END,
       end_last: CASE size(row.props.end) WHEN 4 THEN date(row.props.end + '-12-31')
                   WHEN 7 THEN date(row.props.end + '-01') + duration('P1M') - duration('P1D')
                   ELSE date(row.props.end) END,
       end_precision: CASE size(row.props.end) WHEN 4 THEN 'year' WHEN 7 THEN 'month'
                        WHEN 10 THEN 'day' END
     } ELSE {} END AS end_dates
FOREACH (_ IN CASE WHEN old IS NOT NULL AND (startNode(old) <> a OR endNode(old) <> b)
                   THEN [1] ELSE [] END | DELETE old)
MERGE (a)-[r:TIE {id: row.id}]->(b)
FOREACH (_ IN CASE WHEN outcome = 'unchanged' THEN [] ELSE [1] END |
  SET r += row.props,
      r += start_dates,
      r += end_dates,
      r.evidence = reduce(acc = kept, e IN row.evidence |
                          CASE WHEN e IN acc THEN acc ELSE acc + e END))
RETURN outcome, count(*) AS count
