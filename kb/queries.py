"""The canned Cypher queries in ``kb/cypher/``: one query per file, the path is its name.

Each file starts with a comment header that documents it::

    // One-line summary.
    //
    // More text (optional).
    //
    // params:
    //   $broker   string          the broker's actor id
    //   $types    list = null     tie types to include (null: all)
    //   $max_hops int = 6         longest path
    // returns: broker, role, count
    // rows: many
    // mode: read

A parameter without ``= default`` is required. A query's predicates shared with other
queries live once, as **fragments** in ``kb/cypher/_fragments/`` (same header; their body
is a predicate on the variable ``t``): ``@selected(r)`` in a body is replaced by the
fragment ``selected`` written for the variable ``r``, and the fragment's parameters join
the query's (its header does not repeat them). The tie selection (`kb.analyses.selection.
Selection`) is such a fragment, so that every query selecting ties selects them by one
text. The declared parameters (with the fragments') must be exactly the ``$names`` used in
the body; this is checked when the file is loaded, and a call's keys are
checked before anything is sent (missing optional ones take their default). ``mode`` says
whether the query writes: `kb.graph.KnowledgeBase.read` and ``kb query run`` refuse a write
query, and ``write`` a read query.

``rows`` says how many rows the query answers with: ``one`` (exactly one: an aggregate, a
count), ``optional`` (one or none: a lookup by id), ``many`` (any number) or ``none`` (a
statement that returns nothing). Each is run in its own form, which the runner checks
against the header before sending the query and enforces on the answer (`Query.expect`):
``read_one`` / ``write_one`` return the row, ``read_optional`` / ``write_optional`` the row
or None, ``read`` / ``write`` the list of a ``many`` query (``write`` also runs a ``none``
one). A ``one`` query that answers with no row or two is a defect of kb (`RowCountError`),
raised at once instead of an ``IndexError`` later or a second row ignored.

The queries of `INTERNAL_FOLDERS` serve one part of kb (the import's bookkeeping, the QDA
import) and expect the values that code computes: they are `Query.internal`, hidden from
``kb query list`` and refused by ``kb query run``.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kb.errors import QueryNotFoundError, QueryParameterError

_PARAM_LINE = re.compile(r"^\$(\w+)\s+(\w+)(?:\s*=\s*('[^']*'|\S+))?\s*(.*)$")
MODES = ("read", "write")
# How many rows a query answers with (its header's ``rows:``): exactly one, at most one, any
# number, none at all.
ROWS = ("one", "optional", "many", "none")
INTERNAL_FOLDERS = ("import", "qda")
# Neo4j's integers are 64-bit: a larger one fails inside the driver or a procedure.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
_PARAM_USE = re.compile(r"\$(\w+)")
_STRING_OR_COMMENT = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*")
FRAGMENTS = "_fragments"
_FRAGMENT_USE = re.compile(r"@(\w+)\(\s*(\w+)\s*\)")
# A fragment's variable: `t` standing alone (not a property, parameter or part of a name).
_FRAGMENT_VARIABLE = re.compile(r"(?<![\w.$])t\b")


class RowCountError(RuntimeError):
    """A query was run in a form its header does not declare, or answered with a number of
    rows its header does not allow: a defect of kb (the CLI's exit code 70), never the
    user's input, so it is not a `kb.errors.KBError`."""


@dataclass(frozen=True)
class Param:
    """A declared query parameter; ``default`` is the header's text (None: required)."""

    name: str
    type: str
    description: str
    default: str | None = None

    @property
    def required(self) -> bool:
        """Whether a call must give this parameter."""
        return self.default is None

    def default_value(self) -> Any:
        """The default as a value of the declared type (``null`` is None)."""
        if self.default is None:
            raise QueryParameterError(f"${self.name} is required and has no default.")
        return convert(self, self.default.strip("'"))


@dataclass(frozen=True)
class Query:
    """One canned query and its header documentation."""

    name: str
    text: str
    summary: str
    description: str
    params: dict[str, Param] = field(default_factory=dict)
    returns: str = ""
    mode: str = "read"
    rows: str = "many"

    @property
    def internal(self) -> bool:
        """Whether the query is part of one of kb's own commands (`INTERNAL_FOLDERS`)."""
        return self.name.split("/", 1)[0] in INTERNAL_FOLDERS

    @property
    def writes(self) -> bool:
        """Whether the query changes the database (its header says ``mode: write``)."""
        return self.mode == "write"

    @property
    def body(self) -> str:
        """The Cypher without its header comment."""
        return "\n".join(
            line for line in self.text.splitlines() if not line.lstrip().startswith("//")
        ).strip()

    def expect(self, rows: str) -> None:
        """Refuse to run this query in the form of ``rows`` if its header declares another.

        Raises:
            RowCountError: the header declares a different ``rows:`` (``none`` queries run
                in the ``many`` form: their list is empty).
        """
        if rows != self.rows and not (rows == "many" and self.rows == "none"):
            forms = {"one": "_one", "optional": "_optional", "many": "", "none": ""}
            verb = "write" if self.writes else "read"
            raise RowCountError(
                f"Query {self.name} declares rows: {self.rows}; run it with "
                f"{verb}{forms[self.rows]}(), not as rows: {rows}."
            )

    def check_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``rows``, checked against the header's ``rows:`` declaration.

        Raises:
            RowCountError: a ``one`` query gave no row or several, an ``optional`` one
                several, a ``none`` one any.
        """
        allowed = {"one": (1, 1), "optional": (0, 1), "none": (0, 0)}.get(self.rows)
        if allowed is not None and not allowed[0] <= len(rows) <= allowed[1]:
            raise RowCountError(
                f"Query {self.name} declares rows: {self.rows} but answered with "
                f"{len(rows)} rows: a defect of kb."
            )
        return rows

    def bind(self, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` with the defaults of the optional parameters not given.

        Raises:
            QueryParameterError: a required parameter is missing or a name is undeclared.
        """
        self.check({**{n: None for n, p in self.params.items() if not p.required}, **params})
        # In declared order (what `kb query show --browser` prints), defaults filled in.
        return {n: params[n] if n in params else p.default_value() for n, p in self.params.items()}

    def check(self, params: dict[str, Any]) -> None:
        """Raise QueryParameterError if ``params`` does not match the declaration."""
        missing = sorted(set(self.params) - set(params))
        unknown = sorted(set(params) - set(self.params))
        if missing or unknown:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(f"${p}" for p in missing))
            if unknown:
                parts.append("unknown " + ", ".join(f"${p}" for p in unknown))
            raise QueryParameterError(f"Query {self.name}: {'; '.join(parts)}.")


def _root() -> Path:
    # The package's own folder (not importlib.resources, whose import costs every command
    # more than reading the few queries it runs).
    return Path(__file__).with_name("cypher")


def _walk(folder: Path, prefix: str = "") -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("_"):
            continue  # fragments (`FRAGMENTS`) are parts of queries, not queries
        if entry.is_dir():
            found += _walk(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".cypher"):
            found.append((prefix + entry.name.removesuffix(".cypher"), entry))
    return found


@cache
def fragment(name: str) -> Query:
    """The fragment ``kb/cypher/_fragments/NAME.cypher`` (its own fragments spliced in)."""
    entry = _root() / FRAGMENTS / f"{name}.cypher"
    if not entry.is_file():
        known = sorted(e.name.removesuffix(".cypher") for e in (_root() / FRAGMENTS).iterdir())
        raise QueryParameterError(f"No fragment @{name}; the fragments are: {', '.join(known)}.")
    return parse(f"{FRAGMENTS}/{name}", entry.read_text("utf-8"))


def splice(name: str, text: str) -> tuple[str, dict[str, Param], dict[str, str]]:
    """``text`` with each ``@fragment(x)`` replaced by that fragment's predicate on ``x``
    (in parentheses), the parameters the fragments add (in order of first use), and the
    fragment each came with."""
    added: dict[str, Param] = {}
    came_with: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        if match.group(1) == name.rsplit("/", 1)[-1] and name.startswith(FRAGMENTS):
            raise QueryParameterError(f"Fragment {name} uses itself.")
        part = fragment(match.group(1))
        for param in part.params.values():
            added.setdefault(param.name, param)
            came_with.setdefault(param.name, match.group(1))
        predicate = _FRAGMENT_VARIABLE.sub(match.group(2), part.body)
        # Its lines after the first stand under the line that uses it, so that the query
        # reads as one text where it is shown (`kb query show --browser`).
        line_start = match.string.rfind("\n", 0, match.start()) + 1
        used_at = match.string[line_start : match.start()]
        indent = " " * (len(used_at) - len(used_at.lstrip()) + 2)
        return "(" + predicate.replace("\n", "\n" + indent) + ")"

    lines = text.splitlines()
    body_start = next(
        (i for i, line in enumerate(lines) if not line.strip().startswith("//")), len(lines)
    )
    body = _FRAGMENT_USE.sub(replace, "\n".join(lines[body_start:]))
    return "\n".join([*lines[:body_start], body]), added, came_with


def parse(name: str, text: str) -> Query:
    """Parse a query file; raise QueryParameterError if its header and body disagree."""
    raw = text
    text, spliced, spliced_from = splice(name, text)
    header: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        header.append(stripped[2:].removeprefix(" ").rstrip())
    if not header or not header[0]:
        raise QueryParameterError(f"Query {name} has no header comment.")
    params: dict[str, Param] = {}
    returns = ""
    mode = ""
    rows = ""
    prose: list[str] = []
    in_params = in_returns = False
    for line in header[1:]:
        content = line.strip()
        if content.lower() == "params:":
            in_params, in_returns = True, False
        elif content.lower().startswith("returns:"):
            in_params, in_returns = False, True
            returns = content.split(":", 1)[1].strip()
        elif content.lower().startswith("mode:"):
            in_params = in_returns = False
            mode = content.split(":", 1)[1].strip()
        elif content.lower().startswith("rows:"):
            in_params = in_returns = False
            rows = content.split(":", 1)[1].strip()
        elif in_params and (match := _PARAM_LINE.match(content)):
            param, type_, default, description = match.groups()
            params[param] = Param(param, type_, description, default)
        elif in_params and content and params:
            # A continuation line of the previous parameter's description.
            last = params[next(reversed(params))]
            params[last.name] = Param(
                last.name, last.type, f"{last.description} {content}", last.default
            )
        elif in_returns and content:
            returns = f"{returns} {content}"
        elif in_params and content:
            raise QueryParameterError(f"Query {name}: cannot read parameter line {line!r}.")
        elif not in_params and not in_returns:
            prose.append(line)
    for param in spliced.values():
        if param.name in params:
            raise QueryParameterError(
                f"Query {name}: ${param.name} comes with a fragment; do not declare it again."
            )
        params[param.name] = param
    if name.startswith(f"{FRAGMENTS}/"):
        # A fragment's parameters in the order its predicate reads them (those of a fragment
        # it splices where it splices it, in their own order): the order queries list them.
        body = _STRING_OR_COMMENT.sub("", "\n".join(raw.splitlines()[len(header) :]))
        order = {p: body.find(f"${p}") for p in params}
        order |= {p.name: body.find(f"@{spliced_from[p.name]}(") for p in spliced.values()}
        params = dict(sorted(params.items(), key=lambda item: order[item[0]]))
    if mode not in MODES:
        raise QueryParameterError(
            f"Query {name}: its header must end with `mode: read` or `mode: write`."
        )
    # A fragment is a predicate spliced into queries, never run: the queries declare rows.
    if rows not in ROWS and not name.startswith(f"{FRAGMENTS}/"):
        raise QueryParameterError(
            f"Query {name}: its header must declare `rows:` {' | '.join(ROWS)} "
            f"(how many rows it answers with), not {rows or 'nothing'}."
        )
    # The summary is the header's first paragraph (it may wrap over several lines).
    summary_lines = list(itertools.takewhile(bool, (line.strip() for line in header)))
    query = Query(
        name=name,
        text=text,
        summary=" ".join(summary_lines),
        description="\n".join(prose[len(summary_lines) - 1 :]).strip(),
        params=params,
        returns=returns,
        mode=mode,
        rows=rows or "many",
    )
    used = set(_PARAM_USE.findall(_STRING_OR_COMMENT.sub("", query.body)))
    if used != set(params):
        raise QueryParameterError(
            f"Query {name}: header declares {sorted(params)} but the body uses {sorted(used)}."
        )
    return query


# The queries read so far, by name: a command reads the few it runs (`get`), `load_all`
# every one.
_LOADED: dict[str, Query] = {}
_ALL_LOADED: list[bool] = [False]
_NAME_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def load_all() -> dict[str, Query]:
    """Every canned query, by name (in the order of their files)."""
    if not _ALL_LOADED[0]:
        every = {
            name: _LOADED.get(name) or parse(name, entry.read_text("utf-8"))
            for name, entry in _walk(_root())
        }
        _LOADED.clear()
        _LOADED.update(every)
        _ALL_LOADED[0] = True
    return _LOADED


def public() -> dict[str, Query]:
    """The queries ``kb query list`` shows and ``kb query run`` runs (not `Query.internal`)."""
    return {name: query for name, query in load_all().items() if not query.internal}


def get(name: str) -> Query:
    """The canned query called ``name`` (e.g. ``"brokerage/open_two_paths"``), read from
    its file the first time it is asked for (a name `load_all` would list: no part
    starting with ``_``, as fragments do)."""
    query = _LOADED.get(name)
    if query is not None:
        return query
    parts = name.split("/")
    entry = _root().joinpath(*parts[:-1], f"{parts[-1]}.cypher")
    if not all(_NAME_PART.fullmatch(part) for part in parts) or not entry.is_file():
        raise QueryNotFoundError(f"No query named {name!r}. See the list with: kb query list")
    query = _LOADED[name] = parse(name, entry.read_text("utf-8"))
    return query


def convert(param: Param, raw: str) -> Any:
    """A command-line value as the parameter's declared type (``null`` is None).

    Types: string, int (64-bit), float, bool, date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``;
    a partial date means its first day), list (comma-separated strings, or a JSON array of
    strings), map (JSON object). ``null`` is accepted only where the header's default is
    null (the parameter's filter is then off); a required parameter needs a value.

    Raises:
        QueryParameterError: the value does not fit the type.
    """
    from kb.dates import PartialDate

    text = raw.strip()
    if text.lower() == "null":
        if param.default is not None and param.default.lower() == "null":
            return None
        needs = "is required" if param.required else f"defaults to {param.default}"
        raise QueryParameterError(
            f"${param.name} ({param.type}) {needs} and cannot be null; give a {param.type}."
        )
    try:
        if param.type == "int":
            number = int(text)
            if not INT_MIN <= number <= INT_MAX:
                raise ValueError(f"Neo4j's integers lie between {INT_MIN} and {INT_MAX}")
            return number
        if param.type == "float":
            return float(text)
        if param.type == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError("expected true or false")
            return text.lower() == "true"
        if param.type == "date":
            return PartialDate.parse(raw).first  # kb's one date rule: no space around it
        if param.type == "list":
            if text.startswith("["):
                items = json.loads(text)
                if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                    raise ValueError('expected a JSON array of strings, e.g. ["a", "b"]')
                return items
            return [item.strip() for item in text.split(",") if item.strip()]
        if param.type == "map":
            value = json.loads(text)
            if not isinstance(value, dict):
                raise ValueError("expected a JSON object")
            return value
    except ValueError as error:
        raise QueryParameterError(f"${param.name} ({param.type}): {raw!r}: {error}.") from None
    return raw


def parse_assignments(query: Query, assignments: list[str]) -> dict[str, Any]:
    """``["types=ADVICE,FUNDING", "at_first=2016-01-01"]`` -> typed parameters.

    Parameters not given take their declared default (null for optional filters).

    Raises:
        QueryParameterError: an assignment is malformed, names an undeclared parameter or
            does not fit its type, or a required parameter is missing.
    """
    values: dict[str, Any] = {}
    for assignment in assignments:
        name, sep, raw = assignment.partition("=")
        name = name.strip().lstrip("$")
        if not sep or name not in query.params:
            known = ", ".join(query.params) or "none"
            raise QueryParameterError(
                f"-p {assignment!r}: expected NAME=VALUE with NAME one of: {known}."
            )
        values[name] = convert(query.params[name], raw)
    missing = [n for n, p in query.params.items() if p.required and n not in values]
    if missing:
        raise QueryParameterError(
            f"{query.name} needs " + ", ".join(f"-p {n}=VALUE" for n in missing) + "."
        )
    return query.bind(values)
