# The two set-up commands of the README: `make run` and `make test`.
# Both need only Python 3.11 on the PATH; everything else goes into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST_PORT ?= 127.0.0.1:8000
# Every target here is for development on your own machine: debugging on (the settings default
# to production, with DEBUG off and a secret key required). The tests set it themselves too.
export DJANGO_DEBUG ?= true

.PHONY: run test lint check-deploy bench bench-baseline clean venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when requirements.txt changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

# Links in the demo's messages and e-mails name the address it serves on.
run: export PORTAL_BASE_URL ?= http://$(HOST_PORT)
run: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving SSO Portal on http://$(HOST_PORT)/ (admin: http://$(HOST_PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST_PORT)

# The suite runs in parallel (pytest-xdist): TEST_WORKERS processes, "auto" for one per CPU
# core, 0 for a single process (e.g. make test TEST_WORKERS=0). loadgroup keeps the browser tests
# on one worker and the integration tests on one worker (tests/conftest.py); no-loadscope-reorder
# keeps those groups in pytest-django's order, after the database tests, as the transactional
# tests empty the database.
TEST_WORKERS ?= auto

# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE): without
# it every run, in every worker and every subprocess, compiles the project again and pytest
# rewrites the asserts of every test module and plugin again (half of the collection time).
# The files go to __pycache__/ folders, which git ignores.
test: venv
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder --cov --cov-report=term

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

# The pandas baseline of bench/bench_priorities.py, in its own git-ignored environment.
BASELINE_VENV := .cache/bench-baseline

# Every benchmark in bench/ (bench_*.py), each printing its figures. The pandas baseline's
# environment is made first, and again when its requirements change: without it the end-to-end
# pair of bench_priorities.py is skipped. The mark is written after the install, so an install
# that failed half-way is tried again.
bench: venv $(BASELINE_VENV)/.installed
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

bench-baseline: $(BASELINE_VENV)/.installed

$(BASELINE_VENV)/.installed: bench/requirements-baseline.txt
	$(PYTHON) -m venv $(BASELINE_VENV)
	$(BASELINE_VENV)/bin/pip install --quiet -r bench/requirements-baseline.txt
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache htmlcov .coverage staticfiles

# The documentation's screenshots (docs/screenshots/), from the demo data in headless Chromium.
.PHONY: screenshots
screenshots: venv
	SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser/test_screenshots.py -p no:cacheprovider -q --no-cov
