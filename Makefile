# Most – the two commands that matter: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(VENV)/uv-tool/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON := $(BIN)/python

.PHONY: demo test lint format messages lock clean bench bench-privacy bench-programmes bench-catalogue bench-referrals

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --target $(VENV)/uv-tool uv==$(UV_VERSION)

# Runtime dependencies only (what `make demo` needs).
$(VENV)/.runtime: requirements.txt pyproject.toml | $(UV)
	PYTHONPATH=$(VENV)/uv-tool $(UV) pip sync --quiet requirements.txt
	PYTHONPATH=$(VENV)/uv-tool $(UV) pip install --quiet --no-deps -e .
	rm -f $(VENV)/.dev; touch $@

# Runtime + test dependencies.
$(VENV)/.dev: requirements-dev.txt requirements.txt pyproject.toml | $(UV)
	PYTHONPATH=$(VENV)/uv-tool $(UV) pip sync --quiet requirements-dev.txt
	PYTHONPATH=$(VENV)/uv-tool $(UV) pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.runtime

demo: $(VENV)/.runtime
	$(BIN)/most demo

test: $(VENV)/.dev
	bash scripts/test.sh

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the catalogues after changing user-facing strings; the compiled catalogues are
# kept in git, so a fresh clone speaks every language without gettext.
# Slovenian is complete; the public pages' languages translate what the public pages show.
LOCALES := -l sl -l uk -l ar -l fa -l sq -l ru
messages: $(VENV)/.dev
	$(BIN)/most makemessages $(LOCALES) --ignore=.venv --ignore=bench --ignore=tests --ignore=scripts --ignore=conftest.py --no-obsolete
	$(BIN)/most compilemessages $(LOCALES) --ignore=.venv

lock: | $(UV)
	$(UV) pip compile --quiet --generate-hashes --python-version 3.11 requirements.in -o requirements.txt
	$(UV) pip compile --quiet --generate-hashes --python-version 3.11 requirements-dev.in -o requirements-dev.txt
	$(UV) pip compile --quiet --generate-hashes --python-version 3.11 requirements-bench.in -o requirements-bench.txt

# The benchmark's environment: the test one plus real name lists (names-dataset, Faker). It
# leaves the markers out of date, so the next `make test` or `make demo` syncs its own again.
define BENCH_ENV
	PYTHONPATH=$(VENV)/uv-tool $(UV) pip sync --quiet requirements-bench.txt
	PYTHONPATH=$(VENV)/uv-tool $(UV) pip install --quiet --no-deps -e .
	rm -f $(VENV)/.dev $(VENV)/.runtime
endef

bench: | $(UV)
	$(BENCH_ENV)
	$(BIN)/python bench/search.py

# The audit trail, the data subject's export and erasure at national scale (bench/privacy.py), in
# the same environment as `make bench`.
bench-privacy: | $(UV)
	$(BENCH_ENV)
	$(BIN)/python bench/privacy.py

# Attendance, a person's timeline, the programme dashboard and eligibility at national scale
# (bench/programmes.py), in the same environment as `make bench`.
bench-programmes: | $(UV)
	$(BENCH_ENV)
	$(BIN)/python bench/programmes.py

# The service catalogue's import, public finder and HSDS API at national scale
# (bench/catalogue.py), in the same environment as `make bench`.
bench-catalogue: | $(UV)
	$(BENCH_ENV)
	$(BIN)/python bench/catalogue.py

# An organisation's inbox, sending and accepting referrals over the API and the response-time
# figures at national scale (bench/referrals.py), in the same environment as `make bench`.
bench-referrals: | $(UV)
	$(BENCH_ENV)
	$(BIN)/python bench/referrals.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
