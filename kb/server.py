"""A local Neo4j that kb manages: Community jars on Java 17, or docker compose.

The JVM backend runs ``org.neo4j.server.CommunityEntryPoint`` straight from the Maven jars.
neo4j.conf's ``server.jvm.*`` settings are read only by the official launcher script, so
heap and ``--add-opens`` flags are passed on the java command line here, the same ones
``Neo4jCommand console --dry-run`` prints for the official distribution.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kb.errors import (
    ExitCode,
    MissingDependencyError,
    PortInUseError,
    ServerError,
    ServerStartError,
    Wording,
)
from kb.neo4j_jars import NEO4J_VERSION, ensure_jars, jar_folder
from kb.settings import ServerSettings, kb_cache

HEAP = "1g"
PAGE_CACHE = "256m"
JVM_FLAGS = [
    f"-Xms{HEAP}",
    f"-Xmx{HEAP}",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
# neo4j-admin's tool itself; Neo4j's launcher (org.neo4j.server.startup.Neo4jAdminCommand)
# would run it in a second JVM that a killed kb leaves behind.
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
DUMP_PREFIX = ".kb-dump-"
LOAD_PREFIX = ".kb-load-"
SWAP_JOURNAL = "load-swap.json"
# Held while kb starts, dumps or loads the server: one such command at a time per home.
ADMIN_LOCK = "server.lock"
SWAP_PARTS = ("databases", "transactions")
# A Neo4j 5 dump starts with "DZV1" (zstd); dumps of Neo4j 4 are gzip streams.
DUMP_MAGIC = (b"DZV1", b"\x1f\x8b")
# A new server's only user is neo4j with this password, which must be changed first.
DEFAULT_PASSWORD = "neo4j"


@dataclass(frozen=True)
class ServerStatus:
    """What ``kb server status`` reports."""

    running: bool
    backend: str
    version: str
    bolt_uri: str
    bolt_port: int
    http_port: int
    browser_url: str
    home: str
    pid: int | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def docker_available() -> bool:
    """True when a Docker engine answers (the client alone is not enough)."""
    if shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(["docker", "info"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def choose_backend(requested: str, settings: ServerSettings) -> str:
    """``auto`` keeps the backend of an existing server, else docker if an engine answers."""
    if requested != "auto":
        return requested
    state = _read_state(settings)
    if state:
        return str(state["backend"])
    return "docker" if docker_available() else "jvm"


def open_server(settings: ServerSettings, backend: str = "auto") -> LocalServer:
    """The local server for ``settings`` with the chosen backend."""
    chosen = choose_backend(backend, settings)
    if chosen == "docker":
        return DockerServer(settings)
    if chosen == "jvm":
        return JvmServer(settings)
    raise ServerError(f"Unknown backend {backend!r}; use auto, jvm or docker.")


class LocalServer:
    """Common behaviour of both backends: password, state file, waiting for Bolt."""

    backend = "base"

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.home = settings.home

    # -- the operations ---------------------------------------------------------------
    def start(self, *, timeout: float = 180.0, progress: Callable[[str], None] = print) -> None:
        raise NotImplementedError

    def stop(self, *, timeout: float = 60.0) -> bool:
        raise NotImplementedError

    def is_running(self) -> bool:
        raise NotImplementedError

    def pid(self) -> int | None:
        return None

    def log_tail(self, lines: int = 40) -> str:
        raise NotImplementedError

    def status(self) -> ServerStatus:
        s = self.settings
        return ServerStatus(
            running=self.is_running(),
            backend=self.backend,
            version=NEO4J_VERSION if self.backend == "jvm" else "5.26",
            bolt_uri=s.bolt_uri,
            bolt_port=s.bolt_port,
            http_port=s.http_port,
            browser_url=s.browser_url,
            home=str(self.home),
            pid=self.pid(),
        )

    # -- shared helpers ---------------------------------------------------------------
    def password(self) -> str:
        """The server's password, generated on first start into a user-only (0600) file."""
        existing = self.settings.read_password()
        if existing:
            return existing
        private_folder(self.home)
        password = secrets.token_urlsafe(18)
        fd = os.open(self.settings.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(password + "\n")
        return password

    def _check_ports_free(self) -> None:
        for port in (self.settings.bolt_port, self.settings.http_port):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    raise PortInUseError(
                        f"Port {port} on 127.0.0.1 is already in use by another program. "
                        "Stop it, or choose other ports with KB_BOLT_PORT / KB_HTTP_PORT."
                    ) from None

    def _write_state(self, **extra: Any) -> None:
        state = {
            "backend": self.backend,
            "bolt_port": self.settings.bolt_port,
            "http_port": self.settings.http_port,
            **extra,
        }
        write_private(self.home / "server.json", json.dumps(state, indent=2) + "\n")

    def _wait_for_bolt(self, timeout: float, alive: Callable[[], bool]) -> None:
        """Return when Bolt answers with kb's password, setting it first if needed.

        A server started for the first time has the default user neo4j/neo4j, whose password
        must be changed before anything else: kb changes it over Bolt (ALTER CURRENT USER),
        so the new password never appears on a command line.
        """
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ServiceUnavailable

        password = self.password()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not alive():
                raise ServerStartError(f"Neo4j exited while starting.\n{self.log_tail()}")
            try:
                with GraphDatabase.driver(
                    self.settings.bolt_uri, auth=("neo4j", password)
                ) as driver:
                    driver.verify_connectivity()
                    driver.execute_query("RETURN 1", database_="neo4j")
                return
            except (ServiceUnavailable, OSError):
                time.sleep(0.5)
            except AuthError as e:
                if not self._set_initial_password(password):
                    raise ServerStartError(
                        f"Neo4j started but refused the password in "
                        f"{self.settings.password_file}: {e}"
                    ) from e
            except Exception:  # noqa: BLE001 - the default database may still be starting
                time.sleep(0.5)
        raise ServerStartError(
            f"Neo4j did not answer on {self.settings.bolt_uri} within {timeout:.0f} s.\n"
            f"{self.log_tail()}"
        )

    def _set_initial_password(self, password: str) -> bool:
        """Replace the default password neo4j/neo4j by ``password``, over Bolt.

        Returns:
            False when the default password is not accepted either (someone changed it).
        """
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError

        try:
            with GraphDatabase.driver(
                self.settings.bolt_uri, auth=("neo4j", DEFAULT_PASSWORD)
            ) as driver:
                driver.execute_query(
                    "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                    old=DEFAULT_PASSWORD,
                    new=password,
                    database_="system",
                )
        except AuthError:
            return False
        return True


def private_folder(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed, readable by the user only (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def write_private(path: Path, text: str) -> None:
    """Write a text file only the user can read (0600), even if it existed with wider bits."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def make_private(root: Path) -> None:
    """Folders 0700 and files 0600 (or 0700 for executables) under ``root``, root included."""
    for folder, _subfolders, files in os.walk(root):
        os.chmod(folder, 0o700)
        for name in files:
            path = Path(folder) / name
            if path.is_symlink():
                continue
            executable = path.stat().st_mode & stat.S_IXUSR
            path.chmod(0o700 if executable else 0o600)


def check_dump_header(path: Path) -> None:
    """Refuse a file that is not a Neo4j dump before anything is changed.

    Raises:
        ServerError: the file does not start like a dump.
    """
    try:
        with path.open("rb") as stream:
            head = stream.read(4)
    except OSError as e:
        raise ServerError(f"Cannot read {path}: {e.strerror or e}.", ExitCode.NOT_FOUND) from e
    if not head.startswith(DUMP_MAGIC):
        raise ServerError(
            f"{path} is not a Neo4j dump (written by kb server dump or neo4j-admin database "
            "dump); nothing was changed.",
            ExitCode.INVALID_INPUT,
        )


def remove_stale_folders(folder: Path, prefix: str) -> list[str]:
    """Remove ``<prefix><pid>-*`` folders whose process is dead (or that name no process:
    earlier kb versions wrote ``<prefix>*``). Returns the names removed."""
    removed: list[str] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix) or entry.is_symlink() or not entry.is_dir():
            continue
        match = re.match(r"(\d+)-", entry.name[len(prefix) :])
        if match and process_alive(int(match.group(1))):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry.name)
    return removed


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that has the kernel SIGKILL the child when kb dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    parent = os.getpid()
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1

    def preexec() -> None:
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() != parent:  # kb died before the prctl took effect
            os._exit(1)

    return preexec


def _read_state(settings: ServerSettings) -> dict[str, Any] | None:
    path = settings.home / "server.json"
    if not path.exists():
        return None
    return dict(json.loads(path.read_text()))


def _java_major(java: str) -> int | None:
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def find_java() -> str:
    """Java 17 or newer, from ``JAVA_HOME`` or the PATH.

    Raises:
        MissingDependencyError: no Java, or one older than 17.
    """
    java_home = os.environ.get("JAVA_HOME")
    candidate = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not candidate or not Path(candidate).exists():
        raise MissingDependencyError(
            "Java 17 or newer is needed to run Neo4j without Docker, and none was found. "
            "Install OpenJDK 17 (e.g. apt-get install openjdk-17-jre-headless) or start a "
            "Docker engine."
        )
    major = _java_major(candidate)
    if major is None or major < 17:
        raise MissingDependencyError(
            f"Neo4j 5.26 needs Java 17 or newer; {candidate} is version {major or 'unknown'}. "
            "Set JAVA_HOME to a Java 17+ installation."
        )
    return candidate


class JvmServer(LocalServer):
    """Neo4j Community from its Maven Central jars, run by Java 17."""

    backend = "jvm"

    @property
    def neo4j_home(self) -> Path:
        return self.home / "neo4j"

    @property
    def pid_file(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.neo4j_home / "logs" / "console.log"

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if process_alive(pid) else None

    def is_running(self) -> bool:
        return self.pid() is not None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.console_log.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return "(no log yet)"
        return "\n".join(text[-lines:])

    def start(self, *, timeout: float = 180.0, progress: Callable[[str], None] = print) -> None:
        """Start Neo4j and return when Bolt answers.

        Raises:
            MissingDependencyError: no Java 17+, or no Maven for the first download.
            PortInUseError: the Bolt or HTTP port is taken.
            ServerStartError: the server did not come up (the message has the log tail).
        """
        with self.exclusive("start"):
            self._start(timeout=timeout, progress=progress)

    def _start(self, *, timeout: float, progress: Callable[[str], None]) -> None:
        if self.is_running():
            progress(f"Neo4j is already running (pid {self.pid()}).")
            return
        java = find_java()
        self._check_ports_free()
        if not (jar_folder(kb_cache()) / "complete").exists():
            progress("Fetching Neo4j jars from Maven Central (first start only)...")
        jars = ensure_jars(kb_cache())
        private_folder(self.home)
        for done in self.clean_leftovers():
            progress(f"Cleaned up after a killed dump or load: {done}.")
        conf = self._write_config(jars)
        self.password()
        # Earlier kb versions left the data and logs readable by everyone.
        make_private(self.home)
        progress(
            f"Starting Neo4j {NEO4J_VERSION} (bolt {self.settings.bolt_port}, "
            f"http {self.settings.http_port})..."
        )
        self.console_log.parent.mkdir(parents=True, exist_ok=True)
        classpath = f"{jars / 'plugins'}/*:{conf}/*:{jars / 'lib'}/*"
        command = [
            java,
            "-cp",
            classpath,
            *JVM_FLAGS,
            MAIN_CLASS,
            f"--home-dir={self.neo4j_home}",
            f"--config-dir={conf}",
            "--console-mode",
        ]
        pid = _spawn_daemon(command, log=self.console_log, cwd=self.neo4j_home)
        write_private(self.pid_file, f"{pid}\n")
        self._write_state(pid=pid, version=NEO4J_VERSION)
        try:
            self._wait_for_bolt(timeout, alive=lambda: process_alive(pid))
        except ServerStartError:
            self.stop()
            raise

    def stop(self, *, timeout: float = 60.0) -> bool:
        """SIGTERM the server and wait for it to exit (SIGKILL after ``timeout``).

        Returns:
            True if a running server was stopped.
        """
        pid = self.pid()
        self.pid_file.unlink(missing_ok=True)
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while process_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if process_alive(pid):
            os.kill(pid, signal.SIGKILL)
            while process_alive(pid):
                time.sleep(0.1)
        return True

    # -- offline dump and load (neo4j-admin) ------------------------------------------
    def dump(self, target: Path, *, database: str = "neo4j") -> Path:
        """Write the stopped server's database to ``target`` with ``neo4j-admin database dump``.

        The file is written in a temporary folder beside ``target`` and renamed when
        complete, readable by the user only: a failed or killed dump leaves no file, and its
        folder is removed by the next start, dump or load.

        Raises:
            ServerError: the server is running (Neo4j Community dumps offline databases
                only), or neo4j-admin failed.
        """
        with self.exclusive("dump"):
            return self._dump(target, database)

    def _dump(self, target: Path, database: str) -> Path:
        self._require_stopped("dump")
        self.clean_leftovers()
        target = target.resolve()
        folder = private_folder(target.parent)
        remove_stale_folders(folder, DUMP_PREFIX)
        staging = Path(tempfile.mkdtemp(prefix=f"{DUMP_PREFIX}{os.getpid()}-", dir=folder))
        try:
            self._admin("database", "dump", database, f"--to-path={staging}")
            produced = staging / f"{database}.dump"
            produced.chmod(0o600)
            os.replace(produced, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return target

    def load(self, source: Path, *, database: str = "neo4j", force: bool = False) -> None:
        """Replace the stopped server's database by a dump (``neo4j-admin database load``).

        Nothing of the current database is touched until the dump has loaded completely:
        the file's header is checked first, the dump is loaded into a fresh store in a
        staging folder of ``$KB_HOME``, and only then is that store swapped in (two
        renames, journalled in ``load-swap.json`` so that a load killed between them is
        completed at the next start, dump or load). A file that is not a dump, half a dump,
        or a load killed before the swap leaves the case as it was.

        Raises:
            ServerError: the server is running, the file is missing or not a Neo4j dump,
                the database exists and ``force`` is not given, neo4j-admin failed, or
                another kb command is starting, dumping or loading the server.
        """
        with self.exclusive("load"):
            self._load(source, database, force)

    def _load(self, source: Path, database: str, force: bool) -> None:
        self._require_stopped("load")
        self.clean_leftovers()
        source = source.resolve()
        if not source.is_file():
            raise ServerError(f"No dump file at {source}.", ExitCode.NOT_FOUND)
        check_dump_header(source)
        if self._store(database).exists() and not force:
            raise ServerError(
                Wording(
                    "Database {_database} already exists in {_home}; add {force} to replace "
                    "it (take a kb server dump of it first if you may need it).",
                    _database=database,
                    _home=self.neo4j_home,
                ),
                ExitCode.USAGE,
            )
        staging = Path(
            tempfile.mkdtemp(prefix=f"{LOAD_PREFIX}{os.getpid()}-", dir=private_folder(self.home))
        )
        swapping = False
        try:
            (staging / "from").mkdir(mode=0o700)
            # neo4j-admin reads <database>.dump from a folder.
            (staging / "from" / f"{database}.dump").symlink_to(source)
            self._admin(
                "database",
                "load",
                database,
                f"--from-path={staging / 'from'}",
                home=staging / "home",
            )
            swapping = True
            self._swap_in(staging, database)
            swapping = False
        finally:
            # A swap that failed midway keeps its folder: the journal completes it later.
            if not swapping:
                shutil.rmtree(staging, ignore_errors=True)
        make_private(self.neo4j_home)

    def _store(self, database: str, part: str = "databases", home: Path | None = None) -> Path:
        """A database's store folder (``databases``) or transaction logs (``transactions``)."""
        return (home or self.neo4j_home) / "data" / part / database

    @property
    def swap_journal(self) -> Path:
        return self.home / SWAP_JOURNAL

    def _swap_in(self, staging: Path, database: str) -> None:
        """Replace the database's store and logs by the ones loaded in ``staging``."""
        journal = {"staging": str(staging), "database": database}
        write_private(self.swap_journal.with_suffix(".tmp"), json.dumps(journal) + "\n")
        os.replace(self.swap_journal.with_suffix(".tmp"), self.swap_journal)
        self._finish_swap(staging, database)

    def _finish_swap(self, staging: Path, database: str) -> None:
        """Move the loaded store in (the current one aside first); safe to run again."""
        for part in SWAP_PARTS:
            loaded = self._store(database, part, staging / "home")
            if not loaded.exists():
                continue  # moved in already
            current = self._store(database, part)
            if current.exists():
                previous = staging / "previous" / part
                previous.parent.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(previous, ignore_errors=True)
                os.replace(current, previous)
            current.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.replace(loaded, current)
        self.swap_journal.unlink(missing_ok=True)

    def clean_leftovers(self) -> list[str]:
        """Finish a load killed while swapping stores in, and remove what killed dumps and
        loads left in ``$KB_HOME`` (their staging folders). Returns what was done."""
        done = []
        if self.swap_journal.exists():
            try:
                journal = json.loads(self.swap_journal.read_text())
                staging = Path(journal["staging"])
                database = str(journal["database"])
            except (ValueError, KeyError, TypeError, OSError):
                self.swap_journal.unlink(missing_ok=True)
            else:
                if staging.parent == self.home and staging.is_dir():
                    self._finish_swap(staging, database)
                    shutil.rmtree(staging, ignore_errors=True)
                    done.append(f"completed the load swapped in from {staging.name}")
                self.swap_journal.unlink(missing_ok=True)
        if self.home.is_dir():
            for prefix in (LOAD_PREFIX, DUMP_PREFIX):
                done += remove_stale_folders(self.home, prefix)
            if (self.home / "dumps").is_dir():
                done += remove_stale_folders(self.home / "dumps", DUMP_PREFIX)
        return done

    @contextlib.contextmanager
    def exclusive(self, what: str) -> Iterator[None]:
        """Hold ``$KB_HOME/server.lock`` while starting, dumping or loading.

        A server started while a load swaps stores in would run on half a database, and two
        loads at once would each move the other's store aside; the lock makes the second
        command stop at once, saying why. The kernel releases it when the process ends,
        killed or not, so there is no stale lock to clean up.

        Raises:
            ServerError: another kb process holds the lock.
        """
        private_folder(self.home)
        fd = os.open(self.home / ADMIN_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip()
                raise ServerError(
                    f"Another kb command ({holder or 'a kb server command'}) is working on "
                    f"the server in {self.home}; run kb server {what} again when it has "
                    "finished.",
                    ExitCode.USAGE,
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"kb server {what}, pid {os.getpid()}".encode(), 0)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _require_stopped(self, what: str) -> None:
        if self.is_running():
            raise ServerError(
                f"kb server {what} works on a stopped server (Neo4j Community dumps and loads "
                f"offline databases only). Run: kb server stop; kb server {what} ...; "
                "kb server start. For a copy while Neo4j runs, use kb backup.",
                ExitCode.USAGE,
            )

    def _admin(self, *args: str, home: Path | None = None) -> None:
        """Run neo4j-admin's AdminTool (in ``home``, by default the server's) and wait.

        AdminTool runs in a single JVM, a child of kb that the kernel kills when kb dies
        (PR_SET_PDEATHSIG): Neo4j's own launcher would start a second JVM that outlives a
        killed kb, still writing the dump or the store.
        """
        java = find_java()
        jars = ensure_jars(kb_cache())
        conf = self._write_config(jars)
        neo4j_home = home or self.neo4j_home
        for folder in ("data", "logs", "run"):
            (neo4j_home / folder).mkdir(parents=True, exist_ok=True, mode=0o700)
        env = {**os.environ, "NEO4J_HOME": str(neo4j_home), "NEO4J_CONF": str(conf)}
        classpath = f"{jars / 'plugins'}/*:{conf}/*:{jars / 'lib'}/*"
        command = [java, "-cp", classpath, "-Dfile.encoding=UTF-8", f"-Xmx{HEAP}", ADMIN_CLASS]
        done = subprocess.run(
            ["sh", "-c", 'umask 077\nexec "$@"', "sh", *command, *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            preexec_fn=die_with_parent(),  # noqa: PLW1509 - a prctl call, no lock taken
        )
        if done.returncode != 0:
            lines = (done.stdout + done.stderr).strip().splitlines()
            # Without neo4j-admin's progress lines ("Files: 39/71, data: 0.4%").
            tail = "\n".join([x for x in lines if not x.startswith(("Files:", "Done:"))][-8:])
            if "already exists" in tail or "overwrite-destination" in tail:
                raise ServerError(
                    Wording(
                        "The database already holds data; add {force} to replace it.\n{_tail}",
                        _tail=tail,
                    ),
                    ExitCode.USAGE,
                )
            raise ServerError(
                f"neo4j-admin {' '.join(args[:2])} failed; nothing was changed:\n{tail}"
            )

    def _write_config(self, jars: Path) -> Path:
        home = self.neo4j_home
        conf = home / "conf"
        for folder in ("conf", "data", "logs", "run", "import", "web"):
            # The Browser jar is served from the class path, but the server expects web/.
            (home / folder).mkdir(parents=True, exist_ok=True, mode=0o700)
        s = self.settings
        write_private(
            conf / "neo4j.conf",
            "# Written by kb on every start; edit kb/server.py instead.\n"
            "server.default_listen_address=127.0.0.1\n"
            "server.default_advertised_address=127.0.0.1\n"
            f"server.bolt.listen_address=127.0.0.1:{s.bolt_port}\n"
            f"server.bolt.advertised_address=127.0.0.1:{s.bolt_port}\n"
            f"server.http.listen_address=127.0.0.1:{s.http_port}\n"
            f"server.http.advertised_address=127.0.0.1:{s.http_port}\n"
            "server.https.enabled=false\n"
            "dbms.security.auth_enabled=true\n"
            f"server.memory.heap.initial_size={HEAP}\n"
            f"server.memory.heap.max_size={HEAP}\n"
            f"server.memory.pagecache.size={PAGE_CACHE}\n"
            "dbms.usage_report.enabled=false\n"
            # Keep transaction logs bounded; kb needs no point-in-time recovery.
            "db.tx_log.rotation.retention_policy=256M size\n"
            f"server.directories.plugins={jars / 'plugins'}\n"
            "dbms.security.procedures.unrestricted=apoc.*\n"
            "dbms.security.procedures.allowlist=apoc.*\n",
        )
        return conf


def _spawn_daemon(command: list[str], *, log: Path, cwd: Path) -> int:
    """Start ``command`` detached from kb (own session, reparented to init); return its pid.

    A shell in between exits at once, so the server outlives the kb process that started
    it and no child is left for Python to reap.
    """
    # umask 077: every file the server creates (store, transaction logs, logs) is the user's
    # alone.
    script = 'umask 077\nexec "$@" >>"$KB_LOG" 2>&1 </dev/null &\necho $!'
    done = subprocess.run(
        ["sh", "-c", script, "sh", *command],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "KB_LOG": str(log)},
        start_new_session=True,
        check=True,
    )
    return int(done.stdout.strip())


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); check /proc where it exists.
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            return stat.read_text().split(") ", 1)[1][0] != "Z"
        except (OSError, IndexError):
            return True
    return True


class DockerServer(LocalServer):
    """Neo4j 5.26 Community in Docker, from kb's packaged docker-compose.yml."""

    backend = "docker"

    def _compose(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        compose_file = resources.files("kb") / "resources" / "docker-compose.yml"
        env = {
            **os.environ,
            "NEO4J_AUTH": f"neo4j/{self.password()}",
            "KB_BOLT_PORT": str(self.settings.bolt_port),
            "KB_HTTP_PORT": str(self.settings.http_port),
        }
        project = "kb-" + re.sub(r"[^a-z0-9]+", "-", str(self.home).lower()).strip("-")[-40:]
        command = ["docker", "compose", "-f", str(compose_file), "-p", project, *args]
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if check and done.returncode != 0:
            raise ServerError(f"docker compose {' '.join(args)} failed:\n{done.stderr[-2000:]}")
        return done

    def start(self, *, timeout: float = 180.0, progress: Callable[[str], None] = print) -> None:
        if not docker_available():
            raise MissingDependencyError(
                Wording(
                    "No Docker engine answers. Start one, or use {backend} jvm (Java 17 + Maven)."
                )
            )
        if self.is_running():
            progress("Neo4j is already running in Docker.")
            return
        self._check_ports_free()
        self.home.mkdir(parents=True, exist_ok=True)
        progress("Starting Neo4j 5.26 in Docker...")
        self._compose("up", "-d")
        self._write_state()
        self._wait_for_bolt(timeout, alive=lambda: True)

    def stop(self, *, timeout: float = 60.0) -> bool:
        if not self.is_running():
            return False
        self._compose("stop", "-t", str(int(timeout)))
        return True

    def is_running(self) -> bool:
        if not docker_available():
            return False
        done = self._compose("ps", "-q", "--status", "running", check=False)
        return bool(done.stdout.strip())

    def log_tail(self, lines: int = 40) -> str:
        return self._compose("logs", "--tail", str(lines), check=False).stdout
