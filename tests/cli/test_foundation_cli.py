"""kb status / init / reset / server commands against the real test Neo4j."""

from __future__ import annotations

import json
import stat
import subprocess
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli import ExitCode, app
from kb.errors import PortInUseError
from kb.graph import KnowledgeBase
from kb.schema import SCHEMA_VERSION
from kb.server import JvmServer
from kb.settings import ServerSettings
from tests.support import Neo4jUnderTest

runner = CliRunner()


@pytest.mark.neo4j
def test_status_json_has_the_documented_keys(cli_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["status", "--format", "json"], env=cli_env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "uri",
        "server_version",
        "edition",
        "database",
        "nodes",
        "relationships",
        "schema_version",
        "data_version",
        "fingerprint",
        "state",
        "provenance",
    }
    assert isinstance(data["data_version"], int)  # the journal's head, read at once
    assert data["data_version"] == data["provenance"]["data_version"]
    assert data["state"] == "complete"  # no restore or import left unfinished (kb.pending)
    assert data["server_version"].startswith("5.26")
    assert data["edition"] == "community"
    assert data["nodes"] == 0
    assert data["schema_version"] == SCHEMA_VERSION


@pytest.mark.neo4j
def test_status_counts_the_case_not_kb_bookkeeping(
    kb: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    kb.driver.execute_query(
        "CREATE (:Actor:Person {id: 'p1'})-[:TIE {id: 't1'}]->(:Actor {id: 'p2'})"
    )
    result = runner.invoke(app, ["status", "-f", "json"], env=cli_env)
    data = json.loads(result.stdout)
    assert (data["nodes"], data["relationships"]) == (2, 1)


def test_unreachable_server_is_one_sentence_and_exit_3() -> None:
    env = {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "x"}
    result = runner.invoke(app, ["status"], env=env)
    assert result.exit_code == ExitCode.UNAVAILABLE
    assert ExitCode.UNAVAILABLE.value == 3
    assert "bolt://127.0.0.1:1" in result.stderr
    assert "kb server start" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.neo4j
def test_wrong_password_is_exit_4(cli_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["status"], env={**cli_env, "NEO4J_PASSWORD": "not-the-password"})
    assert result.exit_code == ExitCode.AUTH
    assert ExitCode.AUTH.value == 4
    assert "refused the credentials" in result.stderr


@pytest.mark.neo4j
def test_init_is_idempotent_and_records_the_schema_version(
    kb: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    for _ in range(2):
        result = runner.invoke(app, ["init"], env=cli_env)
        assert result.exit_code == 0, result.output
    constraints = kb.driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name").records
    names = {r["name"] for r in constraints}
    assert {"actor_id", "tie_id", "evidence_id"} <= names
    assert kb.status()["schema_version"] == SCHEMA_VERSION


@pytest.mark.neo4j
def test_reset_empties_the_case_and_keeps_the_schema(
    kb: KnowledgeBase, cli_env: dict[str, str]
) -> None:
    kb.driver.execute_query("UNWIND range(1, 25) AS i CREATE (:Actor {id: toString(i)})")
    declined = runner.invoke(app, ["reset"], env=cli_env, input="n\n")
    assert declined.exit_code == 0
    assert kb.status()["nodes"] == 25
    result = runner.invoke(app, ["reset", "--yes"], env=cli_env)
    assert result.exit_code == 0, result.output
    status = kb.status()
    assert status["nodes"] == 0
    assert status["schema_version"] == SCHEMA_VERSION


@pytest.mark.neo4j
def test_browser_is_served(neo4j_server: Neo4jUnderTest) -> None:
    assert neo4j_server.http_url, "set NEO4J_HTTP_URL to the server's http://host:port/browser/"
    with urllib.request.urlopen(neo4j_server.http_url, timeout=10) as response:
        body = response.read().decode()
    assert response.status == 200
    assert "<title>Neo4j Browser</title>" in body


def _java_processes_for(home: Path) -> list[str]:
    out = subprocess.run(["ps", "-eww", "-o", "args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if "java" in line and str(home) in line]


@pytest.mark.neo4j
def test_server_lifecycle_password_ports_and_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second kb server: start, status, refuse a taken port, stop with no java left."""
    home = tmp_path / "kb-home"
    env = {"KB_HOME": str(home), "KB_BOLT_PORT": "17688", "KB_HTTP_PORT": "17475"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    try:
        started = runner.invoke(app, ["server", "start", "--backend", "jvm"])
        assert started.exit_code == 0, started.output
        password_file = home / "password"
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
        status = runner.invoke(app, ["server", "status", "--backend", "jvm", "-f", "json"])
        info = json.loads(status.stdout)
        assert info["running"] is True
        assert info["bolt_port"] == 17688 and info["http_port"] == 17475
        assert info["browser_url"] == "http://127.0.0.1:17475/browser/"
        assert "password" not in info
        assert password_file.read_text().strip() not in started.output + status.output
        assert _java_processes_for(home)

        other = ServerSettings(tmp_path / "other", bolt_port=17688, http_port=17476)
        with pytest.raises(PortInUseError, match="17688 on 127.0.0.1 is already in use"):
            JvmServer(other).start(progress=lambda _: None)

        stopped = runner.invoke(app, ["server", "stop", "--backend", "jvm"])
        assert stopped.exit_code == 0
        assert not _java_processes_for(home)
        after = runner.invoke(app, ["server", "status", "--backend", "jvm"])
        assert after.exit_code == ExitCode.UNAVAILABLE
    finally:
        runner.invoke(app, ["server", "stop", "--backend", "jvm"])
