"""Library errors name parameters; the CLI names the same parameters by its flags.

`kb.errors.ParameterError` words a message with Python names (``min_evidence=-1: ...``);
`kb.cli.base.KbGroup` rewords it with the running command's options (``--min-evidence -1:
...``). No library message spells a flag itself: a test walks kb/ for one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

import kb
from kb.cli.base import KbGroup
from kb.errors import ExitCode, ParameterError, ServerError, ValidationError, Wording

KB = Path(kb.__file__).parent
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def test_a_parameter_error_speaks_in_parameter_names() -> None:
    error = ParameterError("min_evidence", -1, "give 0 (every tie) or more evidence items.")
    assert str(error) == "min_evidence=-1: give 0 (every tie) or more evidence items."
    assert isinstance(error, ValidationError) and error.exit_code == ExitCode.INVALID_INPUT
    assert error.parameters == ["min_evidence"]
    assert str(ParameterError("by", "month", "use one of stage, year.")) == (
        "by='month': use one of stage, year."
    )
    assert str(ParameterError("group_by", problem="no actor has it.")) == (
        "group_by: no actor has it."
    )


def test_a_sentence_names_several_parameters_and_quotes_values_safely() -> None:
    error = ParameterError.sentence("Give {at} or {between}, not both.")
    assert str(error) == "Give at or between, not both."
    assert error.parameters == ["at", "between"]
    # A value holding braces is quoted as given, never read as a template.
    quoted = ParameterError.sentence("{origin} {text}: too early.", text="20{16}")
    assert str(quoted) == "origin 20{16}: too early." and quoted.parameters == ["origin"]
    assert quoted.wording.worded(lambda p, *v: f"<{p}>") == "<origin> 20{16}: too early."
    with pytest.raises(ValueError, match="names no parameter"):
        ParameterError.sentence("{text}", text="x")


# A small app of the same shape as kb's: KbGroup at the root, a group of commands under it,
# Python names that differ from the flags.
app = typer.Typer(cls=KbGroup)
nested = typer.Typer()
app.add_typer(nested, name="nested")


@app.callback()
def main() -> None:
    """Root."""


@nested.command("search")
def search(
    words: Annotated[str, typer.Argument()],
    between_dates: Annotated[str | None, typer.Option("--between")] = None,
    max_hops: Annotated[int, typer.Option("--max-hops")] = 6,
) -> None:
    """Raises what the library would."""
    if between_dates:
        raise ParameterError.sentence("{between_dates} and {words} do not go together.")
    raise ParameterError("max_hops", max_hops, "give a number from 1 to 12.")


@nested.command("restore")
def restore(force: Annotated[bool, typer.Option("--force")] = False) -> None:
    """Any kb error may name parameters, with its own exit code."""
    raise ServerError(Wording("The database holds data; add {force} to replace it."), 2)


def test_the_cli_names_each_parameter_by_the_running_commands_flag() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["nested", "search", "x", "--max-hops", "0"])
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "Error: --max-hops 0: give a number from 1 to 12." in result.output
    result = runner.invoke(app, ["nested", "search", "x", "--between", "2016"])
    assert "Error: --between and WORDS do not go together." in result.output
    result = runner.invoke(app, ["nested", "restore"])
    assert result.exit_code == ExitCode.USAGE
    assert "Error: The database holds data; add --force to replace it." in result.output


def _message_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """The text of every string that can end up in an error: inside a raise, in a call
    that builds an error (``...Error(...)``, ``unknown(...)``), or given as ``option=``
    (an argument or a default)."""
    found: dict[int, tuple[int, str]] = {}

    def strings(node: ast.AST) -> None:
        inside_fstrings: set[int] = set()
        for inner in ast.walk(node):
            if isinstance(inner, ast.JoinedStr):  # an f-string: its text, {} for each value
                parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in inner.values]
                found[id(inner)] = (inner.lineno, "".join(str(p) for p in parts))
                inside_fstrings.update(id(v) for v in inner.values)
            elif isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                if id(inner) not in inside_fstrings:
                    found[id(inner)] = (inner.lineno, inner.value)

    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            positional = node.args.posonlyargs + node.args.args
            with_defaults = positional[len(positional) - len(node.args.defaults) :]
            pairs = list(zip(with_defaults, node.args.defaults, strict=True))
            pairs += [
                (a, d)
                for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True)
                if d is not None
            ]
            for arg, default in pairs:
                if arg.arg == "option":
                    strings(default)
        if isinstance(node, ast.Raise) and node.exc is not None:
            strings(node.exc)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name.endswith("Error") or name in ("unknown", "sentence"):
                strings(node)
            for keyword in node.keywords:
                if keyword.arg == "option":
                    strings(keyword.value)
    return sorted(found.values())


def test_no_library_error_spells_a_flag() -> None:
    """Outside kb/cli, errors name parameters (`ParameterError`); a suggested command
    line (``kb restore PATH --force``) is the one place a flag may appear."""
    offenders = []
    for path in sorted(KB.rglob("*.py")):
        if path.relative_to(KB).parts[0] == "cli":
            continue
        for line, text in _message_strings(ast.parse(path.read_text(encoding="utf-8"))):
            for match in FLAG.finditer(text):
                if re.search(r"\bkb [a-z]", text[: match.start()]):
                    continue  # a kb command line to run, with its flags
                offenders.append(f"{path.relative_to(KB.parent)}:{line}: {match.group()}")
    assert not offenders, "\n".join(offenders)
