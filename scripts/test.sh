#!/usr/bin/env bash
# Runs the whole suite twice: on SQLite, then on a throwaway PostgreSQL cluster
# on 127.0.0.1 that this script starts and stops. Installs Debian's chromium and
# postgresql first when they are missing (the machine is Debian; we are root in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

# The PostgreSQL pass runs with the whole clock moved, so a test that compares
# with a literal "today" fails on the day it is written. PAINREHAB_TEST_DATE
# (an ISO date, or a date-time with its offset) repeats a run; otherwise a
# moment one to three years ahead is drawn. The SQLite pass keeps the real date.
CLOCK=${PAINREHAB_TEST_DATE:-$($PY -c '
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
now = datetime.now(ZoneInfo("Europe/Stockholm")).replace(second=0, microsecond=0)
later = now + timedelta(days=random.randint(365, 3 * 365))
at = later.replace(hour=random.randint(0, 23), minute=random.randint(0, 40))
print(at.isoformat())')}
unset PAINREHAB_TEST_DATE
echo "== PostgreSQL pass runs at PAINREHAB_TEST_DATE=$CLOCK (set it to repeat this run)"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need_apt[*]}"
  SUDO=(); [ "$(id -u)" = 0 ] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "== checks"
$PY manage.py makemigrations --check --dry-run >/dev/null || { echo "missing migrations"; exit 1; }
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "unformatted code: .venv/bin/ruff format --check ."; exit 1; }
# The apps' layers (pyproject [tool.importlinter]): an import upward fails.
.venv/bin/lint-imports --no-logo --no-cache >/dev/null || { echo "an app imports one above it: .venv/bin/lint-imports"; exit 1; }
# Clean: each reviewed finding is marked `# nosec` with its reason on the line above
# (docs/benchmarks.md, "bandit"); any new one fails.
.venv/bin/bandit -c pyproject.toml -r painrehab benchmarks -q
# The type gate: files and strictness in pyproject.toml ([tool.mypy]).
.venv/bin/mypy || { echo "type errors: .venv/bin/mypy"; exit 1; }
PAINREHAB_PRODUCTION=1 PAINREHAB_SECRET_KEY="$($PY -c 'import secrets;print(secrets.token_hex(40))')" \
  PAINREHAB_ALLOWED_HOSTS=painrehab.example.com \
  $PY manage.py check --deploy --fail-level WARNING

echo "== suite on SQLite"
.venv/bin/pytest -q "$@"

echo "== suite on PostgreSQL, clock at $CLOCK"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDATA=$(mktemp -d /tmp/pgtest.XXXXXX)
PORT=$($PY -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
AS=(); if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDATA"; AS=(runuser -u postgres --); fi
"${AS[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
trap '"${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null; rm -rf "$PGDATA"' EXIT
PAINREHAB_TEST_DATE=$CLOCK PAINREHAB_DB_HOST=127.0.0.1 PAINREHAB_DB_PORT=$PORT \
  PAINREHAB_DB_CONN_MAX_AGE=0 .venv/bin/pytest -q "$@"
