"""Imports: files in the public import format become validated, typed rows, then the graph.

`sources` reads CSV folders, workbooks and JSON; `validate` checks and types the rows; both
are pure. `writer.Importer` is the only code that writes an import, over a `kb.store.Store`
(`KnowledgeBase.import_data` runs it). Typical use of the pure part::

    dataset = open_dataset("examples/case")
    result = validate(dataset)
    result.raise_for_issues()
    for row in records(dataset, "ties"):
        ...

The format itself is documented in docs/data-format.md.
"""

from kb.errors import Issue, Location
from kb.imports.sources import Dataset, RawRow, TableSource, open_dataset
from kb.imports.validate import Validation, records, validate
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
