"""Fixtures of the unit tests that read the example case without a server."""

from __future__ import annotations

from typing import Any

import pytest

from kb.imports import open_dataset, records
from tests.memory_reader import MemoryReader
from tests.support import EXAMPLE


@pytest.fixture(scope="module")
def db() -> MemoryReader:
    """The example case behind the `Reader` protocol, in memory."""
    return MemoryReader(EXAMPLE)


@pytest.fixture(scope="module")
def raw() -> dict[str, list[dict[str, Any]]]:
    """The example's validated records, read independently of the reader."""
    dataset = open_dataset(EXAMPLE)
    return {table: list(records(dataset, table)) for table in dataset.tables()}
