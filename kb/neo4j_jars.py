"""Neo4j Community, APOC and Browser jars resolved from Maven Central into kb's cache.

The jar closure of ``org.neo4j:neo4j`` is exactly the distribution's ``lib/``; APOC core and
its small dependencies go to ``plugins/``. Maven does the resolving so that checksums,
transitive versions and mirrors behave as for any Java build.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from kb.errors import MissingDependencyError, ServerError, Wording

NEO4J_VERSION = "5.26.30"  # newest 5.26 LTS patch on Maven Central (2026-11)
# APOC is released less often than Neo4j; this is the newest 5.26 APOC on Maven Central.
# From 5.26.6 on, APOC core ships as apoc-core + apoc-common instead of one "core" jar.
APOC_VERSION = "5.26.19"
BROWSER_VERSION = (
    "5.24.0"  # newest neo4j-browser jar on Maven Central; the 5.26 distribution ships it
)

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kb.local</groupId><artifactId>{artifact}</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>{dependencies}</dependencies>
</project>
"""
_DEP = (
    "<dependency><groupId>{0}</groupId><artifactId>{1}</artifactId>"
    "<version>{2}</version></dependency>"
)

SERVER_ARTIFACTS = [
    ("org.neo4j", "neo4j", NEO4J_VERSION),
    ("org.neo4j.client", "neo4j-browser", BROWSER_VERSION),
]
PLUGIN_ARTIFACTS = [
    ("org.neo4j.procedure", "apoc-core", APOC_VERSION),
    ("org.neo4j.procedure", "apoc-common", APOC_VERSION),
]


def jar_folder(cache: Path) -> Path:
    """The versioned folder holding ``lib/`` and ``plugins/``."""
    return cache / f"neo4j-{NEO4J_VERSION}-apoc-{APOC_VERSION}"


def ensure_jars(cache: Path) -> Path:
    """Resolve the jars once; later calls return the cached folder at once.

    Raises:
        MissingDependencyError: Maven is needed for the first download and is not installed.
        ServerError: Maven failed (its output tail is in the message).
    """
    folder = jar_folder(cache)
    if (folder / "complete").exists():
        return folder
    mvn = shutil.which("mvn")
    if mvn is None:
        raise MissingDependencyError(
            Wording(
                "Maven (mvn) is needed once to download Neo4j's jars from Maven Central. "
                "Install it (e.g. apt-get install maven) or use a Docker engine with "
                "{backend} docker."
            )
        )
    staging = Path(tempfile.mkdtemp(prefix="jars-", dir=_mkdir(cache)))
    try:
        _copy_dependencies(mvn, staging / "lib", SERVER_ARTIFACTS)
        _copy_dependencies(mvn, staging / "plugins", PLUGIN_ARTIFACTS)
        _drop_jars_already_in_lib(staging)
        (staging / "complete").write_text(NEO4J_VERSION + "\n")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)  # atomic: an interrupted download never looks complete
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _copy_dependencies(mvn: str, out: Path, artifacts: list[tuple[str, str, str]]) -> None:
    project = _mkdir(out.parent / f"pom-{out.name}")
    deps = "".join(_DEP.format(*a) for a in artifacts)
    (project / "pom.xml").write_text(_POM.format(artifact=f"kb-{out.name}", dependencies=deps))
    command = [
        mvn,
        "-B",
        "-q",
        "-f",
        str(project / "pom.xml"),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={out}",
        "-DincludeScope=runtime",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
        raise ServerError(f"Maven could not fetch Neo4j's jars:\n{tail}")
    shutil.rmtree(project)


def _artifact_name(jar: Path) -> str:
    """``commons-lang3-3.12.0.jar`` -> ``commons-lang3``: the name without its version."""
    parts = jar.stem.split("-")
    for i, part in enumerate(parts):
        if part[:1].isdigit():
            return "-".join(parts[:i])
    return jar.stem


def _drop_jars_already_in_lib(folder: Path) -> None:
    # Two versions of one library on the class path break class loading in odd ways;
    # the server's own version wins.
    in_lib = {_artifact_name(j) for j in (folder / "lib").glob("*.jar")}
    for jar in (folder / "plugins").glob("*.jar"):
        if _artifact_name(jar) in in_lib:
            jar.unlink()
