// @in_period(t): whether the spell of t (a tie or a membership) overlaps the period.
//
// kb's one rule of time selection (kb.periods.Period.overlaps; a test checks they agree):
// the spell's last possible day is on or after the period's first, and its first possible
// day on or before the period's last; a missing bound (of the spell or the period) is open.
// Without a period (both null) every spell is selected.
//
// params:
//   $at_first   date = null   first day of the period
//   $at_last    date = null   last day of the period
// returns: a predicate
// mode: read
(($at_first IS NULL OR t.end_last IS NULL OR t.end_last >= $at_first)
 AND ($at_last IS NULL OR t.start_first IS NULL OR t.start_first <= $at_last))
