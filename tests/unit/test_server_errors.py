"""The local server's expected failures end in one clear error with its exit code."""

from __future__ import annotations

import socket
import stat
from pathlib import Path

import pytest

from kb.errors import MissingDependencyError, PortInUseError, ServerError, ServerStartError
from kb.neo4j_jars import ensure_jars, jar_folder
from kb.server import DockerServer, JvmServer, find_java
from kb.settings import ServerSettings


def fake_java(folder: Path, *, version: str, server_output: str = "") -> Path:
    """A `java` that reports `version`, accepts the admin command and fails as a server."""
    java = folder / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(
        "#!/bin/sh\n"
        f'case "$*" in *-version*) echo \'openjdk version "{version}"\' >&2; exit 0;; esac\n'
        'case "$*" in *Neo4jAdminCommand*) exit 0;; esac\n'
        f'echo "{server_output}"; exit 1\n'
    )
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_java_older_than_17_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(fake_java(tmp_path, version="11.0.2")))
    with pytest.raises(MissingDependencyError, match="needs Java 17 or newer") as raised:
        find_java()
    assert raised.value.exit_code == 6


def test_no_java_names_the_alternatives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nowhere"))
    with pytest.raises(MissingDependencyError, match="Docker"):
        find_java()


def test_first_fetch_needs_maven(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no mvn on it
    with pytest.raises(MissingDependencyError, match="Maven"):
        ensure_jars(tmp_path / "cache")


def test_docker_backend_without_an_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no docker client at all
    server = DockerServer(ServerSettings(tmp_path / "home", free_port(), free_port()))
    with pytest.raises(MissingDependencyError, match="No Docker engine"):
        server.start(progress=lambda _: None)


def test_port_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(fake_java(tmp_path / "jdk", version="17.0.9")))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = JvmServer(ServerSettings(tmp_path / "home", port, free_port()))
        with pytest.raises(PortInUseError, match=f"Port {port}") as raised:
            server.start(progress=lambda _: None)
    assert raised.value.exit_code == 7


def test_a_server_that_does_not_come_up_shows_its_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "JAVA_HOME", str(fake_java(tmp_path / "jdk", version="17", server_output="boom: no store"))
    )  # noqa: E501
    cache = tmp_path / "cache"
    monkeypatch.setenv("KB_CACHE", str(cache))
    jars = jar_folder(cache)
    for folder in ("lib", "plugins"):
        (jars / folder).mkdir(parents=True)
    (jars / "complete").write_text("test\n")
    server = JvmServer(ServerSettings(tmp_path / "home", free_port(), free_port()))
    with pytest.raises(ServerStartError, match="boom: no store") as raised:
        server.start(timeout=20, progress=lambda _: None)
    assert raised.value.exit_code == 8
    assert not server.is_running()


def test_a_second_start_dump_or_load_waits_for_none_and_says_who_holds_the_server(
    tmp_path: Path,
) -> None:
    server = JvmServer(ServerSettings(tmp_path / "home", free_port(), free_port()))
    server.neo4j_home.joinpath("data", "databases", "neo4j").mkdir(parents=True)
    dump = tmp_path / "case.dump"
    dump.write_bytes(b"DZV1" + bytes(100))
    with server.exclusive("load"):
        for attempt in (
            lambda: server.load(dump, force=True),
            lambda: server.dump(tmp_path / "out.dump"),
            lambda: server.start(progress=lambda _: None),
        ):
            with pytest.raises(ServerError, match=r"Another kb command \(kb server load, pid "):
                attempt()
        assert stat.S_IMODE((server.home / "server.lock").stat().st_mode) == 0o600
    assert server.neo4j_home.joinpath("data", "databases", "neo4j").is_dir(), "nothing moved"
    with server.exclusive("dump"):  # released when the holder is done
        pass
