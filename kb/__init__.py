"""kb: a temporal knowledge base of community and public actor networks, on Neo4j.

Example::

    import kb
    with kb.connect() as base:
        print(base.status())
"""

from kb.errors import KBError
from kb.graph import KnowledgeBase, connect
from kb.settings import ServerSettings, Settings

__all__ = ["KBError", "KnowledgeBase", "ServerSettings", "Settings", "connect"]
__version__ = "0.1.0"
