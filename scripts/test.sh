#!/usr/bin/env bash
# The whole test suite on a new Debian machine with Node.js: installs what the tests need
# (Debian's chromium and postgresql, the npm dependencies), starts a throw-away PostgreSQL
# server, then runs the checks, the suites on PGlite and on PostgreSQL, and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/pg-temp.sh

log() { printf '\n== %s\n' "$*"; }

if ! command -v chromium >/dev/null 2>&1; then
  log "Installation de Chromium (paquet Debian)"
  apt_install chromium
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "Installation des dépendances npm"
  npm install --no-audit --no-fund
fi

log "Serveur PostgreSQL pour les tests"
pg_temp_start "${VIGIE_TEST_PG_PORT:-55433}"

log "Vérification des types (tsc) et du style (biome)"
npx tsc --noEmit
npx biome check .

# The `vigie` commands the tests run use the compiled server, as `npm start` does (ADR 0011).
log "Compilation du serveur"
npm run build:server

log "Tests unitaires et d'intégration — moteur PGlite"
npx vitest run

log "Tests d'intégration — moteur PostgreSQL"
TEST_DATABASE_URL="$PG_TEMP_URL" npx vitest run tests/integration

log "Tests de bout en bout dans Chromium (avec axe)"
npm run build:web
npx vitest run --config vitest.e2e.config.ts
