# The two commands of the README: `make run` and `make test`. Both set up what they need first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test setup build screenshots relazione-docs clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

build: setup
	$(PY) -m cruscotto build

# For a developer on their own computer: local single-user mode (whoever opens the app may upload and restore).
# Without it the app is read-only unless an editor password is configured; `CRUSCOTTO_MODALITA_LOCALE=0 make run`
# shows it as a shared installation would. A configured password always wins over this.
CRUSCOTTO_MODALITA_LOCALE ?= 1

run: setup
	@echo "make run: CRUSCOTTO_MODALITA_LOCALE=$(CRUSCOTTO_MODALITA_LOCALE) (1 = modalità locale a utente singolo: chi apre l'app può caricare dati; vedere il README)"
	CRUSCOTTO_MODALITA_LOCALE=$(CRUSCOTTO_MODALITA_LOCALE) $(PY) -m streamlit run app.py --server.port $(PORT)

# The tests in two steps: the tests without a browser on every core (pytest-xdist; a whole file per worker, so that
# each module's fixtures build their store once), then the browser tests alone, so that the browser and the
# servers it drives have the machine to themselves (their waits are generous, never timed). On this 2-core
# machine the first step went from 11 to 7,5 minutes. `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= auto
test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --ignore=tests/e2e
	$(PY) -m pytest tests/e2e

# A PNG of every page of app.py under docs/screenshots/, drawn by chromium against a temporary store.
screenshots: setup
	$(PY) tests/e2e/screenshots.py
	$(PY) tests/e2e/screenshots.py --width 390 --pages panoramica andamenti --suffix _390

# The pictures of the Relazione under docs/relazione/ (the 2019 Relazione of data/, a few pages; needs pdftoppm).
relazione-docs: setup
	$(PY) docs/relazione/make_pages.py

clean:
	rm -rf $(VENV) data/cruscotto.duckdb data/cruscotto.duckdb.wal
