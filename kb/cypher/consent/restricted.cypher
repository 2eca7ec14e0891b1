// The actors whose consent restricts what kb shows, and the evidence items they are the
// informant of.
//
// An actor without a consent status agreed to everything ("full"): only the others are
// returned, so a case where everyone agreed costs one empty answer (kb.consent).
//
// params:
// returns: id, name, aliases (`;`-separated, or null), consent, person (whether the actor is a person), evidence (ids of the
//          items they are the informant of)
// rows: many
// mode: read
MATCH (a:Actor)
WHERE a.consent IN ['no-quotes', 'structure-only', 'withdrawn']
RETURN a.id AS id, a.name AS name, a.aliases AS aliases, a.consent AS consent, a:Person AS person,
       COLLECT { MATCH (e:Evidence {informant: a.id}) RETURN e.id } AS evidence
ORDER BY id
