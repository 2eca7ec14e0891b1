"""Constraints and indexes of kb's model, and the schema version recorded in the database.

Schema statements are generated from the label and relationship-type allow-lists below
(identifiers cannot be Cypher parameters), so nothing from user input reaches them.
"""

from __future__ import annotations

SCHEMA_VERSION = 2  # 2: the Case label's constraint

# Node labels whose nodes carry a unique ``id``. Person and Organization share the Actor
# id space, so the Actor constraint covers both.
ID_LABELS = (
    "Actor", "Meeting", "Document", "ReformEvent", "Stage", "Territory", "Evidence", "Problem",
    "Case",
)  # fmt: skip
# Relationship types with a stable ``id`` (ties, memberships, attendance, positions, effects).
ID_RELATIONSHIPS = ("TIE", "MEMBER_OF", "ATTENDED", "TAKES_POSITION", "AFFECTED")
META_LABEL = "KbMeta"


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
        "CREATE INDEX actor_sector IF NOT EXISTS FOR (n:Actor) ON (n.sector)",
        "CREATE INDEX organization_kind IF NOT EXISTS FOR (n:Organization) ON (n.kind)",
        "CREATE INDEX actor_name IF NOT EXISTS FOR (n:Actor) ON (n.name)",
        f"CREATE CONSTRAINT kbmeta_key IF NOT EXISTS FOR (n:{META_LABEL}) REQUIRE n.key IS UNIQUE",
    ]
    return ddl
