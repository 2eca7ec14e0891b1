"""The commands of kb's Typer app and hostile values for their parameters (the fuzz suite).

Commands are enumerated from the app itself, so a new command or option is fuzzed without
touching this file. Values are what an adversary or a slip of the keyboard gives: empty and
blank text, control and escape characters, right-to-left overrides, digits of other
scripts, huge and negative numbers, 10k-character strings, JSON- and Cypher-looking text;
mixed with values of the example case so that commands get past their first check.
"""

from __future__ import annotations

import enum
import pathlib
from dataclasses import dataclass
from typing import Any

import typer.main
from hypothesis import strategies as st

from kb.cli import app

# Not fuzzed, and why:
# - `server ...` starts, stops, dumps and loads the local Neo4j process (the fault suite's
#   domain); fuzzing it would stop the very server the suite runs on.
# - `reset` empties the database when given --yes: a legitimate write that would leave the
#   rest of the run an empty case (its refusal without --yes is tested in tests/cli).
EXCLUDED = ("server", "reset")
# Commands that may write to the database; every other command must leave its fingerprint
# unchanged, and these must too when they fail.
WRITERS = ("add", "link", "end-tie", "import", "restore", "init")

HOSTILE_TEXT: tuple[str, ...] = (
    "",
    " ",
    "\t",
    "\n",
    " \n ",
    "\r\n",
    "\x00",
    "\x07",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\u202eevil\u202c",
    "\u200f\u200e",
    "\ufeff",
    "\u2028",
    "２０１６",
    "٢٠١٦",
    "۲۰۱۶-۰۳",
    "2016-1",
    "2016\n",
    "\n2016-03-14",
    "2016-02-30",
    "1899",
    "-1",
    "-12m",
    "0",
    "0m",
    "1e9",
    "999999999m",
    "10000000m",
    "99999999999999999999999999",
    "-9223372036854775809",
    "9223372036854775808",
    "NaN",
    "inf",
    "-inf",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "[1,2]",
    '{"a": [1, {"b": null}]}',
    '["x"',
    "' OR 1=1 //",
    '" }) MATCH (n) DETACH DELETE n //',
    "') DETACH DELETE n RETURN 1 AS x //",
    "$param",
    "`label`",
    "MATCH (n) DETACH DELETE n",
    "a:b",
    "*",
    "?",
    '"',
    "((",
    "AND OR NOT",
    "\\",
    "%s%n%x",
    "{0}",
    "é" * 5000,
    "a" * 10000,
    "word " * 1200,
    "😀🤝",
    "p-lsimard\x00",
    "P-LSIMARD",
    ",,,",
    ";",
    "=",
    "a=b",
)
# Values of the example case (examples/quebec-wg), so commands get past their first check.
CASE_TEXT: tuple[str, ...] = (
    "p-lsimard",
    "p-kdiallo",
    "o-cisss",
    "bill-10",
    "bill-20",
    "sector",
    "community",
    "public",
    "s1",
    "s2",
    "2016",
    "2016-06",
    "2016-06-01",
    "12m",
    "ADVICE",
    "INFORMATION,FUNDING",
    "interview",
    "e1",
    "groupe",
    "stage",
    "year",
    "labels",
    "cug-edges",
    "evidence/why",
    "network/stages",
    "a=p-lsimard",
)
HOSTILE_INTS: tuple[int, ...] = (
    0,
    -1,
    1,
    2,
    -(2**31),
    2**31,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    10**9,
    10**12,
    10**100,
)


@dataclass(frozen=True)
class Command:
    """One leaf command: its words (``["reforms", "survival"]``) and parameters."""

    words: tuple[str, ...]
    params: tuple[Any, ...]

    @property
    def name(self) -> str:
        return " ".join(self.words)

    @property
    def writes(self) -> bool:
        return self.words[0] in WRITERS


