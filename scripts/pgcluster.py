"""Throwaway PostgreSQL servers for pgdrift's benchmark scripts.

Shared by ``scripts/bench-introspect`` and ``scripts/bench-compile`` (Python
3.11, standard library only). Import it from a script in ``scripts/`` with::

    sys.dont_write_bytecode = True  # no __pycache__ in scripts/
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import pgcluster

What it provides:

- ``open_server()``: the server to benchmark against. ``BENCH_DATABASE_URL``
  (a role allowed to create databases) selects an existing server
  (``ExternalServer``: bench databases are dropped again by ``stop()``);
  otherwise a ``Cluster``: initdb in a temporary directory, 127.0.0.1 on a
  free port, fsync off, run as the ``postgres`` user when we are root, and
  (by default) every statement logged with the client's application_name as
  prefix. ``stop()`` shuts it down and deletes the directory; a watchdog
  process does the same if the script dies without cleaning up (SIGKILL).
  Call ``server.stop`` from ``atexit`` and a ``finally`` block, and
  ``install_signal_handlers()`` so SIGTERM/SIGHUP unwind like Ctrl-C.
- Both server kinds offer ``start()``, ``url(database, **params)``,
  ``create_database(name)``, ``drop_database(name)``, ``stop()``,
  ``bin_dir`` and ``log_path`` (the server log, or None).
- Helpers: ``find_bin_dir``, ``program``, ``free_port``, ``with_database``,
  ``psql`` (one command), ``psql_file`` (a script), ``server_version``,
  ``cpu_model``, ``log`` and ``BenchError`` (a step failed; its message says
  which and why).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path


class BenchError(Exception):
    """A step failed; the message says which and why."""


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP exit through SystemExit, so cleanup runs."""
    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGHUP, exit_on_signal)


def find_bin_dir() -> Path | None:
    """The server binaries: `initdb` on PATH (resolved), else the newest
    /usr/lib/postgresql/*/bin."""
    has_server = lambda d: (d / "initdb").is_file() and (d / "postgres").is_file()  # noqa: E731
    initdb = shutil.which("initdb")
    if initdb:
        real = Path(os.path.realpath(initdb)).parent
        if has_server(real):
            return real
    versions = []
    for entry in Path("/usr/lib/postgresql").glob("*/bin"):
        if entry.parent.name.isdigit() and has_server(entry):
            versions.append((int(entry.parent.name), entry))
    return max(versions)[1] if versions else None


def program(bin_dir: Path | None, name: str) -> str:
    """A PostgreSQL client program from the server's bin dir, else from PATH."""
    if bin_dir and (bin_dir / name).is_file():
        return str(bin_dir / name)
    found = shutil.which(name)
    if not found:
        raise BenchError(f"{name} not found (install the PostgreSQL client)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_database(url: str, database: str, **params: str) -> str:
    """`url` pointing at `database`, application_name dropped, `params` added."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query)
             if k != "application_name"]
    query += list(params.items())
    return urllib.parse.urlunsplit(parts._replace(
        path="/" + database, query=urllib.parse.urlencode(query, safe="/")))


# The watchdog stops postgres and deletes the directory if this script dies
# without running its cleanup (SIGKILL).
WATCHDOG = r"""trap '' INT HUP TERM
while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 0.5; done
kill -INT "$2" 2>/dev/null
i=0; while kill -0 "$2" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
kill -KILL "$2" 2>/dev/null
rm -rf "$3"
"""


class Cluster:
    """A throwaway cluster in a temporary directory; with `log_statements`
    (the default) the server log records every statement, prefixed `app|`."""

    def __init__(self, bin_dir: Path, log_statements: bool = True,
                 settings: dict[str, str] | None = None):
        self.bin_dir = bin_dir
        self.log_statements = log_statements
        self.extra_settings = dict(settings or {})
        self.user: str | None = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            try:
                entry = pwd.getpwnam("postgres")
            except KeyError:
                raise BenchError("running as root needs a `postgres` user to run the cluster as")
            self.user = "postgres"
        self.dir = Path(tempfile.mkdtemp(prefix="pgdrift-bench-"))
        if self.user:
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.data = self.dir / "data"
        self.log_path: Path | None = self.dir / "postgres.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def _as_server_user(self) -> dict:
        """Popen arguments that run a program as the cluster's owner."""
        if self.user is None:
            return {}
        return {"user": self.user, "group": pwd.getpwnam(self.user).pw_gid, "extra_groups": []}

    def start(self) -> None:
        log(f"starting PostgreSQL from {self.bin_dir} in {self.dir}")
        env = dict(os.environ, LC_ALL="C", HOME=str(self.dir))
        initdb = subprocess.run(
            [str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres",
             "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
            cwd=self.dir, env=env, capture_output=True, text=True,
            **self._as_server_user())
        if initdb.returncode != 0:
            raise BenchError(f"initdb failed:\n{initdb.stdout}{initdb.stderr}")
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "unix_socket_directories": str(self.dir),
            "max_locks_per_transaction": "256",
            "log_statement": "all" if self.log_statements else "none",
            "log_line_prefix": "%a|",
            **self.extra_settings,
        }
        with open(self.data / "postgresql.auto.conf", "a") as conf:
            for key, value in settings.items():
                conf.write(f"{key} = '{value}'\n")
        with open(self.log_path, "ab") as log_file:
            self.process = subprocess.Popen(
                [str(self.bin_dir / "postgres"), "-D", str(self.data)],
                cwd=self.dir, env=env, stdin=subprocess.DEVNULL,
                stdout=log_file, stderr=log_file,
                start_new_session=True,  # Ctrl-C is ours to handle, not postgres's
                **self._as_server_user())
        subprocess.Popen(
            ["sh", "-c", WATCHDOG, "bench-watchdog", str(os.getpid()),
             str(self.process.pid), str(self.dir)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        psql = str(self.bin_dir / "psql")
        while True:
            if self.process.poll() is not None:
                raise BenchError(f"postgres exited:\n{self.log_tail()}")
            probe = subprocess.run(
                [psql, "-X", "-Atq", "-d", self.url("postgres"), "-c", "SELECT 1"],
                capture_output=True, text=True)
            if probe.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise BenchError(f"postgres did not start:\n{self.log_tail()}")
            time.sleep(0.1)

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def url(self, database: str, **params: str) -> str:
        query = urllib.parse.urlencode({"sslmode": "disable", **params})
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}?{query}"

    def create_database(self, name: str) -> None:
        psql(self.bin_dir, self.url("postgres"), f"CREATE DATABASE {name}")

    def drop_database(self, name: str) -> None:
        # The cluster goes at exit, but a big database's files (gigabytes at
        # 50,000 tables) should not wait for the next ones.
        psql(self.bin_dir, self.url("postgres"), f"DROP DATABASE IF EXISTS {name}")

    def stop(self) -> None:
        """Stops postgres (fast shutdown) and deletes the directory; idempotent."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.dir.exists():
            shutil.rmtree(self.dir, ignore_errors=True)


class ExternalServer:
    """The server BENCH_DATABASE_URL names; bench databases are dropped after use."""

    def __init__(self, admin_url: str, bin_dir: Path | None):
        self.admin_url = admin_url
        self.bin_dir = bin_dir
        server_log = os.environ.get("BENCH_SERVER_LOG", "").strip()
        self.log_path: Path | None = Path(server_log) if server_log else None
        self.created: list[str] = []

    def start(self) -> None:
        log("using the server in BENCH_DATABASE_URL")

    def url(self, database: str, **params: str) -> str:
        return with_database(self.admin_url, database, **params)

    def create_database(self, name: str) -> None:
        psql(self.bin_dir, self.admin_url, f"DROP DATABASE IF EXISTS {name}")
        psql(self.bin_dir, self.admin_url, f"CREATE DATABASE {name}")
        self.created.append(name)

    def drop_database(self, name: str) -> None:
        psql(self.bin_dir, self.admin_url, f"DROP DATABASE IF EXISTS {name}")
        self.created.remove(name)

    def stop(self) -> None:
        for name in list(self.created):
            try:
                self.drop_database(name)
            except BenchError as e:
                log(f"could not drop {name}: {e}")


def open_server(log_statements: bool = True) -> Cluster | ExternalServer:
    """The server in BENCH_DATABASE_URL, else a new (not yet started) Cluster."""
    bin_dir = find_bin_dir()
    external = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if external:
        return ExternalServer(external, bin_dir)
    if bin_dir is None:
        raise BenchError("no PostgreSQL server binaries (initdb on PATH or /usr/lib/postgresql/*/bin); "
                         "install them or set BENCH_DATABASE_URL")
    return Cluster(bin_dir, log_statements=log_statements)


def psql(bin_dir: Path | None, url: str, sql: str) -> str:
    """Runs one SQL command; returns its unaligned, tuples-only output."""
    result = subprocess.run(
        [program(bin_dir, "psql"), "-X", "-Atq", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
        capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(f"psql failed on {sql[:60]!r}: {result.stderr.strip()}")
    return result.stdout.strip()


def psql_file(bin_dir: Path | None, url: str, path: Path, what: str,
              env: dict | None = None) -> None:
    """Runs the psql script `path`, stopping at the first error (then raising
    "`what` failed: ..."); its output is discarded."""
    result = subprocess.run(
        [program(bin_dir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
         "-d", url, "-f", str(path)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise BenchError(f"{what} failed: {result.stderr.strip()}")


def server_version(server) -> str:
    return psql(server.bin_dir, server.url("postgres"), "SHOW server_version")


def cpu_model() -> str:
    """The first `model name` of /proc/cpuinfo, or "" where there is none."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""
