// The evidence items about one actor: those mentioning it and those behind its ties,
// memberships, attendances and positions (what kb search --actor keeps).
//
// The items are given by their element ids: kb search compares them with the index hits
// without reading each hit's properties.
//
// params:
//   $actor   string   the actor id
// returns: known (whether the actor exists), nodes (the element ids of those Evidence
//          nodes, each once), evidence (how many evidence items the case has)
// rows: one
// mode: read
OPTIONAL MATCH (a:Actor {id: $actor})
RETURN a IS NOT NULL AS known,
       COLLECT {
         MATCH (a)<-[:MENTIONS]-(e:Evidence)
         RETURN elementId(e) AS node
         UNION
         MATCH (a)-[r:TIE|MEMBER_OF|ATTENDED|TAKES_POSITION]-()
         UNWIND r.evidence AS id
         MATCH (e:Evidence {id: id})
         RETURN elementId(e) AS node
       } AS nodes,
       COUNT { MATCH (:Evidence) } AS evidence
