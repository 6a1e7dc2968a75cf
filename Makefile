# gradlab: two commands do all the set-up on a fresh machine with Python 3.10+, make and npm.
#   make book   build the HTML book (executes every notebook) into _build/html
#   make test   run every test, failing fast: lint, unit and property tests, notebooks (nbval),
#               the book build with -W, then the browser tests of the built site
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
# `make test` runs its steps in the order listed, also under -j.
.NOTPARALLEL:

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# jupyter_core warns (DeprecationWarning) until this opt-in is set; the tests treat warnings as errors.
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# JavaScript the built site serves itself (no CDN): fetched from npm at build time into
# _vendor/ (git-ignored), copied into the site by html_static_path (see _config.yml).
# html-manager 1.0.x is the embedder of ipywidgets 8 (@jupyter-widgets/controls 5, base 6).
MATHJAX_VERSION := 3.2.2
HTML_MANAGER_VERSION := 1.0.15
REQUIREJS_VERSION := 2.3.7
VENDOR := _vendor
VENDOR_STATIC := $(VENDOR)/static/npm
VENDOR_STAMP := $(VENDOR)/.fetched-mathjax$(MATHJAX_VERSION)-htmlmanager$(HTML_MANAGER_VERSION)-requirejs$(REQUIREJS_VERSION)

.PHONY: help book vendor serve test lint unit notebooks browser clean lab bench mutants repeat test-versions student book-nosolutions

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

vendor: $(VENDOR_STAMP)  ## fetch MathJax, require.js and the widget manager from npm into _vendor/

