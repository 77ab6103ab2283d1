#!/usr/bin/env bash
# npm run bench: starts a throw-away PostgreSQL server, then runs the benchmarks (bench/run.ts),
# which print their figures and write them into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/pg-temp.sh
[ -d node_modules ] || npm install --no-audit --no-fund
# The benchmarks measure the `vigie` commands people run: the compiled server (ADR 0011).
node -e 'import("./scripts/lib/server-bundle.mjs").then(async (b) => b.serverBundleIsFresh() || (await b.buildServerBundle()))'
pg_temp_start "${VIGIE_BENCH_PG_PORT:-55434}"
BENCH_DATABASE_URL="$PG_TEMP_URL" node bin/vigie-bench.mjs "$@"
