// Create ties whose ids are not in the database yet ((a:Actor)-[:TIE {type, ...}]->(b:Actor)).
//
// The fast path of a tie import: kb.imports.writer sends here only rows whose id it knows to be new
// (the database held no tie, or import/ties_state did not find the id), so a plain CREATE
// does: no second index seek, no comparison, no Eager. Should a concurrent writer have
// created one of the ids meanwhile, the uniqueness constraint fails the batch and kb.imports.writer
// sends it through import/ties instead. What is stored is what import/ties stores for a
// created tie: the props, the evidence ids (already distinct), and each date's first and
// last days and precision derived from its text (2016, 2016-03, 2016-03-14) exactly as
// kb.dates.PartialDate does.
//
// params:
//   $rows   list   maps {id, source, target, props, evidence}
// returns: outcome, count
// rows: many
// mode: write
UNWIND $rows AS row
MATCH (a:Actor {id: row.source}), (b:Actor {id: row.target})
CREATE (a)-[r:TIE {id: row.id}]->(b)
SET r += row.props,
    r.evidence = row.evidence,
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
                        WHEN 10 THEN 'day' END
RETURN 'created' AS outcome, count(*) AS count
