// Attach an evidence item to a tie, membership, attendance or position (idempotent).
//
// params:
//   $evidence   string   the evidence id
//   $kind       string   tie, membership, attendance or position
//   $target     string   the id of the tie / membership / attendance / position
// returns: type, id, evidence (the relationship's evidence ids after linking)
// rows: optional
// mode: write
MATCH (e:Evidence {id: $evidence})
CALL (e) {
  MATCH ()-[r:TIE {id: $target}]->() WHERE $kind = 'tie' RETURN r
  UNION
  MATCH ()-[r:MEMBER_OF {id: $target}]->() WHERE $kind = 'membership' RETURN r
  UNION
  MATCH ()-[r:ATTENDED {id: $target}]->() WHERE $kind = 'attendance' RETURN r
  UNION
  MATCH ()-[r:TAKES_POSITION {id: $target}]->() WHERE $kind = 'position' RETURN r
}
// Locked before reading its evidence list, so that concurrent links and imports of one
// relationship take turns instead of overwriting each other's ids.
SET r.kb_lock = true
REMOVE r.kb_lock
SET r.evidence = CASE WHEN e.id IN coalesce(r.evidence, []) THEN r.evidence
                      ELSE coalesce(r.evidence, []) + e.id END
RETURN type(r) AS type, r.id AS id, r.evidence AS evidence
