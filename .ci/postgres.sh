#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests and print its URL on stdout:
#     export NEWSDESK_TEST_PG="$(.ci/postgres.sh)"
# Installs Debian's postgresql if missing. The cluster lives in $NEWSDESK_PG_DIR
# (default /tmp/newsdesk-pg), listens on 127.0.0.1 only, trusts local connections,
# and is reused when it is already running. Stop it with:
#     pg_ctl -D /tmp/newsdesk-pg/data stop   (as its owner)
set -euo pipefail

dir="${NEWSDESK_PG_DIR:-/tmp/newsdesk-pg}"
database="newsdesk_test"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
bin="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")"

# initdb and the server refuse to run as root: run them as the postgres user then.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

mkdir -p "$dir"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >&2
    fi
    free_port >"$dir/port"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start -o \
        "-p $(cat "$dir/port") -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" >&2
fi
port="$(cat "$dir/port")"

if ! as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    as_owner "$bin/createdb" -h "$dir" -p "$port" -U postgres "$database"
fi
echo "postgresql://postgres@127.0.0.1:$port/$database"
