# HMS — `make run` starts the whole stack as deployed, `make dev` the same with the
# auto-reloading debug server, `make test` runs every test.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run dev test lint e2e install clean messages compilemessages

# The translations (.po, in git) are compiled on every install (.mo files are build output).
install: $(STAMP) compilemessages

# Re-install only when the pinned dependencies change, so a second `make run` is fast.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet --group dev
	touch $(STAMP)

compilemessages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=tenant_databases --ignore=test-artifacts -v 0

# Refresh locale/*/LC_MESSAGES/django.po from every template and Python file (new strings
# come in empty; test_translations fails until each has its Azerbaijani translation).
messages: $(STAMP)
	$(PY) manage.py makemessages -l az -l en --no-obsolete --no-location \
		--ignore=.venv --ignore=tenant_databases --ignore=test-artifacts --ignore=e2e \
		--ignore='*/tests/*' --ignore=conftest.py

# As deployed on one machine: gunicorn serving the web (static files by WhiteNoise),
# DEBUG off, the secret key generated once into the git-ignored .env by platform_setup.
run: install
	$(PY) manage.py platform_setup
	HMS_DEBUG=false $(VENV)/bin/honcho start redis worker web

# For development: Django's auto-reloading server with DEBUG on instead of gunicorn.
dev: install
	$(PY) manage.py platform_setup
	HMS_DEBUG=true $(VENV)/bin/honcho start redis worker dev

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

# Tests never read the developer's .env (ports, passwords of the running stack). Then the
# tenancy and patients suites again with every hospital database on PostgreSQL (two
# throwaway servers; tests about SQLite files themselves are marked sqlite_only, and the
# integration tests' stacks are SQLite: both deselected). Both runs use a worker per core
# (at most TEST_WORKERS); tests sharing a stack or servers stay on one (conftest.py).
TEST_WORKERS ?= 4
PARALLEL := -n auto --maxprocesses=$(TEST_WORKERS) --dist loadgroup
test: lint
	HMS_ENV_FILE=/dev/null $(VENV)/bin/pytest $(PARALLEL)
	HMS_ENV_FILE=/dev/null HMS_TEST_BACKEND=postgresql $(VENV)/bin/pytest $(PARALLEL) \
		apps/tenancy apps/patients -m "not sqlite_only and not integration"

e2e: install
	HMS_ENV_FILE=/dev/null $(VENV)/bin/pytest e2e

clean:
	rm -rf $(VENV) test-artifacts
