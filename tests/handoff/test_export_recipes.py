"""Every R and Python recipe in docs/exports.md, run verbatim on the example's export.

The code blocks are read from the document itself (each follows a ``<!-- recipe: NAME -->``
line), so the docs and this test cannot drift apart. Each runs in a fresh R or Python
process, in a folder holding kb's exports of examples/quebec-wg; what it computed is then
compared with kb's own analyses and with counts from Neo4j. R comes from Debian's packages
(r-cran-igraph 1.3.5, r-cran-network, r-cran-sna, r-cran-jsonlite); a missing Rscript fails
the test, it is not skipped.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from neo4j import Driver

from kb.analyses.brokerage import brokerage
from kb.analyses.centrality import centrality
from kb.analyses.network import fetch
from kb.exports.gexf import write_gexf
from kb.exports.graphml import write_graphml
from kb.graph import KnowledgeBase
from kb.provenance import read_provenance
from tests.handoff.network_counts import network_counts
from tests.handoff.r.rscript import r_recipe_check, run_r
from tests.support import EXAMPLE, ROOT, Neo4jUnderTest

pytestmark = [pytest.mark.neo4j, pytest.mark.r]

DOC = ROOT / "docs" / "exports.md"
RECIPE = re.compile(r"<!-- recipe: ([\w-]+)[^>]*-->\n```(r|python)\n(.*?)\n```", re.DOTALL)
FENCE = re.compile(r"^```(r|python)$", re.MULTILINE)
DAY = "2016-06-01"  # the day the r-igraph recipe selects


@dataclass
class Recipe:
    name: str
    language: str
    code: str


def recipes() -> dict[str, Recipe]:
    """The documented recipes, by name."""
    text = DOC.read_text(encoding="utf-8")
    found = {m[1]: Recipe(m[1], m[2], m[3]) for m in RECIPE.finditer(text)}
    assert len(found) == len(FENCE.findall(text)), (
        "every r and python block in docs/exports.md needs a <!-- recipe: NAME --> line "
        "right before it, and a check in tests/handoff/test_export_recipes.py"
    )
    return found


@dataclass
class Exported:
    """The example's exports, and what kb and Neo4j say about the example."""

    folder: Path
    env: dict[str, str]
    centrality: dict[str, dict[str, Any]]
    brokerage: dict[str, dict[str, int]]
    counts: dict[str, int]
    strength: dict[str, float]
    components: int


@pytest.fixture(scope="module")
def exported(
    neo4j_server: Neo4jUnderTest, neo4j_driver: Driver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Exported]:
    settings = neo4j_server.settings
    base = KnowledgeBase(neo4j_driver, database=settings.database, uri=settings.uri)
    base.reset()
    base.ensure_schema()
    base.import_data(EXAMPLE)
    folder = tmp_path_factory.mktemp("exports")
    write_graphml(base, folder / "case.graphml")
    write_gexf(base, folder / "case-directed.gexf", directed=True)
    network = fetch(base)
    graph = nx.DiGraph(network.arcs)
    graph.add_nodes_from(network.nodes)
    strength = dict.fromkeys(network.nodes, 0.0)
    for (source, target), weight in fetch(base, weight="weight").weights().items():
        strength[source] += weight
        strength[target] += weight
    env = {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.user,
        "NEO4J_PASSWORD": settings.password or "",
        "NEO4J_DATABASE": settings.database,
    }
    yield Exported(
        folder=folder,
        env=env,
        centrality={a["id"]: a for a in centrality(base)["actors"]},
        brokerage={
            a["id"]: {role: s["raw"] for role, s in a["roles"].items()}
            for a in brokerage(base, group_by="sector")["actors"]
        },
        counts=network_counts(base, day=DAY),
        strength=strength,
        components=nx.number_weakly_connected_components(graph),
    )


def run(recipe: str, check: str, exported: Exported, tmp_path: Path) -> dict[str, Any]:
    """Run a documented recipe and then ``check`` in a copy of the export folder; the
    ``result.json`` the check wrote."""
    found = recipes()[recipe]
    shutil.copytree(exported.folder, tmp_path, dirs_exist_ok=True)
    code = found.code + "\n" + check
    if found.language == "r":
        run_r(code, tmp_path)
    else:
        script = tmp_path / "recipe.py"
        script.write_text(code, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            env=exported.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"the {recipe} recipe failed:\n{done.stderr[-4000:]}"
    result: dict[str, Any] = json.loads((tmp_path / "result.json").read_text())
    return result


def assert_close(got: dict[str, float], want: dict[str, float]) -> None:
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-9), (key, got[key], value)


