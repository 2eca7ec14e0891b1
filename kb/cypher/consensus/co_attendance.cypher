// Co-attendance at meetings where a problem was discussed (the meeting's `problems`
// property lists problem ids, `;`-separated), per problem and meeting.
//
// params:
//   $at_first   date = null   first day of the period
//   $at_last    date = null   last day of the period
// returns: problem, meeting, date, attendees
// rows: many
// mode: read
MATCH (m:Meeting)
WHERE m.problems IS NOT NULL
  AND ($at_last IS NULL OR m.date_first <= $at_last)
  AND ($at_first IS NULL OR m.date_last >= $at_first)
UNWIND [p IN split(m.problems, ';') | trim(p)] AS problem
WITH m, problem WHERE problem <> ''
MATCH (a:Actor)-[:ATTENDED]->(m)
WITH problem, m, collect(a.id) AS attendees
ORDER BY problem, m.date_first
RETURN problem, m.id AS meeting, m.date AS date, attendees
