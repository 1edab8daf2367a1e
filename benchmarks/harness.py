"""Shared pieces of the benchmark scripts: a throwaway PostgreSQL, Django, gunicorn.

    with postgres_cluster() as env:          # env: os.environ + PAINREHAB_DB_*
        django_setup(env)                    # in this process, against that cluster
        with gunicorn(env, workers=2) as url:  # http://127.0.0.1:PORT
            ...

The cluster runs as scripts/test.sh starts it (initdb as the postgres user
when we are root, 127.0.0.1 only, fsync off unless `durable=True`) and is
removed afterwards unless `keep=True`.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
TMP = Path(tempfile.gettempdir())  # where the scripts write their figures and logs


def first_group(pattern: re.Pattern[str], text: str, what: str) -> str:
    """The first group of `pattern` in a page; RuntimeError naming `what` if absent."""
    found = pattern.search(text)
    if found is None:
        raise RuntimeError(f"no {what} on the page")
    return found.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """A running PostgreSQL cluster; `restart()` stops and starts it in place."""

    pgbin: Path
    data: Path
    port: int
    env: dict[str, str]
    start_options: str  # what `start` was first given (a restart reuses it)

    @property
    def _as_postgres(self) -> list[str]:
        return ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self._as_postgres, self.pgbin / "pg_ctl", "-D", self.data, *args],
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")

    def start(self, options: str) -> None:
        self.pg_ctl("-l", str(self.data / "server.log"), "-w", "-o", options, "start")


def _cluster(data: Path, database: str, *, durable: bool = False) -> Cluster:
    """A Cluster on a free port of 127.0.0.1 for `data` (not yet started)."""
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    port = free_port()
    env = os.environ | {
        "PAINREHAB_DB_HOST": "127.0.0.1",
        "PAINREHAB_DB_PORT": str(port),
        "PAINREHAB_DB_NAME": database,
    }
    # random_page_cost 1.1: the usual setting for SSDs or a database held in
    # memory (the README's production notes recommend it); the default 4 is
    # for spinning disks and makes the planner scan where an index is cheaper.
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c max_connections=300"
        " -c random_page_cost=1.1"
    )
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    return Cluster(pgbin, data, port, env, options)


def _stop_quietly(cluster: Cluster) -> None:
    try:
        cluster.stop()
    except subprocess.CalledProcessError:
        pass


@contextmanager
def postgres_cluster(
    *, durable: bool = False, keep: bool = False, database: str = "painrehab"
) -> Iterator[Cluster]:
    """Start a throwaway cluster with one empty database; yield it."""
    data = Path(tempfile.mkdtemp(prefix="pgbench."))
    cluster = _cluster(data, database, durable=durable)
    pgbin, port = cluster.pgbin, cluster.port
    if os.getuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    subprocess.run(
        [*cluster._as_postgres, pgbin / "initdb", "-D", data, "-U", "postgres",
         "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
        check=True, capture_output=True,
    )  # fmt: skip
    cluster.start(cluster.start_options)
    try:
        subprocess.run(
            [pgbin / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
             database],
            check=True, env=cluster.env,
        )  # fmt: skip
        yield cluster
    finally:
        _stop_quietly(cluster)
        if not keep:
            shutil.rmtree(data, ignore_errors=True)


def django_setup(env: dict[str, str] | None = None) -> None:
    """Set up Django in this process (against `env`'s database when given)."""
    if env:
        os.environ.update({k: v for k, v in env.items() if k.startswith("PAINREHAB_")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painrehab.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int = 2, threads: int = 1, port: int | None = None
) -> Iterator[str]:
    """Serve painrehab with gunicorn on 127.0.0.1; yield its base URL."""
    port = port or free_port()
    process = start_gunicorn(env, workers=workers, threads=threads, port=port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_gunicorn(process)


def start_gunicorn(
    env: dict[str, str], *, workers: int, threads: int, port: int
) -> subprocess.Popen:
    """Start gunicorn and wait until it answers; `stop_gunicorn` ends it."""
    process = subprocess.Popen(
        [VENV_BIN / "gunicorn", "painrehab.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads),
         "--access-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env=env | {"PAINREHAB_DB_CONN_MAX_AGE": "60", "PAINREHAB_DEBUG": "0"},
        stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            # bandit B310: http://127.0.0.1 built here
            urllib.request.urlopen(  # nosec B310
                f"http://127.0.0.1:{port}/konto/logga-in/", timeout=2
            )
            return process
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(process)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop_gunicorn(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Signal the whole gunicorn process group (SIGKILL kills it mid-request)."""
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    process.wait(timeout=30)


@contextmanager
def existing_cluster(data: Path, *, database: str = "painrehab") -> Iterator[Cluster]:
    """Start a cluster kept by `postgres_cluster(keep=True)` again; stop it after.

    The data directory stays, so a benchmark can be re-run without reloading.
    """
    cluster = _cluster(data, database)
    cluster.start(cluster.start_options)
    try:
        yield cluster
    finally:
        _stop_quietly(cluster)


@contextmanager
def gunicorn_timed(
    env: dict[str, str], *, access_log: Path, workers: int = 2, port: int | None = None
) -> Iterator[str]:
    """Like `gunicorn`, writing an access log of server times to `access_log`.

    One line per request: the request's X-Bench header, the status and
    gunicorn's `%(D)s`, the microseconds from reading the request to having
    written the response (the server's time, no client or network in it).
    """
    port = port or free_port()
    process = subprocess.Popen(
        [VENV_BIN / "gunicorn", "painrehab.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--access-logfile", str(access_log),
         "--access-logformat", "%({x-bench}i)s %(s)s %(D)s", "--log-level", "warning"],
        cwd=ROOT, env=env | {"PAINREHAB_DB_CONN_MAX_AGE": "60", "PAINREHAB_DEBUG": "0"},
        stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            # bandit B310: http://127.0.0.1 built here
            urllib.request.urlopen(  # nosec B310
                f"http://127.0.0.1:{port}/konto/logga-in/", timeout=2
            )
            break
        except OSError:
            if time.monotonic() > deadline:
                stop_gunicorn(process)
                raise RuntimeError("gunicorn did not answer within 30 s") from None
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_gunicorn(process)
