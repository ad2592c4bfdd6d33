#!/usr/bin/env bash
# The whole test suite: lint, SQLite, PostgreSQL, the real browser and accessibility.
# With CI=true every layer is mandatory and missing system packages are installed; without it a
# layer whose system dependency is missing is skipped with a loud notice.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
CI=${CI:-false}
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/most}
failures=()
skipped=()

loud() { printf '\n\033[1;33m!!! %s\033[0m\n\n' "$*" >&2; }
step() { printf '\n\033[1;34m=== %s\033[0m\n' "$*"; }

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

apt_install() {
  if can_install; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    return 1
  fi
}

# --- System packages: Chromium for the browser layer, gettext for the catalogues, PDF tools ---
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
fc-list 2>/dev/null | grep -qi "Noto Sans Arabic" || missing+=(fonts-noto-core)
# WeasyPrint subsets fonts six times faster with HarfBuzz's; pdftotext reads the PDFs back.
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  step "Installing system packages: ${missing[*]}"
  apt_install "${missing[@]}" || loud "Could not install ${missing[*]} (need root and apt-get)."
fi

# --- PostgreSQL ---------------------------------------------------------------------------
pg_ready() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }
if ! pg_ready; then
  if ! command -v pg_ctlcluster >/dev/null; then
    step "Installing PostgreSQL"
    apt_install postgresql || true
  fi
  if command -v pg_ctlcluster >/dev/null; then
    step "Starting PostgreSQL"
    version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
    [ -n "$version" ] && pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 20); do pg_ready && break; sleep 1; done
    # A fresh cluster knows only peer authentication: let the test user in over loopback.
    if pg_ready && ! psql "$PG_URL" -c 'select 1' >/dev/null 2>&1; then
      su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
      PG_URL=${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/most}
    fi
  fi
fi

# --- Lint and catalogues -------------------------------------------------------------------
step "Lint (ruff)"
$BIN/ruff check . || failures+=("ruff check")
$BIN/ruff format --check --quiet . || failures+=("ruff format (run: make format)")

# The compiled catalogue is in git and used as it is: tests/test_translations.py checks that it
# matches the .po (msgfmt needed for that check).
if ! command -v msgfmt >/dev/null; then
  [ "$CI" = true ] && failures+=("gettext missing") || loud "gettext missing: the catalogue checks are skipped"
fi

step "Migrations are up to date"
$BIN/most makemigrations --check --dry-run -v0 || failures+=("missing migrations")

# --- The suite on SQLite (with the browser layer) -------------------------------------------
browser_args=()
if [ ! -x /usr/bin/chromium ]; then
  if [ "$CI" = true ]; then
    failures+=("chromium missing: browser layer cannot run")
  else
    loud "Chromium is missing: SKIPPING the browser and accessibility tests."
    skipped+=("browser + accessibility")
    browser_args=(-m "not browser")
  fi
fi

step "Tests on SQLite"
$BIN/pytest -q "${browser_args[@]}" -p no:cacheprovider || failures+=("tests on SQLite")

step "Tests on PostgreSQL"
if pg_ready; then
  DATABASE_URL="$PG_URL" $BIN/pytest -q "${browser_args[@]}" -p no:cacheprovider ||
    failures+=("tests on PostgreSQL")
elif [ "$CI" = true ]; then
  failures+=("PostgreSQL unavailable")
else
  loud "PostgreSQL is not running on 127.0.0.1:5432: SKIPPING the PostgreSQL run."
  skipped+=("PostgreSQL")
fi

echo
[ ${#skipped[@]} -gt 0 ] && loud "Skipped layers: ${skipped[*]}"
if [ ${#failures[@]} -gt 0 ]; then
  printf '\033[1;31mFAILED: %s\033[0m\n' "${failures[*]}"
  exit 1
fi
printf '\033[1;32mAll layers passed.\033[0m\n'
