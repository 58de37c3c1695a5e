# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app app
# A per-checkout secret kept in instance/ (git-ignored), so logins survive restarts.
WITH_SECRET = SECRET_KEY="$$(cat instance/secret_key)"

.PHONY: run test lint bench bench-http bench-large check serve

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

instance/secret_key:
	mkdir -p instance
	$(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > $@

## run: install, migrate, load the bank, print demo accounts, serve on http://127.0.0.1:5000
run: $(VENV)/.installed instance/secret_key
	$(WITH_SECRET) $(FLASK) db upgrade
	$(WITH_SECRET) $(FLASK) bank load
	$(WITH_SECRET) $(FLASK) users demo
	@echo "打开 http://127.0.0.1:5000 （Ctrl-C 停止）"
	$(WITH_SECRET) $(FLASK) run --host 127.0.0.1 --port 5000

## serve: the same app under gunicorn (2 workers)
serve: $(VENV)/.installed instance/secret_key
	$(WITH_SECRET) $(VENV)/bin/gunicorn --bind 127.0.0.1:5000 --workers 2 'app:app'

## test: the whole suite (set DATABASE_URL to run it on PostgreSQL)
test: $(VENV)/.installed
	$(PY) -m pytest

check: $(VENV)/.installed instance/secret_key
	$(WITH_SECRET) $(FLASK) bank check

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

bench: $(VENV)/.installed
	$(PY) bench/bench_scoring.py

## bench-http: every page under gunicorn as a ratio to /healthz (small data; chromium for the practice page)
bench-http: $(VENV)/.installed
	$(PY) bench/bench_http.py --browser

## bench-large: fill a large SQLite database (LARGE_DB) once, then compare the lists at small and large data
LARGE_DB ?= sqlite:///$(CURDIR)/instance/bench-large.sqlite3
bench-large: $(VENV)/.installed
	$(PY) bench/fill.py --database-url $(LARGE_DB)
	$(PY) bench/bench_http.py --large $(LARGE_DB)
