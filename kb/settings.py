"""Where kb finds Neo4j: flags, then the NEO4J_* environment, then the local kb server."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
DEFAULT_DATABASE = "neo4j"
DEFAULT_USER = "neo4j"


def kb_home() -> Path:
    """The folder holding the local server's data, logs, pid and password (``KB_HOME``)."""
    if env := os.environ.get("KB_HOME"):
        return Path(env).expanduser().resolve()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "kb"


def kb_cache() -> Path:
    """The folder holding downloaded Neo4j jars, shared by every ``KB_HOME`` (``KB_CACHE``)."""
    if env := os.environ.get("KB_CACHE"):
        return Path(env).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kb"


def _port(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(frozen=True)
class ServerSettings:
    """How the kb-managed local Neo4j is laid out and reached."""

    home: Path
    bolt_port: int = DEFAULT_BOLT_PORT
    http_port: int = DEFAULT_HTTP_PORT

    @classmethod
    def from_env(cls, home: Path | None = None) -> ServerSettings:
        """Read ``KB_HOME``, ``KB_BOLT_PORT`` and ``KB_HTTP_PORT``.

        A server that is running keeps the ports it was started with, so commands run
        later without the port variables still reach it.
        """
        home = home or kb_home()
        bolt = _port("KB_BOLT_PORT", DEFAULT_BOLT_PORT)
        http = _port("KB_HTTP_PORT", DEFAULT_HTTP_PORT)
        state = home / "server.json"
        if state.exists() and "KB_BOLT_PORT" not in os.environ:
            saved = json.loads(state.read_text())
            bolt, http = int(saved["bolt_port"]), int(saved["http_port"])
        return cls(home=home, bolt_port=bolt, http_port=http)

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"

    def read_password(self) -> str | None:
        try:
            return self.password_file.read_text().strip()
        except FileNotFoundError:
            return None


@dataclass(frozen=True)
class Settings:
    """Connection settings for one Neo4j database."""

    uri: str
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)
    database: str = DEFAULT_DATABASE

    @classmethod
    def from_env(
        cls,
        *,
        uri: str | None = None,
        user: str | None = None,
        database: str | None = None,
    ) -> Settings:
        """Resolve settings: explicit arguments, then ``NEO4J_*`` variables, then the local server.

        The password never comes from an argument (it would land in shell history): it is
        ``NEO4J_PASSWORD``, or the local server's user-only password file.
        """
        server = ServerSettings.from_env()
        env_uri = os.environ.get("NEO4J_URI")
        settings = cls(
            uri=uri or env_uri or server.bolt_uri,
            user=user or os.environ.get("NEO4J_USERNAME") or DEFAULT_USER,
            password=os.environ.get("NEO4J_PASSWORD"),
            database=database or os.environ.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
        )
        if settings.password is None:
            settings = replace(settings, password=server.read_password())
        return settings
