# HMS — `make run` starts the whole stack, `make test` runs every test.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint e2e install clean

install: $(STAMP)

# Re-install only when the pinned dependencies change, so a second `make run` is fast.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet --group dev
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py platform_setup
	$(VENV)/bin/honcho start

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
