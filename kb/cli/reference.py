"""docs/commands.md, generated from the CLI itself so the reference cannot drift.

Regenerate with ``python -m kb.cli.reference > docs/commands.md``; a test fails when the
file and the CLI disagree.
"""

from __future__ import annotations

from typing import Any

import typer

from kb.cli import app
from kb.errors import ExitCode

HEADER = """# kb command reference

Generated from the CLI by `python -m kb.cli.reference > docs/commands.md`; do not edit by
hand (a test keeps it in sync). Global options go before the command:
`kb [--uri URI] [--user USER] [--database DB] [--debug] COMMAND ...`. Every command that
prints data takes `--format table|json|csv`; data goes to stdout, messages to stderr.
Where a command takes an actor, its id or its name will do (case and accents do not
matter). Every analysis and export of an empty database ends with exit 9 (not found),
saying how to import a case.
"""


def _walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)] if path else []
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += _walk(sub, [*path, name])
    return found


def _option_line(param: Any) -> str:
    names = ", ".join(f"`{o}`" for o in param.opts)
    if param.param_type_name == "argument":
        names = f"`{param.name.upper()}`"
    help_text = " ".join((getattr(param, "help", None) or "").split())
    required = " (required)" if param.required else ""
    default = param.default
    shown = f" [default: {default}]" if default not in (None, False, "", [], ()) else ""
    return f"- {names}{required}: {help_text}{shown}".rstrip()


def markdown() -> str:
    """The whole command reference as Markdown."""
    root = typer.main.get_command(app)
    parts = [HEADER, "## Exit codes\n"]
    parts += [f"- {code.value}: {code.name.lower().replace('_', ' ')}" for code in ExitCode]
    for path, command in _walk(root, []):
        parts.append(f"\n## kb {' '.join(path)}\n")
        parts.append((command.help or "").strip() + "\n")
        params = [p for p in command.params if p.name != "help"]
        if params and not getattr(command, "commands", None):
            parts.append("")
            parts += [_option_line(p) for p in params]
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
