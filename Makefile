# One vocabulary for people and CI: make run, make test, make test-fast, make lint, make check, make bench.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint check bench browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Launch the dashboard on the bundled data (errors shown in full: this is development).
## It opens at http://localhost:$(PORT) (8501 unless given: make run PORT=8600).
PORT ?= 8501
run: $(STAMP)
	$(PY) -m streamlit run dashboard.py --client.showErrorDetails=full --server.port $(PORT)

## Run every check and test: lint (ruff, formatting, mypy), data, package, app pages, the real
## browser, and the fresh-environment installs. CI's command.
test: lint browser
	$(PY) -m pytest

## The quick loop while working: unit and AppTest tests, no browser, no installs, on every core.
test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not browser and not slow" -n auto

## Make sure a Chromium-family browser is there for the browser tests.
browser:
	@bash scripts/ensure-browser.sh

## ruff (checks and formatting) and mypy (chronology/, pages/, dashboard.py).
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

## Validate a data directory (DATA=path, default: the bundled data).
check: $(STAMP)
	$(PY) -m chronology check $(or $(DATA),data)

## Measure speed on the bundled and generated data (figures: bench/README.md).
## Options go in BENCH, e.g. make bench BENCH="--sizes bundled,1000 --runs 3 --record".
bench: $(STAMP) browser
	$(PY) bench/run.py $(BENCH)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache test-artifacts
