"""examples/notebook.ipynb, executed in a real Jupyter kernel (nbclient, ipykernel) against
the test Neo4j holding the example case.

Every cell must run without an error; then, in the same kernel, each result the notebook
computed must equal ``kb <command> --format json`` for the same selection, and its
DataFrame (``to_frame()``) must have the columns and rows of ``--format csv``. Tables
(``_repr_html_``) and pictures (``_repr_svg_``) must have reached the notebook's outputs.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from typer.testing import CliRunner

from kb.cli import app
from kb.graph import KnowledgeBase
from kb.provenance import json_result

pytestmark = pytest.mark.neo4j

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "notebook.ipynb"
SELECTION = ["--min-evidence", "2"]  # the notebook's `selection`
# Each result of the notebook (its variable) and the command that answers the same question.
SAME_AS: dict[str, list[str]] = {
    "brokerage": ["brokerage", "--group-by", "sector", "--at", "2016", *SELECTION],
    "centrality": ["centrality", *SELECTION],
    "evolution": ["evolution", "--by", "stage", "--group-by", "sector", *SELECTION],
    # the library lists 10 brokers per source by default, the command 5
    "legitimacy": ["legitimacy", "--from", "community", "--to", "public", "--by", "stage"]
    + ["--brokers", "10", *SELECTION],
    "paths": ["paths", "p-kdiallo", "ciusss-cn", *SELECTION],
    "consensus": ["consensus", "--by", "stage", "--group-by", "sector"],
    "broken": ["reforms", "broken-ties", "--reform", "bill-10", "--window", "15m", *SELECTION],
    "change": ["reforms", "brokerage-change", "--reform", "bill-10", "--group-by", "sector"]
    + SELECTION,
    "survival": ["reforms", "survival", "--reform", "bill-10", *SELECTION],
    # the lookups
    "why": ["why", "p-kdiallo", "p-lsimard"],
    "timeline": ["timeline", "p-pleclerc"],
    "hits": ["search", "financement"],
    "coverage": ["evidence", "coverage"],
}
# Run in the notebook's kernel after its cells: each result's JSON (kb's own writer) and
# its DataFrame's columns and rows, as one JSON document on stdout.
REPORT = f"""
import json as _json
from kb.cli.render import to_json as _to_json
from kb.provenance import json_result
_answers = {{}}
for _name in {sorted(SAME_AS)!r}:
    _result = globals()[_name]
    _frame = _result.to_frame()
    _answers[_name] = {{
        "json": _json.loads(_to_json(_result.data())),
        "columns": [str(c) for c in _frame.columns],
        "rows": len(_frame),
        "html": _result._repr_html_()[:200],
    }}
print(_json.dumps(_answers))
"""


def same(a: Any, b: Any) -> bool:
    """Equal data, floats to 12 significant digits: kb's structural-hole sums may differ
    in the last bits between two processes (the order of a set)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-12)
    return type(a) is type(b) and a == b


def cli(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # jupyter_client's own paths
def test_notebook_runs_and_answers_as_the_cli_does(
    example: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    shipped = len(notebook.cells)
    notebook.cells.append(nbformat.v4.new_code_cell(REPORT))  # type: ignore[no-untyped-call]
    kernel_env = {**os.environ, **cli_env, "KB_CACHE": str(tmp_path / "cache")}
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    # The kernel is a process of its own: it finds the test database in its environment.
    with pytest.MonkeyPatch.context() as patch:
        for key, value in kernel_env.items():
            patch.setenv(key, value)
        client.execute()

    outputs = [o for cell in notebook.cells[:shipped] for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    shown = [o.get("data", {}) for o in outputs if o["output_type"] == "execute_result"]
    assert any("<table>" in d.get("text/html", "") for d in shown)  # results as tables
    assert sum("image/svg+xml" in d for d in shown) == 3  # three pictures, inline

    stream = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    answers: dict[str, Any] = json.loads(stream)
    for name, command in SAME_AS.items():
        answer = answers[name]
        printed = json_result(json.loads(cli(cli_env, *command, "--format", "json")))
        assert same(answer["json"], printed), name
        table = list(csv.reader(io.StringIO(cli(cli_env, *command, "--format", "csv"))))
        assert answer["columns"] == table[0], name
        assert answer["rows"] == len(table) - 1 > 0, name
        assert answer["html"].startswith("<p><b>"), name
