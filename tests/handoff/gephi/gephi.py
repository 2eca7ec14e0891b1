"""Open a file with the real Gephi (toolkit 0.10.1) and get back what Gephi sees.

`open_in_gephi(path)` runs the Java harness in this folder (pom.xml and
src/main/java/kb/gephi/OpenInGephi.java): it imports the file as Gephi Desktop does
(ImportController.importFile, container.verify(), DefaultProcessor into a new workspace) and
returns one dict:

- ``issues``: ``[{stage, level, message}]``, stage ``import`` (the import dialog's list) or
  ``process``; level ``INFO``, ``WARNING``, ``SEVERE`` or ``CRITICAL``;
- ``container``: what the import dialog shows before processing (``edge_default`` is the
  graph type it preselects: ``DIRECTED``, ``UNDIRECTED`` or ``MIXED``);
- ``graph_type`` (``directed``/``undirected``/``mixed``), ``node_count``, ``edge_count``,
  ``directed_edge_count``, ``undirected_edge_count``, ``time_format``, ``edge_kinds``;
- ``node_columns`` / ``edge_columns``: ``[{id, title, type, dynamic, property}]`` (``type`` is
  the Java class, e.g. ``String`` or ``IntervalStringMap`` for a dynamic string);
- ``nodes``: ``[{id, label, intervals, attributes}]``;
- ``edges``: ``[{id, source, target, directed, kind, label, weight, interval_count,
  intervals, attributes}]``; an interval is ``[start, end]`` in the graph's time format
  (``-inf``/``inf`` when open); a dynamic attribute's value is ``[{start, end, value}]``.

The harness jar is built once with Maven into ``$KB_CACHE/gephi-harness/<hash>/`` (kb's cache,
``~/.cache/kb`` by default), keyed by a hash of the pom and the Java source, so an edited
harness is rebuilt. Java 17 and Maven are required; their absence is an error, not a skip.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from kb.settings import kb_cache

HARNESS = Path(__file__).resolve().parent
SOURCES = ("pom.xml", "src/main/java/kb/gephi/OpenInGephi.java")
JAR = Path("target") / "gephi-harness.jar"
BUILD_TIMEOUT = 900  # seconds; the first build downloads the 83 MB toolkit jar
RUN_TIMEOUT = 600


class GephiHarnessError(RuntimeError):
    """The harness could not be built or run, or Gephi could not open the file."""


def open_in_gephi(path: Path) -> dict[str, Any]:
    """What Gephi 0.10.1 sees when it opens ``path`` (a GEXF, GraphML, ... file).

    Raises:
        GephiHarnessError: Java or Maven is missing, the build failed, or Gephi failed.
    """
    java = _tool("java")
    jar = harness_jar()
    done = subprocess.run(
        [java, "-Djava.awt.headless=true", "-jar", str(jar), str(Path(path).resolve())],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise GephiHarnessError(
            f"Gephi could not open {path} (exit {done.returncode}):\n{_tail(done.stderr)}"
        )
    try:
        result: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise GephiHarnessError(
            f"the harness printed no JSON for {path}: {error}\n{_tail(done.stdout)}"
        ) from error
    return result


def severe_issues(result: dict[str, Any]) -> list[dict[str, str]]:
    """The SEVERE and CRITICAL issues of a result (what Gephi reports as errors)."""
    return [issue for issue in result["issues"] if issue["level"] in ("SEVERE", "CRITICAL")]


def harness_jar() -> Path:
    """The built harness jar, building it first when the sources changed."""
    root = kb_cache() / "gephi-harness"
    folder = root / _source_hash()
    if (folder / "complete").exists():
        return folder / JAR
    mvn = _tool("mvn")
    _tool("java")
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="build-", dir=root))
    try:
        for name in SOURCES:
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(HARNESS / name, staging / name)
        done = subprocess.run(
            [mvn, "-B", "-q", "-f", str(staging / "pom.xml"), "package"],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            raise GephiHarnessError(
                f"Maven could not build the Gephi harness:\n{_tail(done.stdout + done.stderr)}"
            )
        (staging / "complete").write_text("built\n")
        try:
            staging.rename(folder)  # atomic: a half-built harness never looks complete
        except OSError:
            if not (folder / "complete").exists():  # not a concurrent build that won the race
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _prune(root, keep=folder)
    return folder / JAR


def _source_hash() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update(name.encode() + b"\0" + (HARNESS / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _prune(root: Path, keep: Path) -> None:
    """Remove builds of older sources (each holds a copy of the toolkit jar)."""
    for old in root.iterdir():
        if old != keep and old.is_dir() and (old / "complete").exists():
            shutil.rmtree(old, ignore_errors=True)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise GephiHarnessError(
            f"`{name}` is not on PATH: the Gephi harness needs Java 17 and Maven "
            "(Debian: apt-get install openjdk-17-jdk-headless maven)."
        )
    return found


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])
