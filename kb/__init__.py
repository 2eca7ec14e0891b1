"""kb: a temporal knowledge base of community and public actor networks, on Neo4j.

Example::

    import kb
    kb.import_data("examples/quebec-wg")  # any format `kb import` takes, .qdpx too
    with kb.connect() as base:
        print(base.status())

In a notebook, ``base = kb.open()`` keeps it open until ``base.close()`` (docs/python.md).

`KnowledgeBase`, `Selection`, `connect`, `open` and `import_data` load on first use, so
that ``kb --help`` and commands that never connect do not pay for the analyses and the
driver.
"""

from typing import TYPE_CHECKING, Any

from kb.errors import KBError
from kb.settings import ServerSettings, Settings

if TYPE_CHECKING:
    from kb.graph import KnowledgeBase, Selection, connect, import_data
    from kb.graph import open_base as open

__all__ = [
    "KBError",
    "KnowledgeBase",
    "Selection",
    "ServerSettings",
    "Settings",
    "connect",
    "import_data",
    "open",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in ("KnowledgeBase", "Selection", "connect", "import_data", "open"):
        from kb import graph

        return getattr(graph, "open_base" if name == "open" else name)
    raise AttributeError(f"module 'kb' has no attribute {name!r}")
