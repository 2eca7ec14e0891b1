"""Importers: files in the public import format become validated, typed rows.

They parse and validate only; writing to Neo4j is the library's job. Typical use::

    dataset = open_dataset("examples/case")
    result = validate(dataset)
    result.raise_for_issues()
    for row in records(dataset, "ties"):
        ...

The format itself is documented in docs/data-format.md.
"""

from kb.errors import Issue, Location
from kb.importers.sources import Dataset, RawRow, TableSource, open_dataset
from kb.importers.validate import Validation, records, validate
from kb.model import TABLES

__all__ = [
    "TABLES",
    "Dataset",
    "Issue",
    "Location",
    "RawRow",
    "TableSource",
    "Validation",
    "open_dataset",
    "records",
    "validate",
]
