// The stop words of a full-text analyzer: the words it leaves out of the index and of
// queries (`kb search la` finds nothing because it searches for nothing).
//
// params:
//   $analyzer   string = 'french'   the analyzer (kb.schema.FULLTEXT_ANALYZER)
// returns: words (a list; no row for an unknown analyzer)
// rows: optional
// mode: read
CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer, stopwords
WHERE analyzer = $analyzer
RETURN stopwords AS words
