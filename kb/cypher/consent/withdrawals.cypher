// The withdrawals made in this database, oldest first (kb withdraw; kb backup list).
//
// params:
// returns: date, policy, why
// rows: many
// mode: read
MATCH (w:KbWithdrawal)
RETURN w.date AS date, w.policy AS policy, w.why AS why
ORDER BY date
