"""Results computed from the database, kept on disk for as long as the database is unchanged.

A single-source question (``kb legitimacy --source``) should answer at once, yet a search
from one actor of a small-world network touches most of it. So kb computes the compact
form of the selected network once, keeps it here, and reuses it while nothing has been
written. "Nothing written" is Neo4j's own answer: every committed transaction advances
the bookmark that a read transaction returns, and an entry is used only when it was
computed at the database's current bookmark. A write from anywhere (kb, Neo4j Browser,
another program) therefore retires every entry; there is no expiry time to tune.

Entries are pickles in a user-only folder (``$KB_CACHE/results``); each is written to a
temporary file and renamed, so concurrent kb processes never read half an entry. Only the
``keep`` most recently written entries are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

_FORMAT = 2  # bump when what is stored changes shape (2: kb.measures.bfs.ArcTable)


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("kb")
    except metadata.PackageNotFoundError:
        return "unknown"


def cache_key(*parts: Any) -> str:
    """A file-name-safe key for ``parts`` (dates and other values via str) and kb's version."""
    text = json.dumps([_FORMAT, _version(), *parts], default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class ResultCache:
    """Pickled values keyed by name, each valid for one database state."""

    def __init__(self, directory: Path, *, keep: int = 32) -> None:
        self.directory = directory
        self.keep = keep

    def get(self, key: str, state: str) -> Any | None:
        """The value stored under ``key`` at ``state``; None if absent, stale or unreadable."""
        try:
            with (self.directory / f"{key}.pickle").open("rb") as file:
                stored_state, value = pickle.load(file)
        # An entry of another kb (a class moved or renamed) is a miss, like a missing one.
        except (
            OSError,
            EOFError,
            pickle.UnpicklingError,
            ValueError,
            TypeError,
            ImportError,
            AttributeError,
        ):
            return None
        return value if stored_state == state else None

    def put(self, key: str, state: str, value: Any) -> None:
        """Store ``value`` for ``state``; a cache that cannot be written is skipped silently."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as file:
                pickle.dump((state, value), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.directory / f"{key}.pickle")
            self._prune()
        except OSError:
            Path(temporary).unlink(missing_ok=True)

    def clear(self) -> int:
        """Remove every entry (a withdrawal: entries of the old state hold the participant's
        ids); the number removed."""
        removed = 0
        for entry in self.directory.glob("*.pickle"):
            entry.unlink(missing_ok=True)
            removed += 1
        return removed

    def _prune(self) -> None:
        entries = sorted(
            self.directory.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for stale in entries[self.keep :]:
            stale.unlink(missing_ok=True)
