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
    """Runs kb's canned read queries (`kb/cypher/`) by name, each in the form its header's
    ``rows:`` declares (one, optional, many: kb.queries); rows are dicts of plain Python
    values (kb.rows)."""

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the read query ``name`` (``rows: many``) and return its rows as dicts."""
        ...

    def read_one(self, name: str, **params: Any) -> dict[str, Any]:
        """Run the read query ``name`` (``rows: one``) and return its row."""
        ...

    def read_optional(self, name: str, **params: Any) -> dict[str, Any] | None:
        """Run the read query ``name`` (``rows: optional``): its row, or None."""
        ...


class CachingReader(Reader, Protocol):
    """A reader that can also keep a computed value until the database changes."""

    def cached(self, parts: list[Any], compute: Callable[[], T]) -> T:
        """``compute()``, or the value it gave while the database is unchanged."""
        ...


class Store(Reader, Protocol):
    """A reader that also runs kb's canned write queries and knows its schema."""

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the write query ``name`` (``rows: many`` or ``none``) in one transaction and
        return its rows."""
        ...

    def write_one(self, name: str, **params: Any) -> dict[str, Any]:
        """Run the write query ``name`` (``rows: one``) and return its row."""
        ...

    def write_optional(self, name: str, **params: Any) -> dict[str, Any] | None:
        """Run the write query ``name`` (``rows: optional``): its row, or None."""
        ...

    def ensure_schema(self) -> None:
        """Create the model's constraints and indexes unless they are in place."""
        ...
