# Officina 4.0 — `make run` serves the app locally, `make test` runs the whole suite.
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PO := $(wildcard lms/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run test install lint translations extract-messages bench clean

install: $(STAMP) $(MO)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

run: install
	$(BIN)/lms db upgrade
	$(BIN)/lms content sync
	$(BIN)/lms demo
	$(BIN)/lms run --port $(PORT)

# One worker process per core (pytest-xdist; a test file stays on one worker, so its module-scoped live server
# is made once). TEST_WORKERS=0 runs everything in this process, e.g. with --pdb: make test TEST_ARGS=--pdb.
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(TEST_ARGS)

# Speed of the most used pages next to a minimal Flask page, on SQLite and PostgreSQL (bench/run.py --help).
# Prints figures, never fails on them. BENCH_ARGS="--databases sqlite --seconds 3" for a quick look.
bench: install
	command -v wrk >/dev/null || apt-get install -y wrk
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check lms tests bench

# Refresh the catalogue of translatable strings after changing templates or code.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -o lms/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache
