"""A throwaway PostgreSQL server for the tests, and ``store_url``: a fresh empty database per test on
each backend (SQLite file, PostgreSQL database).

The server is started once per test session from the PostgreSQL binaries on this machine (found
with ``pg_config --bindir`` or under /usr/lib/postgresql/*/bin): ``initdb`` into a temporary folder,
``postgres`` listening on a free loopback port (and a unix socket in that folder), no password (trust
on loopback only). PostgreSQL refuses to run as root, so as root the server runs as the ``postgres``
system user. Without the binaries, the PostgreSQL tests skip saying what is missing (Debian/Ubuntu:
``apt-get install -y postgresql postgresql-contrib``; contrib holds the ``unaccent`` extension),
unless BABELWIRE_REQUIRE_POSTGRES=1 (CI), which makes that a failure.

Import the fixtures where they are used: ``from postgres import postgres_server, postgres_url, store_url``.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

INSTALL_HINT = "apt-get install -y postgresql postgresql-contrib"


def postgres_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None."""
    candidates = []
    if shutil.which("pg_config"):
        try:
            found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10).stdout.strip()
            candidates.append(Path(found))
        except (OSError, subprocess.SubprocessError):
            pass
    # Debian keeps the server binaries out of PATH, one folder per major version: newest first.
    versioned = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0, reverse=True)
    candidates.extend(Path(p) for p in versioned)
    for folder in candidates:
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def unaccent_available(bindir: Path) -> bool:
    """Whether the ``unaccent`` extension (postgresql-contrib) is installed for these binaries."""
    try:
        sharedir = subprocess.run([str(bindir / "pg_config"), "--sharedir"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        sharedir = ""
    if not sharedir:  # Debian: /usr/lib/postgresql/15/bin -> /usr/share/postgresql/15
        sharedir = f"/usr/share/postgresql/{bindir.parent.name}"
    return Path(sharedir, "extension", "unaccent.control").exists()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Tests need no durability: nothing is flushed to disk.
TEST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class ThrowawayServer:
    """A PostgreSQL cluster in a temporary folder, removed by ``stop``. ``settings`` are server
    options (``name=value``) on top of PostgreSQL's defaults."""

    def __init__(self, bindir: Path, *, settings: tuple[str, ...] = TEST_SETTINGS):
        self.bindir = bindir
        self.settings = settings
        self.folder = Path(tempfile.mkdtemp(prefix="babelwire-pg-"))
        self.data = self.folder / "data"
        self.port = 0
        self._as_user: list[str] = []
        self._names = itertools.count(1)

    def _run(self, *command: str, timeout: float = 120) -> subprocess.CompletedProcess:
        done = subprocess.run([*self._as_user, *command], capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-2000:]}")
        return done

    def start(self) -> "ThrowawayServer":
        if os.geteuid() == 0:
            # PostgreSQL will not run as root: the server runs as the postgres system user (made
            # by Debian's postgresql package), which owns the folder.
            runuser = shutil.which("runuser")
            if runuser is None:
                raise RuntimeError("running as root, PostgreSQL must be started as another user, and runuser is missing")
            try:
                shutil.chown(self.folder, "postgres", "postgres")
            except LookupError:
                raise RuntimeError(f"running as root, PostgreSQL must run as the 'postgres' user, which does not exist; {INSTALL_HINT}") from None
            self._as_user = [runuser, "-u", "postgres", "--"]
        # UTF-8 with a UTF-8 character classification (the text search parser needs it to see
        # accented letters as letters) and byte-order collation (ordering as SQLite orders).
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                  "--lc-ctype=C.UTF-8", "--lc-collate=C", "--no-sync")
        options = ["-c listen_addresses=127.0.0.1", f"-k {self.folder}", "-c max_connections=200"]
        options += [f"-c {setting}" for setting in self.settings]
        for attempt in range(5):
            self.port = free_port()
            try:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-t", "60",
                          "-o", " ".join([f"-p {self.port}", *options]), "start")
                return self
            except RuntimeError:
                if attempt == 4:
                    log = (self.folder / "server.log").read_text(errors="replace")[-2000:] if (self.folder / "server.log").exists() else ""
                    raise RuntimeError(f"PostgreSQL did not start on port {self.port}: {log}") from None
                time.sleep(0.5)
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self):
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True)

    def create_database(self, prefix: str = "babelwire_test") -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        from psycopg import sql

        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with self._admin() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        from psycopg import sql

        name = url.rsplit("/", 1)[1]
        with self._admin() as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def stop(self) -> None:
        if self.port and self.data.exists():
            try:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
            except (RuntimeError, subprocess.SubprocessError):
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server(settings: tuple[str, ...] = TEST_SETTINGS) -> ThrowawayServer:
    """A started server, or RuntimeError naming what is missing."""
    bindir = postgres_bindir()
    if bindir is None:
        raise RuntimeError(f"no PostgreSQL server binaries (initdb, pg_ctl, postgres) found via pg_config or /usr/lib/postgresql/*/bin; install them: {INSTALL_HINT}")
    if not unaccent_available(bindir):
        raise RuntimeError(f"the PostgreSQL 'unaccent' extension is not installed for {bindir}; install it: {INSTALL_HINT}")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise RuntimeError("the psycopg package (PostgreSQL driver) is not installed: pip install 'psycopg[binary]'") from None
    server = ThrowawayServer(bindir, settings=settings)
    try:
        return server.start()
    except Exception:
        server.stop()
        raise


# One server per process, however many modules import the fixtures.
_server: ThrowawayServer | None = None
_server_problem: str | None = None


@pytest.fixture(scope="session")
def postgres_server():
    global _server, _server_problem
    if _server is None and _server_problem is None:
        try:
            _server = start_server()
        except RuntimeError as problem:
            _server_problem = str(problem)
    if _server is None:
        if os.environ.get("BABELWIRE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (BABELWIRE_REQUIRE_POSTGRES=1): {_server_problem}")
        pytest.skip(f"PostgreSQL tests skipped: {_server_problem}")
    yield _server
    if _server is not None:
        _server.stop()
        _server = None
        _server_problem = "the server was stopped at the end of the session"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh empty database for one test, on each backend in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh empty PostgreSQL database for one test."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)
