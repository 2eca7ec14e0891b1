// @quotable(t): whether the words of the evidence item t may be shown (kb.consent).
//
// They may unless its informant's consent withholds them (no-quotes, structure-only,
// withdrawn): full-text search skips such items, so that a phrase of their words finds
// nothing (kb.consent masks the words themselves wherever else rows carry them).
//
// params:
// returns: a predicate
// mode: read
(t.informant IS NULL
 OR NOT EXISTS { MATCH (i:Actor {id: t.informant})
                 WHERE i.consent IN ['no-quotes', 'structure-only', 'withdrawn'] })
