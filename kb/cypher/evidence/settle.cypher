// Record how the team settled an agreement unit where coders differed: keep the tie in that
// source, or drop it, and why. Settling a unit again replaces the earlier decision. The
// settlement is kept apart from the codings: raw agreement is computed without it.
//
// params:
//   $unit       string   the unit id (kb evidence disagreements)
//   $source     string   the unit's source document id
//   $low        string   the unit's first actor id
//   $high       string   the unit's second actor id
//   $type       string   the unit's tie type
//   $decision   string   keep or drop
//   $why        string   the reason, as the team words it
// returns: unit, decision, why, settled_at, previous (the decision replaced, or null)
// rows: one
// mode: write
MERGE (s:Settlement {unit: $unit})
WITH s, s.decision AS previous
SET s.source = $source, s.low = $low, s.high = $high, s.type = $type,
    s.decision = $decision, s.why = $why, s.settled_at = datetime()
RETURN s.unit AS unit, s.decision AS decision, s.why AS why,
       toString(s.settled_at) AS settled_at, previous
