# gradlab: two commands do all the set-up on a fresh machine with Python 3.10+.
#   make book   build the HTML book (executes every notebook) into _build/html
#   make test   run every test: lint, unit and property tests, notebooks (nbval), the book
#               build with -W, and the browser tests of the built site
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# jupyter_core warns (DeprecationWarning) until this opt-in is set; the tests treat warnings as errors.
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help book serve test lint unit notebooks clean lab

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	@if [ ! -x "$(BIN)/python" ]; then \
	  echo "Creating the virtual environment $(VENV) with $(PYTHON)"; \
	  $(PYTHON) -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	@# Warm matplotlib's font cache once, so its first-run message never lands in a notebook output.
	$(BIN)/python -c "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt; plt.figure()"
	@touch $@

book: $(STAMP)  ## build the HTML book into _build/html
	$(BIN)/jupyter-book build . -W --keep-going
	@echo
	@echo "The book is at _build/html/index.html  (serve it: make serve)"

serve: book  ## build, then serve the book on http://127.0.0.1:8000
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 8000

lint: $(STAMP)  ## ruff over the package, tests and notebooks
	$(BIN)/ruff check .

unit: $(STAMP)  ## the pytest suite in tests/ (also builds the book and runs the browser tests)
	$(BIN)/python -m pytest tests

notebooks: $(STAMP)  ## run every chapter notebook and compare its final check cell (nbval)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env notebooks

test: lint unit notebooks  ## run every test

clean:  ## remove the built book and caches (keeps the virtual environment)
	rm -rf _build .pytest_cache .hypothesis .ruff_cache

lab: $(STAMP)  ## open the notebooks in JupyterLab (installs it into .venv the first time)
	@$(BIN)/python -c "import jupyterlab" 2>/dev/null || $(BIN)/python -m pip install --quiet jupyterlab
	$(BIN)/jupyter lab notebooks/
