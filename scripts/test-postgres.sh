#!/usr/bin/env bash
# Run a command with TEST_DATABASE_URL pointing at a PostgreSQL server.
#
#   scripts/test-postgres.sh <command...>
#
# If TEST_DATABASE_URL is already set, the command simply runs against that server.
# Otherwise a throw-away PostgreSQL cluster is created in a temporary directory,
# started on a free loopback port, exported as
#   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:<port>/postgres
# and always stopped and deleted again when the command ends. The command's exit
# code is propagated.
#
# The tests use TEST_DATABASE_URL as an admin connection and create one fresh
# database per test, hence the generous max_connections.
set -euo pipefail

log() { printf 'test-postgres: %s\n' "$*" >&2; }

if [[ $# -eq 0 ]]; then
    echo "usage: $0 <command...>" >&2
    exit 2
fi

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
    exec "$@"
fi

# --- locate the server binaries ---------------------------------------------------
has_server() { [[ -n "$1" && -x "$1/initdb" && -x "$1/pg_ctl" ]]; }

find_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        if has_server "$dir"; then echo "$dir"; return 0; fi
    fi
    # Debian/Ubuntu layout: newest version first.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if has_server "$dir"; then echo "$dir"; return 0; fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dir="$(dirname "$(command -v initdb)")"
        # Prefer the directory holding initdb if pg_ctl lives there too.
        if has_server "$dir"; then echo "$dir"; return 0; fi
        echo "PATH"
        return 0
    fi
    return 1
}

if ! BINDIR="$(find_bindir)"; then
    cat >&2 <<'MSG'
test-postgres: no PostgreSQL server binaries (initdb, pg_ctl) were found.
The test suite needs a PostgreSQL server; it is never skipped. Either
  * install one, e.g. on Debian/Ubuntu:  sudo apt-get install -y postgresql
    (this script then starts a throw-away server automatically), or
  * point the tests at an existing server:
        export TEST_DATABASE_URL=postgres://user:pass@host:port/db
    where that user may CREATE DATABASE (one database is created per test).
MSG
    exit 1
fi

if [[ "$BINDIR" == "PATH" ]]; then
    INITDB=initdb; PG_CTL=pg_ctl; POSTGRES=postgres
else
    INITDB="$BINDIR/initdb"; PG_CTL="$BINDIR/pg_ctl"; POSTGRES="$BINDIR/postgres"
fi

# --- run server commands as the right user ----------------------------------------
# The server refuses to run as root: as root, run it as the `postgres` OS user.
if [[ "$(id -u)" -eq 0 ]]; then
    if ! id -u postgres >/dev/null 2>&1; then
        log "running as root but there is no 'postgres' OS user to run the server as."
        log "install the postgresql package (creates it) or run as an unprivileged user."
        exit 1
    fi
    as_pg() { (cd / && runuser -u postgres -- "$@"); }
    # The temporary directory must be reachable by the postgres user.
    TMP_PARENT="${TEST_PG_TMPDIR:-/tmp}"
else
    as_pg() { (cd / && "$@"); }
    TMP_PARENT="${TEST_PG_TMPDIR:-${TMPDIR:-/tmp}}"
fi

PGTMP="$(mktemp -d "$TMP_PARENT/task-api-pg.XXXXXX")"
PGDATA_DIR="$PGTMP/data"
PGLOG="$PGTMP/postgres.log"
SERVER_STARTED=0

cleanup() {
    local status=$?
    set +e
    if [[ "$SERVER_STARTED" -eq 1 ]]; then
        as_pg "$PG_CTL" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1 \
            || log "warning: could not stop the server (data dir $PGDATA_DIR)"
    fi
    rm -rf "$PGTMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [[ "$(id -u)" -eq 0 ]]; then
    chown postgres: "$PGTMP"
fi
chmod 700 "$PGTMP"

if ! as_pg "$INITDB" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C \
        >"$PGTMP/initdb.log" 2>&1; then
    log "initdb failed:"
    cat "$PGTMP/initdb.log" >&2
    exit 1
fi

# --- pick a free loopback port ----------------------------------------------------
# shellcheck source=lib/free-port.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/free-port.sh"

# Retry a few times in case another process grabs the port between choice and bind.
PORT=""
for attempt in 1 2 3 4 5; do
    PORT="$(free_port)" || PORT=$((20000 + RANDOM % 40000))
    if as_pg "$PG_CTL" -D "$PGDATA_DIR" -l "$PGLOG" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGTMP -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 2>&1; then
        SERVER_STARTED=1
        break
    fi
    # pg_ctl may have left a half-started server behind.
    as_pg "$PG_CTL" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
    log "attempt $attempt to start PostgreSQL on port $PORT failed"
done

if [[ "$SERVER_STARTED" -ne 1 ]]; then
    log "could not start PostgreSQL; server log:"
    cat "$PGLOG" >&2 2>/dev/null || true
    exit 1
fi

VERSION="$("$POSTGRES" --version 2>/dev/null || echo "PostgreSQL (unknown version)")"
export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
log "started ${VERSION} from ${BINDIR} at ${TEST_DATABASE_URL} (data in ${PGDATA_DIR})"

# Run the command (not exec: the EXIT trap must still stop the server).
set +e
"$@"
status=$?
set -e
exit "$status"
