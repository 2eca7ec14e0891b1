"""A separate, throwaway kb JVM server for tests that stop, kill or lock their server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.server import JvmServer
from kb.settings import ServerSettings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def own_server(home: Path, *, start: bool = True) -> Iterator[JvmServer]:
    """A JvmServer in ``home`` on free ports; always stopped at the end."""
    server = JvmServer(ServerSettings(home, free_port(), free_port()))
    try:
        if start:
            server.start(progress=lambda _: None)
        yield server
    finally:
        server.stop(timeout=20)


def env_for(server: JvmServer) -> dict[str, str]:
    """The environment that points `kb` at ``server``."""
    return {
        "NEO4J_URI": server.settings.bolt_uri,
        "NEO4J_USERNAME": "neo4j",
        "NEO4J_PASSWORD": server.settings.read_password() or "",
        "NEO4J_DATABASE": "neo4j",
        "KB_HOME": str(server.home),
        "KB_BOLT_PORT": str(server.settings.bolt_port),
        "KB_HTTP_PORT": str(server.settings.http_port),
    }
