// Put journal nodes back after a restore (those the restored history lacks).
//
// params:
//   $rows   list   maps {labels, props} from journal/nodes
// returns: written
// rows: one
// mode: write
UNWIND $rows AS row
MERGE (n:KbMeta {key: row.props.key})
ON CREATE SET n = row.props
FOREACH (_ IN CASE WHEN 'KbJournal' IN row.labels THEN [1] ELSE [] END | SET n:KbJournal)
FOREACH (_ IN CASE WHEN 'KbJournalChunk' IN row.labels THEN [1] ELSE [] END |
  SET n:KbJournalChunk)
FOREACH (_ IN CASE WHEN 'KbJournalBulk' IN row.labels THEN [1] ELSE [] END |
  SET n:KbJournalBulk)
FOREACH (_ IN CASE WHEN 'KbJournalTouch' IN row.labels THEN [1] ELSE [] END |
  SET n:KbJournalTouch)
RETURN count(*) AS written
