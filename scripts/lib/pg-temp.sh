# Sourced by scripts/test.sh and scripts/bench.sh: starts a throw-away PostgreSQL server from
# Debian's packages (installing them when missing) and stops it when the calling script exits.
# Sets PG_TEMP_URL. Postgres refuses to run as root, so as root it runs as the `postgres` user.

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_temp_start() {
  local port="$1"
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then apt_install postgresql; fi
  PG_TEMP_BIN="$(pg_bin)"
  PG_TEMP_ROOT="$(mktemp -d /tmp/vigie-pg.XXXXXX)"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_TEMP_ROOT"
  trap pg_temp_stop EXIT
  pg_as_owner "$PG_TEMP_BIN/initdb" -D "$PG_TEMP_ROOT/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  pg_as_owner "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_ROOT/data" -l "$PG_TEMP_ROOT/server.log" -w \
    -o "-p $port -k $PG_TEMP_ROOT -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  PG_TEMP_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL ($("$PG_TEMP_BIN/postgres" --version)) démarré sur le port $port"
}

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_temp_stop() {
  [ -n "${PG_TEMP_ROOT:-}" ] || return 0
  pg_as_owner "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_ROOT/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEMP_ROOT"
  PG_TEMP_ROOT=""
}
