// kb's full-text indexes as the database has them, with their analyzers (so that `kb init`
// can rebuild one whose analyzer changed).
//
// returns: name, analyzer
// mode: read
SHOW FULLTEXT INDEXES YIELD name, options
RETURN name, options.indexConfig.`fulltext.analyzer` AS analyzer
