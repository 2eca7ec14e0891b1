"""The documentation names only what exists, and says how each of its code blocks runs.

Every ``kb.``-qualified name in README.md and docs/*.md must import (the longest module
prefix with importlib, the rest with getattr), and every ``KnowledgeBase.NAME`` must be an
attribute of `kb.graph.KnowledgeBase`: a renamed module or method fails here, not in a
reader's notebook. tests/integration/test_doc_blocks.py runs the code blocks.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from kb.graph import KnowledgeBase
from tests.docblocks import (
    GENERATED,
    NOT_CODE,
    PYTHON,
    RUN_ELSEWHERE,
    SHELL,
    all_blocks,
    documents,
)
from tests.support import ROOT

# kb.NAME not preceded by a word, a path or an option character: `out/kb.grass` is a file.
KB_NAME = re.compile(r"(?<![\w/.-])kb(?:\.[A-Za-z_]\w*)+")
METHOD = re.compile(r"\bKnowledgeBase\.([A-Za-z_]\w*)")
# Names that look like Python but are files kb writes.
FILE_NAMES = {"kb.grass": "the Neo4j Browser stylesheet `kb browser style` writes"}
# A path in the repository (a glob may stand for several files).
REPO_PATH = re.compile(r"(?<![\w/.~-])((?:tests|kb|tools|bench|examples|docs)/[\w./*-]*[\w*])")
WRITTEN_BY_KB = {"examples/quebec-wg/qda/proposed-ties.csv": "kb import of the .qdpx writes it"}
MOST_NOT_RUN = 5


def resolve(name: str) -> Any:
    """The object ``name`` stands for: the longest importable module, then attributes."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(name)


def names(pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    """(where, match) of every occurrence in the documents, generated ones included."""
    found = []
    for path in documents():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in pattern.finditer(line):
                found.append((f"{path.relative_to(ROOT)}:{number}", match[0]))
    return found


def test_every_kb_name_in_the_docs_resolves() -> None:
    found = [(where, name) for where, name in names(KB_NAME) if name not in FILE_NAMES]
    assert len(found) > 40  # the pattern finds the names (kb.connect, kb.exports.gexf, ...)
    missing = []
    for where, name in found:
        try:
            resolve(name)
        except (ImportError, AttributeError) as error:
            missing.append(f"{where}: {name} ({error})")
    assert not missing, "\n".join(missing)


def test_every_knowledgebase_method_in_the_docs_exists() -> None:
    found = names(METHOD)
    assert len(found) > 15
    missing = [
        f"{where}: {text}"
        for where, text in found
        if not hasattr(KnowledgeBase, text.split(".")[1])
    ]
    assert not missing, "\n".join(missing)


def test_every_repository_path_in_the_docs_exists() -> None:
    found = [(w, p) for w, p in names(REPO_PATH) if p not in WRITTEN_BY_KB]
    assert len(found) > 30
    missing = [
        f"{where}: {path}"
        for where, path in found
        if not (any(ROOT.glob(path)) if "*" in path else (ROOT / path).exists())
    ]
    assert not missing, "\n".join(missing)


def test_the_resolver_catches_what_no_longer_exists() -> None:
    with pytest.raises(AttributeError):
        resolve("kb.analysis.brokerage")  # the package is kb.measures now
    with pytest.raises(AttributeError):
        resolve("kb.analyses.brokerage.no_such_function")
    assert resolve("kb.measures.brokerage.brokerage_pairs").__name__ == "brokerage_pairs"
    assert KB_NAME.findall("see out/kb.grass and kb.exports.gexf.write_gexf") == [
        "kb.exports.gexf.write_gexf"
    ]


def test_every_code_block_is_run_somewhere() -> None:
    unknown = [
        f"{b.name}: ```{b.language}"
        for b in all_blocks()
        if b.language not in PYTHON | SHELL | NOT_CODE | set(RUN_ELSEWHERE)
    ]
    assert not unknown, "say how these run (tests/docblocks.py):\n" + "\n".join(unknown)
    assert all(p.name in {d.name for d in documents()} for p in map(Path, GENERATED))


def test_blocks_not_run_are_few_and_say_why() -> None:
    skipped = [b for b in all_blocks() if b.not_run is not None]
    listing = "\n".join(f"{b.name}: {b.not_run}" for b in skipped)
    assert all(len(b.not_run or "") > 10 for b in skipped), listing
    assert len(skipped) <= MOST_NOT_RUN, listing
