"""No patient-link token reaches a log line: runserver's request log, Django's
own warnings, and gunicorn's access and error logs (started for real)."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "Zq8xLinkTokenThatMustNotLeak_4711"
PERSONNUMMER = "19121212-1212"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> dict[str, str]:  # noqa: ANN001
    path = tmp_path_factory.mktemp("logs") / "db.sqlite3"
    env = os.environ | {"PAINREHAB_SQLITE_PATH": str(path), "PAINREHAB_DEBUG": "0"}
    env.pop("PAINREHAB_DB_HOST", None)  # a database of its own, on SQLite
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


def _ask(port: int, path: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            # bandit B310: a URL to 127.0.0.1 built here
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)  # nosec B310
            return
        except urllib.error.HTTPError:
            return  # any answer will do; what matters is the log line
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _requests(port: int) -> None:
    _ask(port, "/konto/logga-in/")  # wait until it answers
    _ask(port, f"/f/{TOKEN}/")
    _ask(port, f"/f/{TOKEN}/sida/2/?pnr={PERSONNUMMER}")
    _ask(port, f"/f/{TOKEN}/finns-inte/")  # a 404: Django's "Not Found" warning


def _stop(process: subprocess.Popen) -> str:
    process.terminate()
    out, _ = process.communicate(timeout=30)
    return out


def test_runserver_logs_no_token(database):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=database | {"PAINREHAB_DEBUG": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _requests(port)
    finally:
        log = _stop(process)
    assert "/f/[token]/" in log  # the requests were logged, scrubbed
    assert TOKEN not in log
    assert PERSONNUMMER not in log


def test_gunicorn_logs_no_token(database, tmp_path):
    port = _free_port()
    access, error = tmp_path / "access.log", tmp_path / "error.log"
    process = subprocess.Popen(
        [
            Path(sys.executable).parent / "gunicorn",
            "painrehab.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access),
            "--error-logfile",
            str(error),
            "--log-level",
            "debug",
        ],
        cwd=ROOT,  # gunicorn.conf.py is read from here
        env=database,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _requests(port)
    finally:
        out = _stop(process)
    logs = access.read_text() + error.read_text() + out
    assert '"GET /f/[token]/ HTTP/1.1" 404' in access.read_text()
    assert TOKEN not in logs
    assert PERSONNUMMER not in logs
