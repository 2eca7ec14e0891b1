"""Constraints and indexes of kb's model, and the schema version recorded in the database.

Schema statements are generated from the label and relationship-type allow-lists below
(identifiers cannot be Cypher parameters), so nothing from user input reaches them.
"""

from __future__ import annotations

from typing import Any

# 2: the MENTIONS id constraint and the evidence_text full-text index (kb search); an
#    existing database gets them from `kb init`, which any command runs when the recorded
#    version differs.
# 3: the Case id constraint (the case table, observed_until).
# 4: the evidence_links full-text index (what an evidence item supports, found by its id).
# 5: evidence_text with the french analyzer (elisions: `equipe` finds `l'équipe`); `kb init`
#    drops an evidence_text built with another analyzer and builds it again.
# 6: evidence_text reads kb_search, the text of each item and document with its accents
#    stripped (kb.text.search_text): the French analyzer keeps the accents of short words
#    (`aînés` is stored as `aîné`), so `aines` and `aînés` found nothing. `kb init` builds
#    the index again and fills kb_search on items stored before.
# 7: an index on the journal chunks' sequence numbers (kb changes, kb history).
# 8: an index on the journal entries' sequence numbers (the check that none is missing reads
#    the two ends of it and the label's count, not every entry) and the journal_ids
#    full-text index (the ids of bulk chunks: kb changes --id without reading every list).
SCHEMA_VERSION = 8

# Indexed properties besides the ids: (label or relationship type, property). The import
# refuses text longer than Neo4j's index key limit there (kb.model Column.indexed).
INDEXED_PROPERTIES = (
    ("Actor", "name"),
    ("Actor", "sector"),
    ("Organization", "kind"),
    # The journal's chunks are found by their entry's sequence number (kb changes).
    ("KbJournalChunk", "seq"),
    # Entries are checked (none missing) from the ends of this index (journal/extent).
    ("KbJournal", "seq"),
)

# Node labels whose nodes carry a unique ``id``. Person and Organization share the Actor
# id space, so the Actor constraint covers both.
ID_LABELS = (
    "Actor",
    "Meeting",
    "Document",
    "ReformEvent",
    "Stage",
    "Territory",
    "Evidence",
    "Problem",
    "Case",
)
# Relationship types with a stable ``id`` (ties, memberships, attendance, positions, effects).
ID_RELATIONSHIPS = ("TIE", "MEMBER_OF", "ATTENDED", "TAKES_POSITION", "AFFECTED", "MENTIONS")
META_LABEL = "KbMeta"
# The full-text index `kb search` queries: evidence quotes, notes and locations, and document
# titles, with Lucene's French analyzer: elisions split (`l'équipe`, `d’équipe` are found by
# `equipe`), accents folded by its light stemmer (`equipe` finds `Équipe`), plurals and
# French stop words removed; English words keep their letters (plurals folded too). The
# standard-folding analyzer folded accents but kept `l'equipe` as one word, which most
# French text made unsearchable by the bare word.
#
# The analyzer reads kb_search, not the text itself: Lucene's French stemmer folds accents
# only in words of five letters or more after stemming, so short words kept theirs and
# `aines`, `ete`, `age`, `mais` found nothing. kb_search holds the searched fields with
# their accents stripped (kb.text), the query is stripped the same way, and the analyzer
# never sees an accent.
FULLTEXT_INDEX = "evidence_text"
FULLTEXT_ANALYZER = "french"
SEARCH_PROPERTY = "kb_search"
# The import tables whose records the index reads, and the columns kb_search joins.
SEARCHED_COLUMNS = {"evidence": ("quote", "note", "location"), "documents": ("title",)}
# Each full-text index of kb: (analyzer, properties); one that differs is built again.
FULLTEXT_INDEXES = {FULLTEXT_INDEX: (FULLTEXT_ANALYZER, [SEARCH_PROPERTY])}
# The evidence ids that ties, memberships, attendances and positions keep in their
# ``evidence`` list, each one whole term (the keyword analyzer): `kb search` finds what an
# item supports by looking its id up here instead of reading every relationship's list.
EVIDENCE_LINKS_INDEX = "evidence_links"
EVIDENCE_RELATIONSHIPS = ("TIE", "MEMBER_OF", "ATTENDED", "TAKES_POSITION")
# The ids a bulk journal chunk (an import batch) lists, each one whole term: `kb changes
# --id` finds the chunks that touched a record without reading every chunk's list (a 1 M-tie
# import lists a million ids).
JOURNAL_IDS_INDEX = "journal_ids"


def stale_indexes(existing: list[dict[str, Any]]) -> list[str]:
    """DROP statements for kb's full-text indexes built with another analyzer or on other
    properties than today's (``existing``: rows of meta/fulltext_indexes); `statements`
    then builds them again."""
    return [
        f"DROP INDEX {row['name']} IF EXISTS"
        for row in existing
        if row["name"] in FULLTEXT_INDEXES
        and (row["analyzer"], list(row["properties"])) != FULLTEXT_INDEXES[row["name"]]
    ]


def statements() -> list[str]:
    """Idempotent DDL creating every constraint and index of the model."""
    ddl = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
        f"FOR (n:`{label}`) REQUIRE n.id IS UNIQUE"
        for label in ID_LABELS
    ]
    ddl += [
        f"CREATE CONSTRAINT {rel.lower()}_id IF NOT EXISTS "
        f"FOR ()-[r:`{rel}`]-() REQUIRE r.id IS UNIQUE"
        for rel in ID_RELATIONSHIPS
    ]
    ddl += [
        "CREATE INDEX tie_type IF NOT EXISTS FOR ()-[r:TIE]-() ON (r.type)",
    ]
    ddl += [
        f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:`{label}`) ON (n.`{prop}`)"
        for label, prop in INDEXED_PROPERTIES
    ]
    ddl += [
        f"CREATE CONSTRAINT kbmeta_key IF NOT EXISTS FOR (n:{META_LABEL}) REQUIRE n.key IS UNIQUE",
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS "
        f"FOR (n:Evidence|Document) ON EACH [n.{SEARCH_PROPERTY}] "
        f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{FULLTEXT_ANALYZER}'}}}}",
        f"CREATE FULLTEXT INDEX {EVIDENCE_LINKS_INDEX} IF NOT EXISTS "
        f"FOR ()-[r:{'|'.join(EVIDENCE_RELATIONSHIPS)}]-() ON EACH [r.evidence] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}",
        f"CREATE FULLTEXT INDEX {JOURNAL_IDS_INDEX} IF NOT EXISTS "
        "FOR (n:KbJournalBulk) ON EACH [n.ids] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}",
    ]
    return ddl
