#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on 127.0.0.1 for the storage tests and prints
#   export CASEBOOK_TEST_POSTGRES_URL=postgres://…
# on stdout (everything else goes to stderr), so `.ci/run` can `eval "$(bash .ci/postgres.sh)"`.
# Idempotent: installs PostgreSQL from Debian packages only if missing, and reuses a cluster this
# script already started (recorded in $CASEBOOK_PG_STATE, default /tmp/casebook-pg.state) while
# it still answers.
set -euo pipefail

state="${CASEBOOK_PG_STATE:-/tmp/casebook-pg.state}"
db="${CASEBOOK_PG_DATABASE:-casebook_test}"
log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

bin="$(find_bin || true)"
if [ -z "$bin" ]; then
  log "PostgreSQL not found; installing it from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y postgresql >&2
  bin="$(find_bin)"
fi

# Reuse a running cluster from an earlier call.
if [ -f "$state" ]; then
  # shellcheck disable=SC1090
  . "$state"
  if [ -n "${PGDIR:-}" ] && [ -n "${PGPORT:-}" ] && "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
    log "reusing cluster in $PGDIR on port $PGPORT"
    echo "export CASEBOOK_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$PGPORT/$db"
    exit 0
  fi
fi

# initdb refuses to run as root, so the cluster belongs to the `postgres` user when we are root.
run_as=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  run_as=(runuser -u postgres --)
fi

dir="$(mktemp -d /tmp/casebook-pg.XXXXXX)"
chmod 700 "$dir"
[ "${#run_as[@]}" -gt 0 ] && chown postgres "$dir"

free_port() {
  python3 - <<'PY' 2>/dev/null || echo $(( 20000 + RANDOM % 20000 ))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}
port="$(free_port)"

"${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2 \
  || "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >&2
"${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >&2
"${run_as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db" >&2

printf 'PGDIR=%q\nPGPORT=%q\n' "$dir" "$port" > "$state"
log "cluster in $dir on 127.0.0.1:$port (stop: $bin/pg_ctl -D $dir/data stop)"
echo "export CASEBOOK_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/$db"
