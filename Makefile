# painrehab: the two commands of the README.
#   make demo  – install, migrate SQLite, load the demo clinic, serve on 127.0.0.1:8000
#                with DEBUG off (Swedish error pages; static files through WhiteNoise),
#                with the task worker and the outbox sweep running beside it
#   make test  – install what the tests need and run the suite on SQLite and PostgreSQL
#   make benchmarks – the benchmark suite of docs/benchmarks.md (about 15 min)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo test benchmarks install install-dev lint

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

install: $(PY)
	$(UV) pip install --quiet --python $(PY) -r requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .

install-dev: $(PY)
	$(UV) pip install --quiet --python $(PY) -r requirements-dev.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .

demo: install
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_demo_data
	$(PY) manage.py collectstatic --noinput --verbosity 0
	# The task worker and the outbox sweep run beside the server and stop
	# with it; the demo's e-mail and SMS stay on this machine (tmp/outbox/).
	PAINREHAB_DEBUG=0 bash -c '$(PY) manage.py run_demo_services & services=$$!; \
	  trap "kill $$services 2>/dev/null; wait $$services" EXIT; \
	  $(PY) manage.py runserver --nostatic 127.0.0.1:8000'

test: install-dev
	bash scripts/test.sh

benchmarks: install-dev
	$(PY) benchmarks/run_all.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
