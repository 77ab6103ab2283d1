#!/usr/bin/env bash
# The whole test suite on a new Debian machine with Node.js: installs what the tests need
# (Debian's chromium and postgresql, the npm dependencies), starts a throw-away PostgreSQL
# server, then runs the checks, the suites on PGlite and on PostgreSQL, and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

# --- System packages -------------------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  log "Installation des paquets Debian : ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- npm dependencies --------------------------------------------------------------------------
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "Installation des dépendances npm"
  npm ci --no-audit --no-fund
fi

# --- PostgreSQL server for the server-engine suite --------------------------------------------
PGBIN="$(pg_bin)"
PGPORT="${VIGIE_TEST_PG_PORT:-55433}"
PGROOT="$(mktemp -d /tmp/vigie-test-pg.XXXXXX)"
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres "$PGROOT"
stop_pg() {
  as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap stop_pg EXIT
log "Démarrage de PostgreSQL ($("$PGBIN/postgres" --version)) sur le port $PGPORT"
as_pg "$PGBIN/initdb" -D "$PGROOT/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w \
  -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
export TEST_DATABASE_URL_SERVER="postgres://postgres@127.0.0.1:$PGPORT/postgres"

# --- Checks and suites ---------------------------------------------------------------------------
log "Vérification des types (tsc) et du style (biome)"
npx tsc --noEmit
npx biome check .

log "Tests unitaires et d'intégration — moteur PGlite"
npx vitest run

log "Tests d'intégration — moteur PostgreSQL"
TEST_DATABASE_URL="$TEST_DATABASE_URL_SERVER" npx vitest run tests/integration

log "Tests de bout en bout dans Chromium (avec axe)"
npm run build:web
npx vitest run --config vitest.e2e.config.ts
