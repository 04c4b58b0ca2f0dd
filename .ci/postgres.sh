#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for martlet's tests and prints the
# line that points them at it:
#
#   eval "$(.ci/postgres.sh)"     # exports MARTLET_TEST_PG_DSN
#   .ci/postgres.sh stop          # stops the server and removes its files
#
# The cluster lives in $MARTLET_PG_HOME (default $TMPDIR/martlet-pg), listens
# on 127.0.0.1 at a free port and on a Unix socket in that directory, and
# runs as the postgres user (initdb refuses root). Local socket connections
# are trusted (setup only); TCP connections need a password (scram-sha-256),
# so wrong-password tests meet a real check. The role `martlet` (password
# `martlet`, not a superuser) owns the database `martlet`. Durability is off
# (fsync, synchronous_commit): the server is for tests only.
#
# Idempotent: a second run reuses the running server (or restarts a stopped
# one) and prints the same line. Everything but that line goes to stderr.
set -euo pipefail

home=${MARTLET_PG_HOME:-${TMPDIR:-/tmp}/martlet-pg}
data=$home/data
log() { echo "postgres.sh: $*" >&2; }

# as_postgres runs a command as the postgres user (as is when we are it).
as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif command -v runuser >/dev/null; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ]; then
    log "no PostgreSQL binaries under /usr/lib/postgresql"
    exit 1
  fi
  echo "$dir"
}

if [ "${1:-}" = stop ]; then
  if [ -d "$data" ]; then
    as_postgres "$(bindir)/pg_ctl" -D "$data" -m immediate stop >&2 || true
  fi
  rm -rf "$home"
  exit 0
fi

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  log "installing PostgreSQL"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
bin=$(bindir)

# port_free reports whether nothing accepts connections on 127.0.0.1:$1.
port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

if [ ! -f "$data/PG_VERSION" ]; then
  rm -rf "$home"
  mkdir -p "$data"
  chown -R postgres: "$home"
  chmod 700 "$data"
  log "initdb in $data"
  as_postgres "$bin/initdb" -D "$data" -U postgres --no-sync --encoding=UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if port_free "$port"; then
      break
    fi
  done
  cat >>"$data/postgresql.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$home'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  echo "$port" >"$home/port"
fi
port=$(cat "$home/port")

if ! as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  if ! port_free "$port"; then
    log "port $port is taken by another process; run '$0 stop' and retry"
    exit 1
  fi
  log "starting PostgreSQL on 127.0.0.1:$port"
  as_postgres "$bin/pg_ctl" -D "$data" -l "$home/server.log" -w -t 30 start >/dev/null
fi

psql_admin() {
  as_postgres "$bin/psql" -h "$home" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'martlet'")" ]; then
  psql_admin -c "CREATE ROLE martlet LOGIN PASSWORD 'martlet'" >&2
fi
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'martlet'")" ]; then
  psql_admin -c "CREATE DATABASE martlet OWNER martlet" >&2
fi

echo "export MARTLET_TEST_PG_DSN=postgres://martlet:martlet@127.0.0.1:$port/martlet?sslmode=disable"
