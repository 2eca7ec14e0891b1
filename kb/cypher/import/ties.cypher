// Create or update ties between actors ((a:Actor)-[:TIE {type, ...}]->(b:Actor)).
//
// Rows come validated from kb.imports; each outcome is created, updated or unchanged.
//
// MERGE on the stable id makes re-imports idempotent; unchanged rows are not rewritten.
// Evidence ids are kept as a set on the relationship and only ever added to, so links made
// with `kb link` survive a re-import, and survive a move of the tie to new ends.
// kb.imports.writer sends here the rows import/ties_state found changed (and any batch whose
// import/ties_new failed on a concurrent write); new ties normally take import/ties_new.
// Undirected ties are stored once, from source to target, with directed = false.
// Dates arrive as text (2016, 2016-03, 2016-03-14); their first and last days and precision
// are derived here, exactly as kb.dates.PartialDate does, to keep the parameters small.
//
// params:
//   $rows   list   maps {id, source, target, props, evidence}
// returns: outcome, count
// mode: write
UNWIND $rows AS row
MATCH (a:Actor {id: row.source}), (b:Actor {id: row.target})
OPTIONAL MATCH ()-[old:TIE {id: row.id}]->()
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
WITH row, a, b, old, outcome, coalesce(old.evidence, []) AS kept
FOREACH (_ IN CASE WHEN old IS NOT NULL AND (startNode(old) <> a OR endNode(old) <> b)
                   THEN [1] ELSE [] END | DELETE old)
MERGE (a)-[r:TIE {id: row.id}]->(b)
FOREACH (_ IN CASE WHEN outcome = 'unchanged' THEN [] ELSE [1] END |
  SET r += row.props,
      r.evidence = reduce(acc = kept, e IN row.evidence |
                          CASE WHEN e IN acc THEN acc ELSE acc + e END),
      r.start_first = CASE size(row.props.start) WHEN 4 THEN date(row.props.start + '-01-01')
                        WHEN 7 THEN date(row.props.start + '-01') ELSE date(row.props.start) END,
      r.start_last = CASE size(row.props.start) WHEN 4 THEN date(row.props.start + '-12-31')
                       WHEN 7 THEN date(row.props.start + '-01') + duration('P1M') - duration('P1D')
                       ELSE date(row.props.start) END,
      r.start_precision = CASE size(row.props.start) WHEN 4 THEN 'year' WHEN 7 THEN 'month'
                            WHEN 10 THEN 'day' END,
      r.end_first = CASE size(row.props.end) WHEN 4 THEN date(row.props.end + '-01-01')
                      WHEN 7 THEN date(row.props.end + '-01') ELSE date(row.props.end) END,
      r.end_last = CASE size(row.props.end) WHEN 4 THEN date(row.props.end + '-12-31')
                     WHEN 7 THEN date(row.props.end + '-01') + duration('P1M') - duration('P1D')
                     ELSE date(row.props.end) END,
      r.end_precision = CASE size(row.props.end) WHEN 4 THEN 'year' WHEN 7 THEN 'month'
                          WHEN 10 THEN 'day' END)
RETURN outcome, count(*) AS count
