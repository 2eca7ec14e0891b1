"""Neo4j Browser helpers: kb's GraSS stylesheet and the Browser URL of a server."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote, urlsplit

from kb.settings import DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT, ServerSettings, Settings

HTTPS_PORT = 7473  # Neo4j's default HTTPS connector, where a TLS server serves the Browser


def browser_style() -> str:
    """kb's Neo4j Browser stylesheet (GraSS), as text.

    One colour per node label (Person, Organization, Meeting, Document, Evidence,
    ReformEvent, Stage, Territory, Problem), captions from ``name`` / ``title`` /
    ``statement`` / ``id``, organizations drawn larger than persons, and tie types as the
    captions of TIE relationships. GraSS cannot colour by a property value (such as an
    actor's sector), only by label.
    """
    return (resources.files("kb") / "resources" / "kb.grass").read_text("utf-8")


@dataclass(frozen=True)
class BrowserLink:
    """Where Neo4j Browser is, and what its connect form needs.

    Attributes:
        url: the Browser URL with the connect form filled in (``?dbms=...&db=...``); it
            never holds the password.
        browser_url: the Browser itself.
        bolt_uri: the address the Browser connects to.
        user: the user name.
        database: the database.
        local_server: True when this is kb's local server, whose HTTP port kb knows;
            otherwise ``browser_url`` is derived from the Bolt URI's host.
    """

    url: str
    browser_url: str
    bolt_uri: str
    user: str
    database: str
    local_server: bool

    def as_dict(self) -> dict[str, Any]:
        """The link as plain data."""
        return asdict(self)


_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def browser_link(settings: Settings, *, server: ServerSettings | None = None) -> BrowserLink:
    """The Neo4j Browser URL for a server, without connecting to it.

    For kb's local server (the Bolt URI is a loopback address on the server's Bolt port)
    the Browser URL comes from `ServerSettings`. For any other server it is derived from
    the Bolt URI's host: port 7474 over http, or 7473 over https for a TLS scheme
    (``+s`` / ``+ssc``); an Aura host (``*.neo4j.io``) serves it over https on port 443.

    Args:
        settings: the connection settings (``Settings.from_env``).
        server: the local server's settings; by default ``ServerSettings.from_env()``.

    Returns:
        The link.
    """
    server = server or ServerSettings.from_env()
    parts = urlsplit(settings.uri)
    host = parts.hostname or "127.0.0.1"
    try:
        port = parts.port or DEFAULT_BOLT_PORT
    except ValueError:  # a malformed port: not the local server
        port = -1
    local = host in _LOCAL_HOSTS and port == server.bolt_port
    if local:
        browser = server.browser_url
    else:
        shown = f"[{host}]" if ":" in host else host
        secure = parts.scheme.endswith(("+s", "+ssc"))
        if secure and host.endswith(".neo4j.io"):
            browser = f"https://{shown}/browser/"
        elif secure:
            browser = f"https://{shown}:{HTTPS_PORT}/browser/"
        else:
            browser = f"http://{shown}:{DEFAULT_HTTP_PORT}/browser/"
    address = parts.netloc.rpartition("@")[2]
    connect = f"{parts.scheme or 'bolt'}://{settings.user}@{address}"
    url = f"{browser}?dbms={quote(connect, safe=':/@')}&db={quote(settings.database, safe='')}"
    return BrowserLink(url, browser, settings.uri, settings.user, settings.database, local)
