"""The ``kb`` command line: parse, call the library, render, map errors to exit codes.

Commands live in modules by theme; importing them registers them on ``app``.
"""

from kb.cli import (  # noqa: F401  (registers commands)
    admin,
    analyses,
    browser,
    data,
    evidence,
    export,
    query,
    reforms,
    report,
    view,
)
from kb.cli.base import app, reflow_help
from kb.errors import ExitCode

reflow_help(app)

__all__ = ["ExitCode", "app"]
