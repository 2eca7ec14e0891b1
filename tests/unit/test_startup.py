"""The import budget: a command pays only for the libraries it uses.

``kb --help`` and every command's help must not load the driver or any heavy library;
``kb.graph`` (what every command that connects loads) must not load the numeric and drawing
libraries, which only the analyses that need them import. Each check runs in a fresh
interpreter, so what earlier tests imported cannot hide a regression.
"""

from __future__ import annotations

import json
import subprocess
import sys
from types import ModuleType

import pytest

import kb.cli
from kb.cli.base import command_names

HEAVY = (
    "numpy",
    "igraph",
    "matplotlib",
    "networkx",
    "openpyxl",
    "scipy",
    "lifelines",
    "lxml",
    "PIL",
    "pandas",
)


def loaded_after(code: str, watched: tuple[str, ...] = (*HEAVY, "neo4j")) -> list[str]:
    script = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps(sorted(m for m in {watched!r} if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library_and_not_the_driver() -> None:
    assert loaded_after("import kb.cli") == []


@pytest.mark.parametrize(
    "command", [[], ["brokerage"], ["report"], ["export", "gexf"], ["import"], ["server", "start"]]
)
def test_help_loads_no_heavy_library_and_not_the_driver(command: list[str]) -> None:
    code = (
        "from kb.cli import app\n"
        f"try:\n    app({[*command, '--help']!r})\nexcept SystemExit:\n    pass"
    )
    assert loaded_after(code) == []


def test_the_library_loads_numeric_libraries_only_when_an_analysis_needs_them() -> None:
    assert loaded_after("import kb.graph, kb.analyses.case") == []
    assert loaded_after("import kb; kb.KnowledgeBase") == []
    # the driver comes without numpy and pandas: kb uses neither through it
    assert loaded_after("from kb import _neo4j; _neo4j.load()") == ["neo4j"]


# What typer.rich_utils would import for Markdown and Traceback, which kb's help never shows
# (kb.cli.base.load_help_renderer).
HELP_NEVER_NEEDS = ("markdown_it", "pygments", "attr")


def loaded_by_kb(args: list[str], watched: tuple[str, ...]) -> list[str]:
    """The modules of ``watched`` that the kb program loaded running ``kb ARGS``."""
    script = (
        "import json, sys\n"
        f"sys.argv = ['kb', *{args!r}]\n"
        "from kb.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps(sorted(m for m in {watched!r} if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], [], ["brokerage", "--help"], ["nosuch"]])
def test_the_kb_programs_help_loads_neither_markdown_nor_tracebacks(args: list[str]) -> None:
    assert loaded_by_kb(args, (*HEAVY, "neo4j", *HELP_NEVER_NEEDS)) == []


def test_the_kb_programs_own_help_checks_no_option_value() -> None:
    # Typer checks option values with pydantic; `kb --help` stops before any is checked.
    assert loaded_by_kb(["--help"], ("pydantic",)) == []


@pytest.mark.parametrize(
    "args",
    [
        ["brokerage", "--help"],
        # options of each kind a command is usually given: text, int, float, choice, list
        ["why", "a", "b", "--format", "json", "--at", "2015"],
        ["brokerage", "--group-by", "sector", "--permutations", "20", "--seed", "3"],
        ["search", "x", "--limit", "5", "--format", "csv"],
        ["legitimacy", "--from", "a", "--to", "b", "--min-evidence", "2"],
    ],
)
def test_usual_option_values_are_checked_without_pydantic(args: list[str]) -> None:
    # kb.cli.coercion: a command that connects fails here (nothing listens on port 1),
    # after every option was checked.
    command = ["--uri", "bolt://127.0.0.1:1", *args]
    assert loaded_by_kb(command, ("pydantic", "typer._adapters")) == []


def test_a_value_the_plain_check_cannot_read_goes_to_typers_check() -> None:
    # 1e3 is no plain int: Typer's check (pydantic) words the error.
    args = ["--uri", "bolt://127.0.0.1:1", "brokerage", "--permutations", "1e3"]
    assert loaded_by_kb(args, ("pydantic",)) == ["pydantic"]


def test_the_kb_program_loads_only_the_module_of_its_command() -> None:
    modules = tuple(f"kb.cli.{name}" for name in kb.cli.MODULES)
    assert loaded_by_kb(["why", "--help"], modules) == ["kb.cli.data"]
    assert loaded_by_kb(["server", "status", "--help"], modules) == ["kb.cli.admin"]
    # no command, or one kb does not know: every command, for the listing
    assert loaded_by_kb(["--help"], modules) == sorted(modules)


def test_every_command_is_found_in_the_module_the_kb_program_loads_for_it() -> None:
    app = kb.cli.app  # every module loaded
    found = {
        name: info.callback.__module__
        for name, info in zip(command_names(app), app.registered_commands, strict=False)
        if info.callback is not None
    }
    for group in app.registered_groups:
        assert group.typer_instance is not None and group.name is not None
        commands = group.typer_instance.registered_commands
        modules = {c.callback.__module__ for c in commands if c.callback is not None}
        # A group's commands live in one module, or in modules that module imports
        # (`kb evidence agreement` in kb.cli.agreement, which kb.cli.evidence imports).
        homes = [m for m in modules if modules - {m} <= _imported_by(m)]
        assert len(homes) == 1, f"kb {group.name}: its commands are in {sorted(modules)}"
        found[group.name] = homes[0]
    assert {n: f"kb.cli.{m}" for n, m in kb.cli.COMMAND_MODULES.items()} == found, (
        "a command was added, renamed or moved: update kb.cli.COMMAND_MODULES"
    )


def _imported_by(module: str) -> set[str]:
    """The modules that ``module`` holds (imports at its top level)."""
    return {
        value.__name__
        for value in vars(sys.modules[module]).values()
        if isinstance(value, ModuleType)
    }


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["why", "a", "b"], "why"),
        (["--uri", "bolt://h:1", "--user", "u", "status"], "status"),
        (["--database", "why", "timeline"], "timeline"),
        (["--debug", "--wide", "query", "run", "x"], "query"),
        (["brokerage", "--wide"], "brokerage"),
        (["--help"], None),
        ([], None),
        (["--uri"], None),
        (["--", "why"], None),
    ],
)
def test_the_command_is_the_first_word_that_is_no_option_nor_an_options_value(
    args: list[str], command: str | None
) -> None:
    assert kb.cli.command_in(args) == command


def test_the_knowledge_base_imports_an_analysis_when_its_method_is_first_used() -> None:
    analyses = ("kb.analyses.brokerage", "kb.analyses.provenance", "kb.analyses.case")
    code = "import sys, kb.graph\nfrom kb.graph import KnowledgeBase"
    assert loaded_after(code, analyses) == []
    used = code + "\nassert KnowledgeBase.why.__name__ == 'why'"
    assert loaded_after(used, analyses) == ["kb.analyses.provenance"]
