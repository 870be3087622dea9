# HMS — `make run` starts the whole stack as deployed, `make dev` the same with the
# auto-reloading debug server, `make test` runs every test.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run dev test lint e2e install clean

install: $(STAMP)

# Re-install only when the pinned dependencies change, so a second `make run` is fast.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet --group dev
	touch $(STAMP)

# As deployed on one machine: gunicorn serving the web (static files by WhiteNoise),
# DEBUG off, the secret key generated once into the git-ignored .env by platform_setup.
run: $(STAMP)
	$(PY) manage.py platform_setup
	HMS_DEBUG=false $(VENV)/bin/honcho start redis worker web

# For development: Django's auto-reloading server with DEBUG on instead of gunicorn.
dev: $(STAMP)
	$(PY) manage.py platform_setup
	HMS_DEBUG=true $(VENV)/bin/honcho start redis worker dev

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

# Tests never read the developer's .env (ports, passwords of the running stack).
test: lint
	HMS_ENV_FILE=/dev/null $(VENV)/bin/pytest

e2e: $(STAMP)
	HMS_ENV_FILE=/dev/null $(VENV)/bin/pytest e2e

clean:
	rm -rf $(VENV) test-artifacts
