// A read that touches nothing: kb runs it for the bookmark its transaction returns, which
// names the database's last committed transaction (kb.result_cache keys entries on it).
//
// returns: ok
// rows: one
// mode: read
RETURN true AS ok
