// The current properties of the records with these ids (nodes and relationships with a
// stable id, settlements by their unit): the before and after images of a journaled write.
// A relationship also names its type and the ids of its ends, so that undoing its deletion
// can put it back; a node names the links without an id that its own row writes (its
// territory, parent, source document, successor, and a document's author), so that an undo
// puts them back too. One branch per label and type, so that each is one index seek for the
// whole list.
//
// params:
//   $ids   list   record ids
// returns: id, kind, labels, start, end, props, links
// rows: many
// mode: read
// Planned once: this query runs in every write of an import, while the statistics change
// with each batch, and planning its branches again would cost more than the read.
CYPHER replan=skip
CALL () {
  MATCH (n:Actor) WHERE n.id IN $ids
  RETURN n.id AS id, 'node' AS kind, labels(n) AS labels, null AS start, null AS end,
         properties(n) AS props,
         [(n)-[l:IN_TERRITORY|FROM_DOCUMENT|PART_OF|SUCCEEDED_BY]->(m) |
          {type: type(l), start: n.id, end: m.id, props: properties(l)}] +
         [(m)-[l:AUTHORED]->(n) |
          {type: type(l), start: m.id, end: n.id, props: properties(l)}] AS links
  UNION ALL
  MATCH (n:Meeting) WHERE n.id IN $ids
  RETURN n.id AS id, 'node' AS kind, labels(n) AS labels, null AS start, null AS end,
         properties(n) AS props,
         [(n)-[l:IN_TERRITORY|FROM_DOCUMENT|PART_OF|SUCCEEDED_BY]->(m) |
          {type: type(l), start: n.id, end: m.id, props: properties(l)}] +
         [(m)-[l:AUTHORED]->(n) |
          {type: type(l), start: m.id, end: n.id, props: properties(l)}] AS links
  UNION ALL
  MATCH (n:Document) WHERE n.id IN $ids
  RETURN n.id AS id, 'node' AS kind, labels(n) AS labels, null AS start, null AS end,
         properties(n) AS props,
         [(n)-[l:IN_TERRITORY|FROM_DOCUMENT|PART_OF|SUCCEEDED_BY]->(m) |
          {type: type(l), start: n.id, end: m.id, props: properties(l)}] +
         [(m)-[l:AUTHORED]->(n) |
          {type: type(l), start: m.id, end: n.id, props: properties(l)}] AS links
  UNION ALL
  MATCH (n:ReformEvent) WHERE n.id IN $ids
  RETURN n.id AS id, 'node' AS kind, labels(n) AS labels, null AS start, null AS end,
         properties(n) AS props,
         [(n)-[l:IN_TERRITORY|FROM_DOCUMENT|PART_OF|SUCCEEDED_BY]->(m) |
          {type: type(l), start: n.id, end: m.id, props: properties(l)}] +
         [(m)-[l:AUTHORED]->(n) |
          {type: type(l), start: m.id, end: n.id, props: properties(l)}] AS links
  UNION ALL
  MATCH (n:Stage) WHERE n.id IN $ids
  RETURN n.id AS id, 'node' AS kind, labels(n) AS labels, null AS start, null AS end,
         properties(n) AS props,
         [(n)-[l:IN_TERRITORY|FROM_DOCUMENT|PART_OF|SUCCEEDED_BY]->(m) |
          {type: type(l), start: n.id, end: m.id, props: properties(l)}] +
         [(m)-[l:AUTHORED]->(n) |
          {type: type(l), start: m.id, end: n.id, props: properties(l)}] AS links
  UNION ALL
  MATCH (n:Territory) WHERE n.id IN $ids
  RETURN n.id AS id, 'node' AS kind, labels(n) AS labels, null AS start, null AS end,
         properties(n) AS props,
         [(n)-[l:IN_TERRITORY|FROM_DOCUMENT|PART_OF|SUCCEEDED_BY]->(m) |
          {type: type(l), start: n.id, end: m.id, props: properties(l)}] +
         [(m)-[l:AUTHORED]->(n) |
          {type: type(l), start: m.id, end: n.id, props: properties(l)}] AS links
  UNION ALL
  MATCH (n:Evidence) WHERE n.id IN $ids
  RETURN n.id AS id, 'node' AS kind, labels(n) AS labels, null AS start, null AS end,
         properties(n) AS props,
         [(n)-[l:IN_TERRITORY|FROM_DOCUMENT|PART_OF|SUCCEEDED_BY]->(m) |
          {type: type(l), start: n.id, end: m.id, props: properties(l)}] +
         [(m)-[l:AUTHORED]->(n) |
          {type: type(l), start: m.id, end: n.id, props: properties(l)}] AS links
  UNION ALL
  MATCH (n:Problem) WHERE n.id IN $ids
  RETURN n.id AS id, 'node' AS kind, labels(n) AS labels, null AS start, null AS end,
         properties(n) AS props,
         [(n)-[l:IN_TERRITORY|FROM_DOCUMENT|PART_OF|SUCCEEDED_BY]->(m) |
          {type: type(l), start: n.id, end: m.id, props: properties(l)}] +
         [(m)-[l:AUTHORED]->(n) |
          {type: type(l), start: m.id, end: n.id, props: properties(l)}] AS links
  UNION ALL
  MATCH (n:Case) WHERE n.id IN $ids
  RETURN n.id AS id, 'node' AS kind, labels(n) AS labels, null AS start, null AS end,
         properties(n) AS props,
         [(n)-[l:IN_TERRITORY|FROM_DOCUMENT|PART_OF|SUCCEEDED_BY]->(m) |
          {type: type(l), start: n.id, end: m.id, props: properties(l)}] +
         [(m)-[l:AUTHORED]->(n) |
          {type: type(l), start: m.id, end: n.id, props: properties(l)}] AS links
  UNION ALL
  MATCH (n:Settlement) WHERE n.unit IN $ids
  RETURN n.unit AS id, 'node' AS kind, labels(n) AS labels, null AS start, null AS end,
         properties(n) AS props, [] AS links
  UNION ALL
  MATCH (a)-[r:TIE]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, 'relationship' AS kind, [type(r)] AS labels, a.id AS start,
         b.id AS end, properties(r) AS props, [] AS links
  UNION ALL
  MATCH (a)-[r:MEMBER_OF]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, 'relationship' AS kind, [type(r)] AS labels, a.id AS start,
         b.id AS end, properties(r) AS props, [] AS links
  UNION ALL
  MATCH (a)-[r:ATTENDED]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, 'relationship' AS kind, [type(r)] AS labels, a.id AS start,
         b.id AS end, properties(r) AS props, [] AS links
  UNION ALL
  MATCH (a)-[r:TAKES_POSITION]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, 'relationship' AS kind, [type(r)] AS labels, a.id AS start,
         b.id AS end, properties(r) AS props, [] AS links
  UNION ALL
  MATCH (a)-[r:AFFECTED]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, 'relationship' AS kind, [type(r)] AS labels, a.id AS start,
         b.id AS end, properties(r) AS props, [] AS links
  UNION ALL
  MATCH (a)-[r:MENTIONS]->(b) WHERE r.id IN $ids
  RETURN r.id AS id, 'relationship' AS kind, [type(r)] AS labels, a.id AS start,
         b.id AS end, properties(r) AS props, [] AS links
}
RETURN id, kind, labels, start, end, props, links
