# Every entry point a person or CI needs; each target sets the machine up first (quick when
# nothing changed), so a fresh clone needs nothing but `make run` or `make test`.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
BENCH_SECONDS ?= 60
BENCH_SESSIONS ?= 200
PYTHON_SOURCES := server game store workers inference bench tests scripts

.PHONY: setup run test check lint types bench screenshots

setup:
	bash scripts/setup.sh

run: setup
	$(VENV)/bin/drawstream up

# pytest exits 5 when it collects nothing; the grep also fails a run where everything was
# skipped, so a green result always means tests actually passed.
test: setup
	mkdir -p test-results
	$(PY) -m pytest -q -rfEs 2>&1 | tee test-results/pytest.log
	grep -Eq '[0-9]+ passed' test-results/pytest.log || { echo "no test passed" >&2; exit 1; }
	if [ -f client/package.json ] && node -e "process.exit(require('./client/package.json').scripts?.test ? 0 : 1)"; then \
		npm test --prefix client; fi

lint: setup
	$(VENV)/bin/ruff format --check $(PYTHON_SOURCES)
	$(VENV)/bin/ruff check $(PYTHON_SOURCES)

types: setup
	$(VENV)/bin/mypy $(PYTHON_SOURCES)

check: lint types test

bench: setup
	$(PY) -m bench.ingest --seconds $(BENCH_SECONDS) --sessions $(BENCH_SESSIONS)

# docs/screenshots/: /play, /watch, /lab and /admin from a real stack, real training jobs and Chromium.
screenshots: setup
	$(PY) -m scripts.screenshots
