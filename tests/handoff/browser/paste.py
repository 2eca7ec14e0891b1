"""The text kb should print for Neo4j Browser 5: a parameter command, then the query.

A reference for ``kb query show NAME --browser`` (see FINDINGS.md): the two parts are run one
after the other. The parameter command is one ``:param`` with destructuring, whose right-hand
side the Browser evaluates as Cypher on the server, so every value keeps its Cypher type
(``6`` an INTEGER, ``date('2016-01-01')`` a DATE, ``null``, lists, maps). ``:params {...}``
cannot do that: it reads the map with jsonic in the browser, so numbers become FLOATs and
dates can only be strings, which compare as null against date properties (no rows, no error).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

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


def browser_block(params: Mapping[str, Any], query: str) -> str:
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
