"""igraph, imported without its plotting modules.

``import igraph`` imports matplotlib.pyplot when matplotlib is installed (for igraph's own
drawing, which kb never uses): about half a second added to every command that computes
betweenness or distances. Hiding matplotlib while igraph loads makes igraph fall back to its
placeholder; matplotlib itself stays importable afterwards (kb draws with it directly).
"""

from __future__ import annotations

import sys
from types import ModuleType


def load() -> ModuleType:
    """The igraph module (imported once, without matplotlib)."""
    if "igraph" in sys.modules:
        return sys.modules["igraph"]
    hide = "matplotlib" not in sys.modules
    if hide:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]  # makes `import` fail
    try:
        import igraph  # noqa: F401
    finally:
        if hide:
            del sys.modules["matplotlib"]
    return sys.modules["igraph"]
