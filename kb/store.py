"""The small protocols the analyses and the importer work over.

`kb.graph.KnowledgeBase` implements both; tests and notebooks can hand the analyses
anything that runs kb's canned queries. Keeping these apart from `KnowledgeBase` is what
lets `kb.analyses` and `kb.imports` be used without importing the driver, and keeps
`kb.graph` free to import them (no cycle).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Reader(Protocol):
    """Runs kb's canned read queries (`kb/cypher/`) by name."""

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the read query ``name`` and return its rows as dicts."""
        ...


class CachingReader(Reader, Protocol):
    """A reader that can also keep a computed value until the database changes."""

    def cached(self, parts: list[Any], compute: Callable[[], T]) -> T:
        """``compute()``, or the value it gave while the database is unchanged."""
        ...


class Store(Reader, Protocol):
    """A reader that also runs kb's canned write queries and knows its schema."""

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the write query ``name`` in one transaction and return its rows."""
        ...

    def ensure_schema(self) -> None:
        """Create the model's constraints and indexes unless they are in place."""
        ...