$(VENDOR_STAMP): Makefile
	@command -v npm >/dev/null || { echo "npm is needed to fetch MathJax and the widget manager: install Node.js (Debian: apt-get install npm)"; exit 1; }
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/packs $(VENDOR_STATIC)
	cd $(VENDOR)/packs && npm pack --silent --no-fund --no-audit \
	  mathjax@$(MATHJAX_VERSION) \
	  @jupyter-widgets/html-manager@$(HTML_MANAGER_VERSION) \
	  requirejs@$(REQUIREJS_VERSION) >/dev/null
	@# npm pack fetches each tarball alone (no dependencies: the dist bundles are self-contained).
	for pack in mathjax html-manager requirejs; do mkdir -p $(VENDOR)/unpacked/$$pack; done
	tar -xzf $(VENDOR)/packs/mathjax-$(MATHJAX_VERSION).tgz -C $(VENDOR)/unpacked/mathjax
	tar -xzf $(VENDOR)/packs/jupyter-widgets-html-manager-$(HTML_MANAGER_VERSION).tgz -C $(VENDOR)/unpacked/html-manager
	tar -xzf $(VENDOR)/packs/requirejs-$(REQUIREJS_VERSION).tgz -C $(VENDOR)/unpacked/requirejs
	@# MathJax: the browser components (es5/), fonts and on-demand extensions included.
	mv $(VENDOR)/unpacked/mathjax/package/es5 $(VENDOR_STATIC)/mathjax
	cp $(VENDOR)/unpacked/mathjax/package/LICENSE $(VENDOR_STATIC)/mathjax/LICENSE
	@# The widget embedder for require.js pages, with the icon fonts it loads next to itself.
	mv $(VENDOR)/unpacked/html-manager/package/dist $(VENDOR_STATIC)/html-manager
	rm -f $(VENDOR_STATIC)/html-manager/*.map $(VENDOR_STATIC)/html-manager/embed.js $(VENDOR_STATIC)/html-manager/libembed-amd.js
	cp $(VENDOR)/unpacked/requirejs/package/require.js $(VENDOR_STATIC)/require.js
	rm -rf $(VENDOR)/unpacked $(VENDOR)/packs
	@touch $@

book: $(STAMP) $(VENDOR_STAMP)  ## build the HTML book into _build/html
	$(BIN)/jupyter-book build . -W --keep-going
	@echo
	@echo "The book is at _build/html/index.html  (serve it: make serve)"

serve: book  ## build, then serve the book on http://127.0.0.1:8000
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 8000

lint: $(STAMP)  ## ruff over the package, tests and notebooks
	$(BIN)/ruff check .

unit: $(STAMP)  ## the pytest suite in tests/ and gradlab's docstring examples, except the browser tests
	$(BIN)/python -m pytest tests src/gradlab --doctest-modules -m "not browser"

notebooks: $(STAMP)  ## run every chapter notebook and compare its final check cell (nbval)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env notebooks

browser: $(STAMP)  ## browser tests of the last build (headless Chromium); run make book first
	$(BIN)/python -m pytest tests -m browser

test: lint unit notebooks book browser  ## run every test (builds the book once)

clean:  ## remove the built book and caches (keeps the virtual environment and _vendor/)
	rm -rf _build .pytest_cache .hypothesis .ruff_cache

lab: $(STAMP)  ## open the notebooks in JupyterLab (installs it into .venv the first time)
	@$(BIN)/python -c "import jupyterlab" 2>/dev/null || $(BIN)/python -m pip install --quiet jupyterlab
	$(BIN)/jupyter lab notebooks/

student: $(STAMP)  ## write the student notebooks (solutions stubbed, outputs cleared) into student/
	$(BIN)/gradlab student notebooks/ -o student/

book-nosolutions: $(STAMP) $(VENDOR_STAMP)  ## build the book with every solution left out (an instructor's own copy)
	$(BIN)/gradlab strip-solutions . -o _build/nosolutions
	$(BIN)/jupyter-book build _build/nosolutions -W --keep-going
	@echo "The book without solutions is at _build/nosolutions/_build/html/index.html"

bench: $(STAMP)  ## time the losses and the MLP against the floor of their matrix products
	$(BIN)/python benchmarks/bench_losses.py
	$(BIN)/python benchmarks/bench_mlp.py

mutants: $(STAMP)  ## break each gradient in gradlab once; the unit tests and chapter checks must go red
	$(BIN)/python scripts/mutation_test.py

repeat: $(STAMP)  ## run the notebook suite three times in a row; the results must be identical
	$(BIN)/python scripts/repeat_notebooks.py --runs 3

# The stack a student may meet elsewhere: the newest numpy and matplotlib this Python can
# install (Colab's is newer than our pins more often than not), and the oldest pyproject.toml admits.
# (matplotlib 3.8 with a pyparsing of its own time: newer pyparsing warns on its import.)
VERSIONS_VENV := .venv-versions
test-versions:  ## unit tests and notebooks with the newest, then the oldest supported numpy and matplotlib
	@if [ ! -x "$(VERSIONS_VENV)/bin/python" ]; then $(PYTHON) -m venv $(VERSIONS_VENV); fi
	$(VERSIONS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VERSIONS_VENV)/bin/python -m pip install --quiet -r requirements-test.txt
	for spec in "numpy matplotlib" "numpy==2.0.2 matplotlib==3.8.4 pyparsing==3.1.4"; do \
	  if [ "$$spec" = "numpy matplotlib" ]; then \
	    $(VERSIONS_VENV)/bin/python -m pip install --quiet --upgrade $$spec; \
	  else \
	    $(VERSIONS_VENV)/bin/python -m pip install --quiet $$spec; \
	  fi; \
	  $(VERSIONS_VENV)/bin/python -c "import numpy, matplotlib; print('== numpy', numpy.__version__, 'matplotlib', matplotlib.__version__)"; \
	  $(VERSIONS_VENV)/bin/python -m pytest -q tests src/gradlab --doctest-modules -m "not browser" \
	    --ignore=tests/test_site.py --ignore=tests/test_book_build.py; \
	  $(VERSIONS_VENV)/bin/python -m pytest -q --nbval-lax --nbval-current-env notebooks; \
	done
