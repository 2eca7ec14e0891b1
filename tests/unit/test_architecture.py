"""The package boundaries of docs/architecture.md, checked on every import in kb/.

Both module-level and function-level imports count: a lazy import still couples packages.
A new top-level module or package must be added here and to docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

KB = Path(__file__).resolve().parents[2] / "kb"
LIBRARY = {
    "errors",
    "dates",
    "settings",
    "store",
    "periods",
    "text",
    "masking",
    "coders",
    "actors",
    "model",
    "queries",
    "schema",
    "measures",
    "analyses",
    "imports",
    "exports",
    "presentation",
    "result_cache",
    "graph",
    "_neo4j",
    "server",
    "neo4j_jars",
    "backup",
    "case_files",
    "pending",
    "journal",
    "fingerprint",
    "consent",
    "withdrawal",
    "journal_purge",
    "provenance",
    "rows",
    "results",
    "publish",
}
ALLOWED: dict[str, set[str]] = {
    "kb": {"errors", "settings", "graph"},
    "errors": set(),
    "dates": set(),
    "settings": set(),
    "store": set(),
    "text": set(),
    "masking": set(),
    "coders": {"errors", "text"},
    "actors": {"errors", "store", "text"},
    "schema": set(),
    "result_cache": set(),
    "rows": set(),
    "results": set(),
    "_neo4j": set(),
    "model": set(),
    "periods": {"dates", "errors"},
    "queries": {"dates", "errors"},
    "measures": set(),
    "analyses": {
        "coders",
        "errors",
        "dates",
        "periods",
        "model",
        "store",
        "measures",
        "text",
        "schema",
        "actors",
        "results",
    },
    "imports": {
        "coders",
        "errors",
        "dates",
        "periods",
        "model",
        "store",
        "text",
        "schema",
        "actors",
        "case_files",
        "pending",
    },
    "exports": {
        "kb",
        "analyses",
        "imports",
        "errors",
        "dates",
        "periods",
        "model",
        "settings",
        "store",
        "case_files",
        "masking",
        "text",
        "provenance",
    },
    "presentation": {
        "analyses",
        "errors",
        "dates",
        "periods",
        "case_files",
        "results",
        "provenance",
    },
    "graph": {
        "coders",
        "_neo4j",
        "analyses",
        "imports",
        "queries",
        "schema",
        "result_cache",
        "store",
        "errors",
        "dates",
        "periods",
        "model",
        "settings",
        "pending",
        "text",
        "rows",
        "results",
        "consent",
        "withdrawal",
        "journal",
        "fingerprint",
    },
    "server": {"errors", "settings", "neo4j_jars"},
    "backup": {"errors", "graph", "server", "settings", "pending", "journal"},
    "case_files": {"errors"},
    "pending": {"store"},
    # backup: its value codec (typed before-images), imported where used (backup imports journal)
    "journal": {"store", "errors", "queries", "backup", "results"},
    "publish": {
        "kb",
        "analyses",
        "exports",
        "presentation",
        "case_files",
        "errors",
        "store",
        "journal",
        "fingerprint",
    },
    "consent": {"model", "store", "masking"},
    "withdrawal": {
        "errors",
        "model",
        "store",
        "text",
        "schema",
        "consent",
        "masking",
        "actors",
        "journal_purge",
    },
    "journal_purge": {"journal"},
    # backup: its value codec, to write each value with its Neo4j type
    "fingerprint": {"errors", "schema", "backup"},
    "provenance": {"kb", "errors", "journal", "schema", "case_files", "fingerprint"},
    "neo4j_jars": {"errors"},
    "cli": LIBRARY | {"kb"},
}


def kb_imports(path: Path) -> set[str]:
    """The kb packages a module imports (``kb`` for the package itself)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "kb" else [f"kb.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "kb":
                second = parts[1] if len(parts) > 1 else "kb"
                found.add(second if second in LIBRARY | {"cli"} else "kb")
    return found


def package_of(path: Path) -> str:
    relative = path.relative_to(KB)
    if relative.parts == ("__init__.py",):
        return "kb"
    return relative.parts[0].removesuffix(".py")


def test_every_module_keeps_to_its_packages_imports() -> None:
    problems = []
    for path in sorted(KB.rglob("*.py")):
        package = package_of(path)
        assert package in ALLOWED, f"{package}: add it to docs/architecture.md and ALLOWED"
        extra = kb_imports(path) - ALLOWED[package] - {package}
        if extra:
            problems.append(f"{path.relative_to(KB.parent)} imports {sorted(extra)}")
    assert not problems, "\n".join(problems)


def test_the_map_is_the_one_in_the_docs() -> None:
    text = (KB.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for package in ALLOWED:
        if package not in ("kb", "_neo4j"):
            assert f"`kb.{package}`" in text, package
