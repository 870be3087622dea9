# HMS — `make run` starts the whole stack, `make test` runs every test.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint e2e install clean messages compilemessages

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

run: install
	$(PY) manage.py platform_setup
	$(VENV)/bin/honcho start

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

# Tests never read the developer's .env (ports, passwords of the running stack).
test: lint
	HMS_ENV_FILE=/dev/null $(VENV)/bin/pytest

e2e: install
	HMS_ENV_FILE=/dev/null $(VENV)/bin/pytest e2e

clean:
	rm -rf $(VENV) test-artifacts
