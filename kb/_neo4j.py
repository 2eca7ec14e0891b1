"""The neo4j driver, imported without its numpy and pandas support.

``import neo4j`` imports numpy and pandas when they are installed, for the driver's
``Result.to_df`` and numpy parameter support, which kb does not use (every value kb sends
is a plain Python value). numpy is installed for kb's measures, and it is a tenth of a second
of every command's start. Hiding numpy and pandas while the driver loads makes the driver
take its no-numpy path; both stay importable afterwards, for kb's measures.
"""

from __future__ import annotations

import sys
from types import ModuleType

_OPTIONAL = ("numpy", "pandas", "pyarrow")


def load() -> ModuleType:
    """The neo4j module (imported once, without numpy, pandas or pyarrow)."""
    if "neo4j" in sys.modules:
        return sys.modules["neo4j"]
    hidden = [name for name in _OPTIONAL if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import` fail
    try:
        import neo4j  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]
    return sys.modules["neo4j"]
