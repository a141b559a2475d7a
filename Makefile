# The two commands the README starts with: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Exact versions of every dependency; `make lock` regenerates it from pyproject.toml.
CONSTRAINTS := constraints.txt
SERVE_ADDRESS ?= 127.0.0.1:8000

.PHONY: run serve test lint format check-migrations audit lock clean-venv messages compile

# Interface languages besides English (gettext locale names), and what makemessages
# leaves out: the virtualenv, vendored scripts, collected static files, tests, benchmarks,
# and the admin's own modules and templates (the admin is always in English).
LOCALES := es zh_Hans vi ko am fr
MESSAGE_IGNORES := --ignore=.venv --ignore=static/vendor --ignore=staticfiles \
	--ignore=tests --ignore=bench --ignore=test-artifacts --ignore=node_modules \
	--ignore=templates/admin --ignore=admin.py --ignore=admin_parts.py --ignore=reference_admin.py
CATALOGUES := $(foreach locale,$(LOCALES),$(foreach domain,django djangojs,locale/$(locale)/LC_MESSAGES/$(domain)))

# A stamp per extra so that editing pyproject.toml or the constraints reinstalls.
$(VENV)/.installed: pyproject.toml $(CONSTRAINTS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
		echo "Could not create $(VENV). On Debian/Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	@touch $@

run: $(VENV)/.installed compile
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py createcachetable
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_demo_data --if-empty
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:8000

# Production settings on this machine: gunicorn, DEBUG off, hashed static files, JSON
# logs. Plain HTTP on localhost, so no HTTPS redirect; a throwaway SECRET_KEY unless one
# is set. SERVE_ADDRESS=127.0.0.1:8104 make serve to use another port.
serve: $(VENV)/.installed compile
	@set -e; \
	export DEBUG=false SECURE_SSL_REDIRECT=false; \
	export ALLOWED_HOSTS="$${ALLOWED_HOSTS:-localhost,127.0.0.1}"; \
	export SITE_URL="$${SITE_URL:-http://$(SERVE_ADDRESS)}"; \
	export SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}"; \
	$(PY) manage.py collectstatic --noinput --verbosity 0; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py createcachetable; \
	$(PY) manage.py load_demo_data --if-empty; \
	exec $(BIN)/gunicorn --bind $(SERVE_ADDRESS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=solidarity.test_settings $(PY) manage.py makemigrations --check --dry-run

# Fails on an installed dependency with a known vulnerability that has a fix.
audit: $(VENV)/.installed-dev
	$(PY) .ci/audit.py

# Pin every dependency (and the dev extras) to the newest versions pyproject.toml allows.
lock: $(VENV)/.installed-dev
	$(BIN)/pip-compile --quiet --upgrade --strip-extras --extra dev --no-emit-index-url \
		--no-emit-find-links --output-file $(CONSTRAINTS) pyproject.toml

# Update every catalogue from the templates, Python and JavaScript (new messages come
# in untranslated, changed ones fuzzy: `make test` fails until a translator fills them).
messages: $(VENV)/.installed
	DEBUG=true $(PY) manage.py makemessages --domain django --add-location file --no-wrap \
		$(MESSAGE_IGNORES) $(foreach locale,$(LOCALES),--locale $(locale))
	DEBUG=true $(PY) manage.py makemessages --domain djangojs --add-location file --no-wrap \
		$(MESSAGE_IGNORES) $(foreach locale,$(LOCALES),--locale $(locale))

# The compiled catalogues Django reads (not committed: built from the .po files).
compile: $(CATALOGUES:=.mo)

# GNU msgfmt where installed (it checks the catalogue too; CI installs it); otherwise
# polib writes the same file, so `make run` needs nothing beyond Python on a new machine.
locale/%.mo: locale/%.po | $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then msgfmt --check --output-file $@ $<; \
	else $(PY) -c 'import sys, polib; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])' $< $@; fi

test: lint check-migrations audit compile
	$(BIN)/pytest $(PYTEST_ARGS)

clean-venv:
	rm -rf $(VENV)