def commands() -> list[Command]:
    """Every leaf command of the app but `EXCLUDED`, in name order."""
    found: list[Command] = []

    def walk(command: Any, words: tuple[str, ...]) -> None:
        children = getattr(command, "commands", None)
        if children:
            for name, child in sorted(children.items()):
                walk(child, (*words, name))
        elif words[0] not in EXCLUDED:
            params = tuple(p for p in command.params if p.name != "help")
            found.append(Command(words, params))

    walk(typer.main.get_command(app), ())
    return found


def _annotation(param: Any) -> Any:
    return param.type_descriptor.annotation


def text_values() -> st.SearchStrategy[str]:
    """Hostile text, case values, and text Hypothesis makes up (any character)."""
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.sampled_from(CASE_TEXT),
        st.text(max_size=40),
        st.builds(lambda a, b: a + b, st.sampled_from(CASE_TEXT), st.sampled_from(HOSTILE_TEXT)),
    )


def int_values() -> st.SearchStrategy[str]:
    """Numbers as the command line gives them: huge, negative, ordinary, or not numbers."""
    return st.one_of(
        st.sampled_from(HOSTILE_INTS).map(str),
        st.integers(-1000, 100_000).map(str),
        st.sampled_from(HOSTILE_TEXT),
    )


def case_values() -> st.SearchStrategy[str]:
    """Values the example case has, and small ordinary numbers."""
    return st.one_of(st.sampled_from(CASE_TEXT), st.integers(0, 30).map(str))


def values_for(param: Any, *, hostile: bool = True) -> st.SearchStrategy[list[str]]:
    """The words one parameter adds to a command line: hostile values, or (``hostile``
    False) values of the case, so that the hostile one of a line is reached."""
    annotation = _annotation(param)
    if getattr(param, "is_flag", False):
        return st.just([param.opts[0]])
    single: st.SearchStrategy[str]
    is_enum = isinstance(annotation, type) and issubclass(annotation, enum.Enum)
    if is_enum:
        valid = st.sampled_from([m.value for m in annotation])
        single = st.one_of(valid, text_values()) if hostile else valid
    elif not hostile and annotation in (int, int | None):
        single = st.integers(0, 30).map(str)
    elif not hostile and annotation not in (pathlib.Path, pathlib.Path | None):
        single = case_values()
    elif annotation is int or annotation == (int | None):
        single = int_values()
    elif annotation is float:
        single = st.one_of(st.sampled_from(["0", "-1", "1e308", "nan", "0.5"]), text_values())
    elif annotation in (pathlib.Path, pathlib.Path | None):
        # Relative names only: the run's working folder is a temporary one.
        single = st.one_of(
            st.sampled_from(["missing.zip", "out.csv", "x", ".", "dir/", "a b.qdpx"]),
            text_values().map(lambda t: t.replace("/", "_").lstrip(".") or "_"),
        )
    else:
        single = text_values()
    count = param.nargs if param.nargs and param.nargs > 0 else 1
    words = st.lists(single, min_size=count, max_size=count if param.nargs != -1 else 3)
    if param.param_type_name == "argument":
        return words
    return words.map(lambda items: [param.opts[0], *items])


@st.composite
def command_lines(draw: st.DrawFn, command: Command) -> list[str]:
    """A command line for ``command``: required parameters always, others sometimes; one
    parameter (or, one time in four, every one) hostile, the others values of the case."""
    line: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        line += ["--database", draw(st.sampled_from(["neo4j", "", "nope", "system", "\x1b["]))]
    line += list(command.words)
    arguments: list[str] = []
    chosen = [p for p in command.params if p.required or draw(st.integers(0, 9)) < 3]
    everything = draw(st.integers(0, 3)) == 0
    focus = draw(st.sampled_from(chosen)) if chosen else None
    for param in chosen:
        words = draw(values_for(param, hostile=everything or param is focus))
        if param.param_type_name == "argument":
            arguments += words
        else:
            line += words
    # "--" keeps an argument that looks like an option ("-1") an argument.
    return line + (["--", *arguments] if arguments else [])
