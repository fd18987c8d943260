#!/usr/bin/env bash
# The API contract check (`make contract`, part of `make test`): the OpenAPI document the
# server answers at /api/openapi.json is checked by three tools from PyPI, against the real
# server on a fresh SQLite database:
#
#   1. openapi-spec-validator: the document is valid OpenAPI 3.1 and every $ref resolves;
#   2. schemathesis: every operation, every check, every phase (stateful included), as
#      scripts/contract/schemathesis.toml says (with the hooks of scripts/contract/hooks.py);
#      any failure or a warning that means it tested less than it seems fails the check;
#   3. openapi-python-client: a Python client generated from the document has every
#      operation, with no warning.
#
# Exits 0 only when all three pass. The tools are pinned (scripts/contract/requirements.txt)
# and installed once into a virtual environment outside the clone (CONTRACT_VENV, default
# ~/.cache/task-api/contract-venv-<hash of the pins>).
#
#   ST_ARGS="--max-examples 500 --seed 7" make contract    # a longer fuzzing run
#   ST_ARGS="--max-time 600" make contract                   # ten minutes of it
#
# Reports (JUnit XML, JSON) and the server's log stay in $CARGO_TARGET_DIR/contract/ (or
# target/contract/).
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=lib/free-port.sh
source scripts/lib/free-port.sh
HERE="$ROOT/scripts/contract"
CARGO="${CARGO:-cargo}"

log() { printf 'contract: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- the tools --------------------------------------------------------------------------
command -v python3 >/dev/null 2>&1 || die "python3 is needed (Debian: apt-get install python3 python3-venv)"
PINS_HASH="$(sha256sum "$HERE/requirements.txt" | cut -c1-12)"
VENV="${CONTRACT_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/task-api/contract-venv-$PINS_HASH}"
if [[ ! -x "$VENV/bin/schemathesis" ]]; then
    log "installing the pinned tools into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV" \
        || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
fi
# openapi-python-client runs ruff (one of its dependencies) from PATH after generating.
export PATH="$VENV/bin:$PATH"

# --- the server -------------------------------------------------------------------------
log "building the api binary"
"$CARGO" build --quiet -p api
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
[[ "$TARGET_DIR" == /* ]] || TARGET_DIR="$ROOT/$TARGET_DIR"
BIN="$TARGET_DIR/debug/api"
OUT="$TARGET_DIR/contract"
rm -rf "$OUT"
mkdir -p "$OUT"
PORT="$(free_port)" || die "no free port"
BASE="http://127.0.0.1:$PORT"

# Rate limits off: with them, most of the fuzzer's registrations and logins would be 429s
# that never reach validation.
(cd "$OUT" && exec env APP_ENV=test "DATABASE_URL=sqlite://$OUT/contract.db?mode=rwc" \
    "JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n')" PORT="$PORT" HOST=127.0.0.1 \
    METRICS_ADDR= BCRYPT_COST=4 LOG_FORMAT=json RUST_LOG=warn \
    REGISTER_RATE_PER_HOUR=0 LOGIN_RATE_PER_MINUTE=0 \
    LOGIN_MAX_FAILURES=0 LOGIN_MAX_FAILURES_PER_HOUR=0 \
    "$BIN" serve) >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
    curl -sf "$BASE/ready" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$OUT/server.log" >&2; die "the server exited"; }
    sleep 0.1
done
curl -sf "$BASE/ready" >/dev/null || die "the server is not ready (log: $OUT/server.log)"
curl -sf "$BASE/api/openapi.json" -o "$OUT/openapi.json"

# token NAME PASSWORD: registers NAME@contract.test and prints an access token of theirs.
token() {
    curl -sf -o /dev/null "$BASE/api/users" -H 'Content-Type: application/json' \
        -d "{\"email\":\"$1@contract.test\",\"password\":\"$2\"}" || die "registering $1 failed"
    curl -sf "$BASE/api/auth/token" --data-urlencode "username=$1@contract.test" \
        --data-urlencode "password=$2" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}
# The main user's password is the `currentPassword` of ChangePasswordRequest's example, so
# that the examples phase gets its 204 from PUT /api/users/me/password (with any other one
# that operation answers only 403, and schemathesis warns that authentication failed).
TOKEN="$(token main 'correct horse battery')"
TOKEN_LOGOUT="$(token logout 'contract check')"
TOKEN_SESSIONS="$(token sessions 'contract check')"
export TOKEN TOKEN_LOGOUT TOKEN_SESSIONS

# --- the checks -------------------------------------------------------------------------
failed=()
log "1/3 openapi-spec-validator (OpenAPI 3.1)"
openapi-spec-validator --schema 3.1 "$OUT/openapi.json" >"$OUT/validator.txt" 2>&1 \
    || { head -c 2000 "$OUT/validator.txt" >&2; echo >&2; failed+=(validator); }

log "2/3 schemathesis (every operation, check and phase)"
# The hooks give every well-formed Idempotency-Key a fresh value (scripts/contract/hooks.py).
export SCHEMATHESIS_HOOKS="$HERE/hooks.py"
# shellcheck disable=SC2086 # ST_ARGS is a list of arguments
(cd "$OUT" && schemathesis --config-file "$HERE/schemathesis.toml" run "$BASE/api/openapi.json" \
    --no-color --report junit,json --report-dir "$OUT/schemathesis" ${ST_ARGS:-}) \
    || failed+=(schemathesis)

log "3/3 openapi-python-client (every operation, no warning)"
openapi-python-client generate --path "$OUT/openapi.json" --output-path "$OUT/client" \
    --overwrite --meta none --fail-on-warning >"$OUT/generator.txt" 2>&1 \
    || { cat "$OUT/generator.txt" >&2; failed+=(openapi-python-client); }

if (( ${#failed[@]} > 0 )); then
    die "the contract check failed: ${failed[*]} (reports in $OUT)"
fi
log "the document is valid, the fuzzer found nothing, the client has every operation"