def test_every_recipe_block_is_named_and_checked() -> None:
    assert set(recipes()) == set(CHECKS) | {"r-igraph", "r-statnet"}


def test_r_igraph_recipe_reads_the_graphml_and_gives_kbs_numbers(
    exported: Exported, tmp_path: Path
) -> None:
    got = run("r-igraph", r_recipe_check("r-igraph"), exported, tmp_path)
    counts = exported.counts
    assert got["directed"] is True and got["weight_attribute"] is False
    assert got["vertices"] == counts["actors"]
    arcs = counts["ties"] + counts["undirected"]  # an undirected tie is two arcs
    assert (got["edges"], got["tie_arcs"]) == (arcs + counts["memberships"], arcs)
    assert got["arcs_on_day"] == counts["ties_on_day"] + counts["undirected_on_day"]
    assert_close(got["betweenness"], {a: c["betweenness"] for a, c in exported.centrality.items()})
    assert got["degree"] == {a: c["degree"] for a, c in exported.centrality.items()}
    assert got["components"] == exported.components
    assert_close(got["strength"], exported.strength)
    # The export's provenance is a graph attribute igraph reads as it is.
    assert json.loads(got["provenance"]) == read_provenance(exported.folder / "case.graphml").data()


def test_r_statnet_recipe_gives_kbs_betweenness_and_brokerage(
    exported: Exported, tmp_path: Path
) -> None:
    got = run("r-statnet", r_recipe_check("r-statnet"), exported, tmp_path)
    assert got["vertices"] == exported.counts["actors"]
    assert_close(got["betweenness"], {a: c["betweenness"] for a, c in exported.centrality.items()})
    sna_roles = {
        "w_I": "coordinator",
        "w_O": "itinerant",
        "b_IO": "representative",
        "b_OI": "gatekeeper",
        "b_O": "liaison",
        "t": "total",
    }
    assert {
        actor: {sna_roles[role]: int(n) for role, n in roles.items()}
        for actor, roles in got["brokerage"].items()
    } == exported.brokerage


PYTHON_GRAPHML_CHECK = """
import json
json.dump(
    {
        "betweenness": betweenness,
        "ig_betweenness": ig_betweenness,
        "degree": degree,
        "components": components,
        "edges": g.number_of_edges(),
    },
    open("result.json", "w"),
)
"""


def test_python_graphml_recipe_gives_kbs_numbers(exported: Exported, tmp_path: Path) -> None:
    got = run("python-graphml", PYTHON_GRAPHML_CHECK, exported, tmp_path)
    want = {a: c["betweenness"] for a, c in exported.centrality.items()}
    assert_close(got["betweenness"], want)
    assert_close(got["ig_betweenness"], want)
    assert got["degree"] == {a: c["degree"] for a, c in exported.centrality.items()}
    assert got["components"] == exported.components
    counts = exported.counts
    assert got["edges"] == counts["ties"] + counts["undirected"] + counts["memberships"]


PYTHON_GEXF_CHECK = """
import json
json.dump(
    {
        "directed": g.is_directed(),
        "multigraph": g.is_multigraph(),
        "edges": g.number_of_edges(),
        "ties": len(ties),
        "undirected_ties": undirected_ties,
    },
    open("result.json", "w"),
)
"""


def test_python_gexf_recipe_reads_the_directed_variant(exported: Exported, tmp_path: Path) -> None:
    got = run("python-gexf", PYTHON_GEXF_CHECK, exported, tmp_path)
    assert got["directed"] is True and got["multigraph"] is True
    # One edge per tie type, direction and pair (re-formed ties are one), undirected twice.
    counts = exported.counts
    assert got["undirected_ties"] == counts["undirected_tie_groups"]
    assert got["ties"] == counts["tie_groups"] + counts["undirected_tie_groups"]
    assert got["edges"] == got["ties"] + counts["membership_groups"]


PYTHON_API_CHECK = """
import json
from pathlib import Path
json.dump(
    {"gexf": Path("case.gexf").stat().st_size, "nodes": graph.number_of_nodes()},
    open("result.json", "w"),
)
"""


def test_python_api_recipe_writes_with_the_library(exported: Exported, tmp_path: Path) -> None:
    got = run("python-api", PYTHON_API_CHECK, exported, tmp_path / "api")
    assert got["gexf"] > 0
    assert got["nodes"] == exported.counts["actors"]


CHECKS = {
    "python-graphml": PYTHON_GRAPHML_CHECK,
    "python-gexf": PYTHON_GEXF_CHECK,
    "python-api": PYTHON_API_CHECK,
}
