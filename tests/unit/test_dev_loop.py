"""The development loop the README promises: make targets and the pre-commit hooks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_pre_commit_config_is_valid_and_runs_the_fast_checks() -> None:
    config = ROOT / ".pre-commit-config.yaml"
    pre_commit = Path(sys.executable).with_name("pre-commit")
    subprocess.run([str(pre_commit), "validate-config", str(config)], check=True)
    text = config.read_text()
    for check in ("ruff check", "ruff format --check", "mypy", "make unit"):
        assert check in text, check


def test_make_has_lint_unit_and_test_and_unit_needs_no_server() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z]+):", makefile, flags=re.MULTILINE))
    assert {"lint", "unit", "test", "demo"} <= targets
    unit = makefile.split("\nunit:", 1)[1].split("\n\n", 1)[0]
    assert "server start" not in unit and "not neo4j" in unit
