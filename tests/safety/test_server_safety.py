"""The local server keeps its secrets and files private, and kb fails fast and cleanly when
the server dies, is missing a database, or locks out a password: each test runs its own
Neo4j (kb.server.JvmServer on free ports), since it stops, kills or locks it."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest
from neo4j import GraphDatabase, NotificationMinimumSeverity
from neo4j.exceptions import AuthError, Neo4jError
from typer.testing import CliRunner

from kb.cli import ExitCode, app
from kb.server import JvmServer
from tests.safety.helpers import kb_process, run_kb, write_large_case
from tests.safety.servers import env_for, own_server

pytestmark = pytest.mark.neo4j


class CommandLines:
    """Every process command line seen while it runs (sampled every 20 ms from ps)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            out = subprocess.run(["ps", "-eww", "-o", "args="], capture_output=True, text=True)
            self.seen.update(out.stdout.splitlines())
            time.sleep(0.02)

    def __enter__(self) -> CommandLines:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def modes(root: Path) -> dict[str, int]:
    found = {}
    for folder, _, files in os.walk(root):
        found[folder] = stat.S_IMODE(os.stat(folder).st_mode)
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink():
                found[str(path)] = stat.S_IMODE(path.stat().st_mode)
    return found


def test_first_start_keeps_the_password_off_command_lines_and_the_files_private(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    with CommandLines() as lines, own_server(home) as server:
        password = server.settings.read_password()
        assert password
        assert len(lines.seen) > 10  # the sampler saw the server and its helpers start
        assert not [line for line in lines.seen if password in line]
        assert any(str(home) in line and "java" in line for line in lines.seen)
        with GraphDatabase.driver(server.settings.bolt_uri, auth=("neo4j", password)) as driver:
            driver.execute_query("CREATE (:Probe {id: 1})")  # the data store gets written
        with pytest.raises(AuthError):
            with GraphDatabase.driver(server.settings.bolt_uri, auth=("neo4j", "neo4j")) as d:
                d.verify_connectivity()
        time.sleep(6)  # the failed login above started Neo4j's 5 s lockout window
        found = modes(home)
        assert len(found) > 20, "the server wrote its data, logs and state"
        wide = {path: oct(mode) for path, mode in found.items() if mode & 0o077}
        assert not wide, f"readable by others: {wide}"


def test_an_existing_home_is_made_private_at_start(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "neo4j" / "logs").mkdir(parents=True, mode=0o755)
    (home / "neo4j" / "logs" / "old.log").write_text("x")
    (home / "neo4j" / "logs" / "old.log").chmod(0o644)
    home.chmod(0o755)
    with own_server(home) as server:
        assert server.is_running()
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert stat.S_IMODE((home / "neo4j" / "logs" / "old.log").stat().st_mode) == 0o600


def _wait_for_ties(server: JvmServer, process: subprocess.Popen[str], timeout: float = 90) -> None:
    password = server.settings.read_password() or ""
    deadline = time.monotonic() + timeout
    with GraphDatabase.driver(
        server.settings.bolt_uri,
        auth=("neo4j", password),
        notifications_min_severity=NotificationMinimumSeverity.OFF,
    ) as driver:
        while time.monotonic() < deadline:
            count = driver.execute_query("MATCH ()-[r:TIE]->() RETURN count(r)").records[0][0]
            if count > 0:
                return
            time.sleep(0.05)
    raise AssertionError("the import never started writing ties")


@pytest.mark.parametrize("how", ["kill -9", "kb server stop"])
def test_a_server_that_dies_mid_import_fails_kb_fast_in_one_line(tmp_path: Path, how: str) -> None:
    case = write_large_case(tmp_path / "case", actors=2000, ties=60_000)
    with own_server(tmp_path / "home") as server:
        env = env_for(server)
        importing = kb_process(["import", str(case)], env)
        _wait_for_ties(server, importing)
        pid = server.pid()
        assert pid
        if how == "kill -9":
            os.kill(pid, signal.SIGKILL)
        else:
            stopped = run_kb(["server", "stop"], env)
            assert stopped.returncode == 0, stopped.stderr
        died = time.monotonic()
        out, err = importing.communicate(timeout=60)
        took = time.monotonic() - died
    assert importing.returncode == ExitCode.UNAVAILABLE, err
    assert int(ExitCode.UNAVAILABLE) == 3
    assert took < 10, f"kb took {took:.1f} s to give up"
    assert "Traceback" not in err
    assert "retried" not in err
    errors = [line for line in err.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("Error:"), err
    assert "stopped while writing ties" in errors[0]
    # A kill drops the connection; a clean stop first refuses new work while shutting down.
    assert "Cannot reach Neo4j" in errors[0] or "may be stopping" in errors[0]


def test_a_stopped_server_and_wrong_settings_are_clean_errors(tmp_path: Path) -> None:
    with own_server(tmp_path / "home") as server:
        env = env_for(server)
        unknown = run_kb(["--database", "nosuch", "status"], env)
        assert unknown.returncode == ExitCode.NOT_FOUND, unknown.stderr
        assert "has no database 'nosuch'" in unknown.stderr
        for uri in (
            "http://127.0.0.1:7474",
            "localhost:7687",
            "bolt://",
            "bolt://[::1",
            "bolt://127.0.0.1:99999",
        ):
            bad = CliRunner().invoke(app, ["status"], env={**env, "NEO4J_URI": uri})
            assert bad.exit_code == ExitCode.USAGE, (uri, bad.output)
            assert "bolt://, bolt+s://" in bad.stderr and bad.exception is not None
            assert isinstance(bad.exception, SystemExit)
        wrong = run_kb(["status"], {**env, "NEO4J_PASSWORD": "wrong"})
        assert wrong.returncode == ExitCode.AUTH and "refused the credentials" in wrong.stderr
        for _ in range(3):  # quickly, so that the next try meets Neo4j's rate limit
            with pytest.raises(Neo4jError):
                with GraphDatabase.driver(env["NEO4J_URI"], auth=("neo4j", "wrong")) as driver:
                    driver.verify_connectivity()
        limited = run_kb(["status"], {**env, "NEO4J_PASSWORD": "wrong"})
        assert limited.returncode == ExitCode.AUTH, limited.stderr
        assert "Wait a few seconds" in limited.stderr and "Traceback" not in limited.stderr
        time.sleep(6)
        assert run_kb(["status"], env).returncode == 0
        server.stop()
        started = time.monotonic()
        gone = run_kb(["status"], env)
        assert gone.returncode == ExitCode.UNAVAILABLE
        assert time.monotonic() - started < 15
        assert gone.stderr.count("\n") == 1 and "Cannot reach Neo4j" in gone.stderr


def test_server_dump_and_load(tmp_path: Path) -> None:
    dump = tmp_path / "out" / "case.dump"
    with own_server(tmp_path / "home") as server:
        env = env_for(server)
        added = run_kb(["add", "person", "--id", "p-dump", "--name", "Kept"], env)
        assert added.returncode == 0, added.stderr
        running = run_kb(["server", "dump", str(dump)], env)
        assert running.returncode == ExitCode.USAGE and "stopped server" in running.stderr
        server.stop()
        done = run_kb(["server", "dump", str(dump)], env)
        assert done.returncode == 0, done.stderr
        assert stat.S_IMODE(dump.stat().st_mode) == 0o600
        refused = run_kb(["server", "load", str(dump)], env)
        assert refused.returncode == ExitCode.USAGE and "--force" in refused.stderr
    with own_server(tmp_path / "fresh", start=False) as fresh:
        env = env_for(fresh)
        loaded = run_kb(["server", "load", str(dump)], env)
        assert loaded.returncode == 0, loaded.stderr
        fresh.start(progress=lambda _: None)
        shown = run_kb(["timeline", "p-dump"], env_for(fresh))
        assert shown.returncode == 0, shown.stderr
        assert "Kept" in shown.stderr + shown.stdout
