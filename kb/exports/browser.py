"""Neo4j Browser helpers: kb's GraSS stylesheet, the Browser URL of a server, and canned
queries as text a Browser user pastes (`browser_paste`).

Why the paste is two runs, a ``:param`` with destructuring and then the query
(tests/handoff/browser/FINDINGS.md has the evidence, from Neo4j Browser 5.24 itself): text
with several statements runs as a script, which shows "Completed" and no rows; ``:params
{...}`` reads its map in the browser, so numbers become floats and dates strings (a query
with a period then returns no rows and no error). The right-hand side of ``:param [{a, b}]
=> { RETURN ... }`` is evaluated as Cypher on the server, so every value keeps its type.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
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


# -- canned queries for pasting ------------------------------------------------------------------

# The Browser's lambda grammar (@neo4j/browser-lambda-parser 1.0.6, grammar.ne `chars`)
# destructures only names of this form.
_NAME = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")


def cypher_literal(value: Any) -> str:
    """A Cypher expression for ``value`` (strings as double-quoted literals)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.datetime):
        raise TypeError("datetime parameters are not used by kb's queries")
    if isinstance(value, dt.date):
        return f"date('{value.isoformat()}')"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"`{k}`: {cypher_literal(v)}" for k, v in value.items()) + "}"
    # JSON string escapes (\" \\ \n \t \uXXXX) are Cypher string escapes too.
    return json.dumps(str(value), ensure_ascii=False)


def param_command(params: Mapping[str, Any]) -> str:
    """One ``:param`` command that sets every parameter with its exact Cypher type.

    ``{"from": "p-kdiallo", "max_hops": 6}`` ->
    ``:param [{from, max_hops}] => { RETURN "p-kdiallo" AS from, 6 AS max_hops }``
    """
    if not params:
        raise ValueError("a query without parameters needs no :param command")
    for name in params:
        if not _NAME.fullmatch(name):
            raise ValueError(f"Neo4j Browser cannot destructure the parameter name {name!r}")
    names = ", ".join(params)
    values = ", ".join(f"{cypher_literal(v)} AS {k}" for k, v in params.items())
    return f":param [{{{names}}}] => {{ RETURN {values} }}"


def browser_paste(params: Mapping[str, Any], query: str) -> str:
    """The whole text: two parts, each headed by a comment saying when to run it.

    The user pastes and runs part 1 (the Browser drops comment lines from client commands),
    then part 2 (a Cypher comment, then the query). Pasting both at once is refused with a
    syntax error rather than run without showing rows; no line ends with ``;`` so that the
    Browser never turns the text into a multi-statement script.
    """
    if not params:
        return query.strip() + "\n"
    return (
        "// 1. Run this first: it sets the query's parameters.\n"
        f"{param_command(params)}\n"
        "\n"
        "// 2. Then run the query.\n"
        f"{query.strip()}\n"
    )
