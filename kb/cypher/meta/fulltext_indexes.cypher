// kb's full-text indexes as the database has them, with their analyzers and properties (so
// that `kb init` can rebuild one whose analyzer or properties changed).
//
// returns: name, analyzer, properties
// rows: many
// mode: read
SHOW FULLTEXT INDEXES YIELD name, options, properties
RETURN name, options.indexConfig.`fulltext.analyzer` AS analyzer, properties
