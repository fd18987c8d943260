#!/usr/bin/env bash
# `make bench` / `make bench-pg`: a reproducible load benchmark of the release binary.
#
#   scripts/bench.sh                                  # SQLite files in a fresh work dir
#   BENCH_DATABASE_URL=postgres://… scripts/bench.sh  # a throwaway PostgreSQL database
#
# Builds `api` in release mode, installs wrk (and jq, curl) if missing, seeds a small
# (1,000-task) and a large (1,000 users × 10 projects × 100 tasks ≈ 1M tasks) data set with
# `api seed`, starts the server like production (APP_ENV=production, a random JWT secret,
# bcrypt at the production cost) on a free loopback port, and drives it with wrk and the Lua
# scripts in scripts/bench/ for bounded durations. Results:
#
#   target/bench/results.json   machine-readable (also results-<sqlite|postgres>.json)
#   target/bench/results.md     the same as Markdown tables, printed at the end
#   target/bench/run-…/         the work dir: databases, server logs, every wrk output
#
# WARNING: with BENCH_DATABASE_URL the database is EMPTIED (`api seed --reset --force`).
# Point it at a throwaway database only.
#
# Knobs (environment):
#   BENCH_DURATION (10)          seconds per measured run; BENCH_WARMUP (2) before each
#   BENCH_LOGIN_DURATION (30)    seconds for the measured login run (scenario 5): a login takes
#                                about a second under load, and the logins still in flight
#                                when a run ends are not counted, so a short run undercounts
#   BENCH_TIMEOUT (10)           wrk's per-request timeout in seconds (a timeout is an error)
#   BENCH_BCRYPT_COST (12)       BCRYPT_COST of the server and of the seeded users
#   BENCH_USERS (1000), BENCH_PROJECTS_PER_USER (10), BENCH_TASKS_PER_PROJECT (100)
#                                the large data set
#   BENCH_TOKEN_USERS (100)      how many users log in before the load (their tokens and
#                                projects feed the request tables)
#   BENCH_STARTUP_RUNS (5)       server starts measured for the start-up median
#   BENCH_DATABASE_URL           PostgreSQL instead of SQLite (emptied, see above)
#   BENCH_OUT_DIR (target/bench) where results and the work dir go
# The server inherits the rest of the environment (DATABASE_MAX_CONNECTIONS, RUST_LOG,
# OUTBOX_*…); the script sets APP_ENV, JWT_SECRET, BCRYPT_COST, ACCESS_TOKEN_EXPIRE_MINUTES,
# LOGIN_RATE_PER_MINUTE, REGISTER_RATE_PER_HOUR, DATABASE_URL, HOST and PORT.
# It runs from the work dir, so a .env file in the repository is not read.
#
# It is a benchmark, not a test: it fails only when it cannot run, never on a missed target.
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LUA_DIR="$ROOT/scripts/bench"

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

CARGO="${CARGO:-cargo}"
DURATION="${BENCH_DURATION:-10}"
WARMUP="${BENCH_WARMUP:-2}"
LOGIN_DURATION="${BENCH_LOGIN_DURATION:-30}"
TIMEOUT="${BENCH_TIMEOUT:-10}"
BCRYPT_COST="${BENCH_BCRYPT_COST:-12}"
USERS="${BENCH_USERS:-1000}"
PROJECTS_PER_USER="${BENCH_PROJECTS_PER_USER:-10}"
TASKS_PER_PROJECT="${BENCH_TASKS_PER_PROJECT:-100}"
TOKEN_USERS="${BENCH_TOKEN_USERS:-100}"
STARTUP_RUNS="${BENCH_STARTUP_RUNS:-5}"
OUT="${BENCH_OUT_DIR:-$ROOT/target/bench}"
DB_URL="${BENCH_DATABASE_URL:-}"
THREADS=2 # wrk threads
CORES="$(nproc)"

# The small data set: 10 users × (starter project of 3 tasks + 1 project of 97) = 1,000 tasks.
SMALL_USERS=10
SMALL_PROJECTS_PER_USER=1
SMALL_TASKS_PER_PROJECT=97

if (( TOKEN_USERS > USERS )); then TOKEN_USERS="$USERS"; fi

# The server's default read pool (crates/api/src/config.rs), for the results when
# DATABASE_MAX_CONNECTIONS is not set.
if [[ -z "${BENCH_DATABASE_URL:-}" ]]; then
    # One reader per core, 2 to 4.
    READERS=$CORES
    (( READERS < 2 )) && READERS=2
    (( READERS > 4 )) && READERS=4
    DEFAULT_POOL="$READERS reader threads + 1 writer (default)"
else
    DEFAULT_POOL="16 (default)"
fi

case "$DB_URL" in
    "") KIND=sqlite ;;
    postgres://* | postgresql://*) KIND=postgres ;;
    *) die "BENCH_DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)" ;;
esac

# --- tools --------------------------------------------------------------------------
ensure_tools() {
    local missing=() sudo=""
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    command -v jq >/dev/null 2>&1 || missing+=(jq)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    [[ ${#missing[@]} -eq 0 ]] && return 0
    command -v apt-get >/dev/null 2>&1 \
        || die "missing ${missing[*]} and no apt-get to install them: install them first"
    if [[ "$(id -u)" -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "missing ${missing[*]}: install them (no sudo here)"
        sudo="sudo"
    fi
    log "installing ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 \
        || { $sudo apt-get update -q >&2 \
            && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; }
}
ensure_tools

# --- build ----------------------------------------------------------------------------
log "building the release binaries ($CARGO build --release -p api -p bench-reference)"
"$CARGO" build --release -p api -p bench-reference >&2
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
[[ "$TARGET_DIR" == /* ]] || TARGET_DIR="$ROOT/$TARGET_DIR"
BIN="$TARGET_DIR/release/api"
[[ -x "$BIN" ]] || die "no binary at $BIN"
# The reference routes (benches/reference, issue #19): the hot paths on the bare driver.
REF_BIN="$TARGET_DIR/release/bench-reference"
[[ -x "$REF_BIN" ]] || die "no binary at $REF_BIN"

# --- work dir -------------------------------------------------------------------------
RUN_ID="$(date -u +%Y%m%dT%H%M%SZ)"
WORK="$OUT/run-$RUN_ID-$KIND"
mkdir -p "$WORK/data" "$WORK/wrk" "$WORK/tokens"
SCENARIOS="$WORK/scenarios.jsonl"
: >"$SCENARIOS"
log "work dir: $WORK"

# A FIFO nobody writes to: `read -t` on it sleeps without forking a process.
mkfifo "$WORK/.sleep"
exec {SLEEP_FD}<>"$WORK/.sleep"
nap() { read -r -t "$1" -u "$SLEEP_FD" _ || true; }

JWT_SECRET="$(head -c 36 /dev/urandom | base64)" # 48 characters
# The tokens taken before the load must outlive the whole run, which can take longer than
# the default 15 minutes of an access token. The load comes from one address, far above the
# per-address limits meant for one client: they are raised (not turned off, so that their
# checks still cost what they cost), see docs/benchmarks.md.
SERVER_ENV=(APP_ENV=production "JWT_SECRET=$JWT_SECRET" "BCRYPT_COST=$BCRYPT_COST"
    ACCESS_TOKEN_EXPIRE_MINUTES=120 LOGIN_RATE_PER_MINUTE=1000000
    REGISTER_RATE_PER_HOUR=1000000 HOST=127.0.0.1 NO_COLOR=1)

if [[ "$KIND" == sqlite ]]; then
    SMALL_URL="sqlite://$WORK/small.db"
    LARGE_URL="sqlite://$WORK/large.db"
    SEED_RESET=()
else
    # One throwaway database, seeded small first, then emptied and seeded large.
    SMALL_URL="$DB_URL"
    LARGE_URL="$DB_URL"
    SEED_RESET=(--reset --force)
fi

# --- server ---------------------------------------------------------------------------
SERVER_PID=""
SERVER_LOG=""
BG_PIDS=()
PEAK_RSS_KB=0

cleanup() {
    local status=$?
    set +e
    local pid
    for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    stop_reference
    stop_server
    rm -f "${WORK:-/nonexistent}/.sleep"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=lib/free-port.sh
source "$ROOT/scripts/lib/free-port.sh"

# One GET /health over a raw socket (to PORT, or the port given): no process start-up beyond
# one subshell.
health_ok() {
    local port="${1:-$PORT}"
    (
        exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
        printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
        IFS= read -r -t 2 line <&3 || exit 1
        [[ "$line" == "HTTP/1.1 200"* ]]
    ) 2>/dev/null
}

# start_server URL LOG: starts the server, waits for the first /health 200 and sets
# STARTUP_MS to the time from the fork to that answer.
start_server() {
    local url="$1"
    SERVER_LOG="$2"
    PORT="$(free_port)" || die "no free port found"
    BASE="http://127.0.0.1:$PORT"
    local t0="$EPOCHREALTIME"
    (cd "$WORK" && exec env "${SERVER_ENV[@]}" "DATABASE_URL=$url" "PORT=$PORT" "$BIN" serve) \
        >>"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    until health_ok; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            wait "$SERVER_PID" 2>/dev/null || true
            SERVER_PID=""
            log "the server exited during start-up; the end of $SERVER_LOG:"
            tail -n 20 "$SERVER_LOG" >&2
            exit 1
        fi
        if awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a > 60) }'; then
            die "the server did not answer /health within 60 s (log: $SERVER_LOG)"
        fi
        nap 0.002
    done
    STARTUP_MS="$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) * 1000 }')"
}

stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 150); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        nap 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        log "the server did not stop within 15 s: killing it"
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# start_reference URL LOG: starts the reference routes on the same database and secret as
# the server, and waits for their /health; sets REF_PID and REF_BASE.
REF_PID=""
start_reference() {
    local url="$1" ref_log="$2" ref_port i
    ref_port="$(free_port)" || die "no free port found"
    REF_BASE="http://127.0.0.1:$ref_port"
    (cd "$WORK" && exec env "${SERVER_ENV[@]}" "DATABASE_URL=$url" "PORT=$ref_port" "$REF_BIN") \
        >>"$ref_log" 2>&1 &
    REF_PID=$!
    for i in $(seq 1 3000); do
        health_ok "$ref_port" && return 0
        kill -0 "$REF_PID" 2>/dev/null || break
        nap 0.01
    done
    log "the reference routes did not start; the end of $ref_log:"
    tail -n 20 "$ref_log" >&2
    exit 1
}

stop_reference() {
    [[ -n "$REF_PID" ]] || return 0
    kill -TERM "$REF_PID" 2>/dev/null || true
    wait "$REF_PID" 2>/dev/null || true
    REF_PID=""
}

# The server's peak resident set (VmHWM, KiB) so far; also raises PEAK_RSS_KB.
server_rss_kb() {
    local kb
    kb="$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)"
    kb="${kb:-0}"
    if (( kb > PEAK_RSS_KB )); then PEAK_RSS_KB="$kb"; fi
    echo "$kb"
}

require_server_alive() {
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        log "the server died during '$1'; the end of $SERVER_LOG:"
        tail -n 30 "$SERVER_LOG" >&2
        SERVER_PID=""
        exit 1
    fi
}

# --- seeding --------------------------------------------------------------------------
# seed URL LOG ARGS...: runs `api seed` like the server would be configured; sets SEED_S.
seed() {
    local url="$1" seed_log="$2"
    shift 2
    local t0="$EPOCHREALTIME"
    if ! (cd "$WORK" && exec env "${SERVER_ENV[@]}" "DATABASE_URL=$url" \
            "$BIN" seed "${SEED_RESET[@]}" "$@") >"$seed_log" 2>&1; then
        log "api seed failed; the end of $seed_log:"
        tail -n 20 "$seed_log" >&2
        exit 1
    fi
    SEED_S="$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')"
}

# --- requests with curl ---------------------------------------------------------------
token_for() { # EMAIL
    curl -sS --fail "$BASE/api/auth/token" --data-urlencode "username=$1" \
        --data-urlencode "password=password" | jq -er .access_token
}

# Logs in users 1..N, two at a time per core, into $WORK/tokens/<n>.
fetch_tokens() {
    local n="$1"
    rm -f "$WORK/tokens/"*
    export BASE WORK
    seq 1 "$n" | xargs -P "$((CORES * 2))" -I{} bash -c '
        curl -sS --fail "$BASE/api/auth/token" --data-urlencode "username=user{}@example.com" \
            --data-urlencode "password=password" | jq -er .access_token >"$WORK/tokens/{}"'
}

# expect_status STATUS METHOD PATH TOKEN [JSON BODY]: one request to check a table's rows
# are right before the load starts.
expect_status() {
    local want="$1" method="$2" path="$3" token="$4" body="${5:-}" got
    local args=(-sS -o "$WORK/expect.out" -w '%{http_code}' -X "$method"
        -H "Authorization: Bearer $token")
    [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
    got="$(curl "${args[@]}" "$BASE$path")"
    [[ "$got" == "$want" ]] || die "$method $path answered $got, not $want: $(cat "$WORK/expect.out")"
}

# --- wrk --------------------------------------------------------------------------------
# run_wrk LABEL SCRIPT DATA CONNECTIONS SECONDS THREADS: prints the JSON result line.
run_wrk() {
    local label="$1" script="$2" data="$3" connections="$4" seconds="$5" threads="$6"
    local out="$WORK/wrk/$label.out"
    if ! env BENCH_DATA="$data" BENCH_THREADS="$threads" BENCH_LUA_DIR="$LUA_DIR" \
            BENCH_LABEL="$label" BENCH_STATUS_CODES="${STATUS_CODES:-1}" \
            wrk -t "$threads" -c "$connections" -d "${seconds}s" --timeout "${TIMEOUT}s" \
            -s "$LUA_DIR/$script" "${TARGET_BASE:-$BASE}" >"$out" 2>&1; then
        log "wrk failed for $label:"
        cat "$out" >&2
        exit 1
    fi
    grep '^BENCH_RESULT ' "$out" | sed 's/^BENCH_RESULT //' | tail -n 1 | grep . \
        || { log "no result from wrk for $label:"; cat "$out" >&2; exit 1; }
}

warm_up() { # LABEL SCRIPT DATA CONNECTIONS THREADS
    if awk -v w="$WARMUP" 'BEGIN { exit !(w > 0) }'; then
        run_wrk "$1-warmup" "$2" "$3" "$4" "$WARMUP" "$5" >/dev/null
    fi
}

# record ID NAME CONNECTIONS JSON: adds the server's RSS and appends to scenarios.jsonl.
record() {
    local id="$1" name="$2" connections="$3" json="$4" rss
    require_server_alive "$id"
    rss="$(server_rss_kb)"
    jq -c --arg id "$id" --arg name "$name" --argjson connections "$connections" \
        --argjson rss "$rss" --argjson peak "$PEAK_RSS_KB" \
        '{id: $id, name: $name, connections: $connections} + del(.label)
         + {server_rss_kb: $rss, peak_rss_kb_so_far: $peak}' <<<"$json" >>"$SCENARIOS"
    jq -r '"bench: \(.id): \(.rps) req/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, \(.errors) errors, "
           + "status \(.status_codes | tostring), server RSS \(.server_rss_kb / 1024 | floor) MiB"' \
        <<<"$(tail -n 1 "$SCENARIOS")" >&2
}

# reference_scenario ID NAME SCRIPT DATA CONNECTIONS: the same runs against the reference
# routes, recorded with the reference's own RSS (not the server's peak).
reference_scenario() {
    local id="$1" name="$2" script="$3" data="$4" connections="$5" threads="$THREADS" json rss
    (( connections < threads )) && threads="$connections"
    log "$id: $name, $connections connections, ${DURATION} s (reference routes)"
    TARGET_BASE="$REF_BASE" warm_up "$id" "$script" "$data" "$connections" "$threads"
    json="$(TARGET_BASE="$REF_BASE" run_wrk "$id" "$script" "$data" "$connections" "$DURATION" "$threads")"
    kill -0 "$REF_PID" 2>/dev/null || die "the reference routes died during $id (log: $WORK/reference.log)"
    rss="$(awk '/^VmHWM:/ { print $2 }' "/proc/$REF_PID/status" 2>/dev/null || echo 0)"
    jq -c --arg id "$id" --arg name "$name" --argjson connections "$connections" \
        --argjson rss "${rss:-0}" \
        '{id: $id, name: $name, connections: $connections, reference: true} + del(.label)
         + {server_rss_kb: $rss}' <<<"$json" >>"$SCENARIOS"
    jq -r '"bench: \(.id): \(.rps) req/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, \(.errors) errors (reference)"' \
        <<<"$(tail -n 1 "$SCENARIOS")" >&2
}

# scenario ID NAME SCRIPT DATA CONNECTIONS [WARMUP_DATA]: warm-up, then a measured run of
# SECONDS (default DURATION).
scenario() {
    local id="$1" name="$2" script="$3" data="$4" connections="$5" warm="${6:-$4}"
    local threads="$THREADS" seconds="${SECONDS_OVERRIDE:-$DURATION}"
    (( connections < threads )) && threads="$connections"
    log "$id: $name, $connections connections, ${seconds} s"
    warm_up "$id" "$script" "$warm" "$connections" "$threads"
    record "$id" "$name" "$connections" \
        "$(run_wrk "$id" "$script" "$data" "$connections" "$seconds" "$threads")"
}

# Lua data tables ---------------------------------------------------------------------------
# lua_table FILE JQ_FILTER < JSONL: one row per input line; the filter yields the row body.
lua_table() {
    local file="$1" filter="$2"
    { echo "return {"; jq -r "$filter | \"{\" + . + \"},\""; echo "}"; } >"$file"
    local rows
    rows="$(grep -c '^{' "$file" || true)"
    (( rows > 0 )) || die "no rows for $file"
}
lua_str() { echo "\"\\(.$1)\""; }

# The first project of user 1 with at least 50 tasks, as a one-row table for scenario 7.
single_project_table() {
    local file="$1" token project
    token="$(token_for user1@example.com)"
    project="$(curl -sS --fail -H "Authorization: Bearer $token" "$BASE/api/projects?limit=200" \
        | jq -er '[.projects[] | select(.taskCount >= 50)][0].id')"
    printf 'return {\n{token="%s",project="%s"},\n}\n' "$token" "$project" >"$file"
    expect_status 200 GET "/api/projects/$project/tasks?limit=50" "$token"
}

# === 1. the small data set, and scenario 7 on it ==========================================
log "seeding the small data set ($SMALL_USERS users × ($SMALL_PROJECTS_PER_USER × $SMALL_TASKS_PER_PROJECT + 3) tasks) on $KIND"
seed "$SMALL_URL" "$WORK/seed-small.log" --users "$SMALL_USERS" \
    --projects-per-user "$SMALL_PROJECTS_PER_USER" --tasks-per-project "$SMALL_TASKS_PER_PROJECT"
SMALL_SEED_S="$SEED_S"
SMALL_TASKS=$((SMALL_USERS * (SMALL_PROJECTS_PER_USER * SMALL_TASKS_PER_PROJECT + 3)))

start_server "$SMALL_URL" "$WORK/server-small.log"
single_project_table "$WORK/data/s7-small.lua"
scenario s7-small "7. task list, one project, 1k-task database" tasks_list.lua \
    "$WORK/data/s7-small.lua" 64
expect_status 200 GET "/api/tasks?status=incomplete&sort=dueAt&limit=50" "$(token_for user1@example.com)"
scenario s8-small "8. all tasks, incomplete by due date, 1k-task database" all_tasks.lua \
    "$WORK/data/s7-small.lua" 64
scenario s9-small "9. search a project's tasks by priority, 1k-task database" search_tasks.lua \
    "$WORK/data/s7-small.lua" 64
stop_server

# === 2. the large data set ==================================================================
LARGE_TASKS=$((USERS * (PROJECTS_PER_USER * TASKS_PER_PROJECT + 3)))
log "seeding the large data set ($USERS users × $PROJECTS_PER_USER projects × $TASKS_PER_PROJECT tasks + starter projects = $LARGE_TASKS tasks)"
seed "$LARGE_URL" "$WORK/seed-large.log" --users "$USERS" \
    --projects-per-user "$PROJECTS_PER_USER" --tasks-per-project "$TASKS_PER_PROJECT"
LARGE_SEED_S="$SEED_S"
log "large seed: $LARGE_SEED_S s"

# Start-up on the existing database, a few times.
STARTUPS=()
for i in $(seq 1 "$STARTUP_RUNS"); do
    start_server "$LARGE_URL" "$WORK/server-startup.log"
    server_rss_kb >/dev/null
    stop_server
    STARTUPS+=("$STARTUP_MS")
    log "start-up $i: $STARTUP_MS ms"
done
STARTUP_MEDIAN_MS="$(printf '%s\n' "${STARTUPS[@]}" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
STARTUPS_JSON="$(printf '%s\n' "${STARTUPS[@]}" | jq -sc .)"

# === 3. the server on the large data set ======================================================
start_server "$LARGE_URL" "$WORK/server-large.log"
log "server on the large data set: $BASE (pid $SERVER_PID, log $SERVER_LOG)"

single_project_table "$WORK/data/s7-large.lua"
scenario s7-large "7. task list, one project, large database" tasks_list.lua \
    "$WORK/data/s7-large.lua" 64
scenario s8-large "8. all tasks, incomplete by due date, large database" all_tasks.lua \
    "$WORK/data/s7-large.lua" 64
scenario s9-large "9. search a project's tasks by priority, large database" search_tasks.lua \
    "$WORK/data/s7-large.lua" 64

log "logging in $TOKEN_USERS users"
fetch_tokens "$TOKEN_USERS"
PROJECTS="$WORK/data/projects.jsonl"
: >"$PROJECTS"
for i in $(seq 1 "$TOKEN_USERS"); do
    token="$(<"$WORK/tokens/$i")"
    curl -sS --fail -H "Authorization: Bearer $token" "$BASE/api/projects?limit=200" \
        | jq -c --arg token "$token" --argjson user "$i" \
            '.projects[] | {user: $user, token: $token, id, max: .maxIncompleteTasks,
             archived: (.archivedAt != null), tasks: .taskCount}' >>"$PROJECTS"
done

# Scenario 1: every project with a full page of tasks.
jq -c 'select(.tasks >= 50)' "$PROJECTS" >"$WORK/data/read-projects.jsonl"
lua_table "$WORK/data/reads.lua" '"token=\(.token | @json),project=\(.id | @json)"' \
    <"$WORK/data/read-projects.jsonl"
# Scenario 2: one row per user.
jq -c 'select(.user) | {token}' "$PROJECTS" | jq -sc 'unique[]' \
    | lua_table "$WORK/data/users.lua" '"token=\(.token | @json)"'
# Scenario 3: active projects without a maximum (201 is the only right answer).
jq -c 'select((.archived | not) and .max == null)' "$PROJECTS" >"$WORK/data/open-projects.jsonl"
lua_table "$WORK/data/adds.lua" '"token=\(.token | @json),project=\(.id | @json)"' \
    <"$WORK/data/open-projects.jsonl"
# Scenario 3b: one of them, for every connection at once.
jq -cn 'first(inputs | select(.tasks >= 50))' "$WORK/data/open-projects.jsonl" \
    | lua_table "$WORK/data/add-one.lua" '"token=\(.token | @json),project=\(.id | @json)"'
# Scenario 4: every task of 20 such projects (of different users), with its current state;
# the first 4 projects for the warm-up, the others for the measured run.
jq -sc 'map(select(.tasks >= 50)) | group_by(.user) | map(.[0]) | .[:20][]' \
    "$WORK/data/open-projects.jsonl" >"$WORK/data/toggle-projects.jsonl"
n=0
: >"$WORK/data/toggle-warm.jsonl"
: >"$WORK/data/toggle.jsonl"
while IFS= read -r row; do
    token="$(jq -r .token <<<"$row")"
    project="$(jq -r .id <<<"$row")"
    target="$WORK/data/toggle.jsonl"
    (( n < 4 )) && target="$WORK/data/toggle-warm.jsonl"
    curl -sS --fail -H "Authorization: Bearer $token" \
        "$BASE/api/projects/$project/tasks?limit=200" \
        | jq -c --arg token "$token" --arg project "$project" \
            '.tasks[] | {token: $token, project: $project, number, completed: (.completedAt != null)}' \
            >>"$target"
    n=$((n + 1))
done <"$WORK/data/toggle-projects.jsonl"
TOGGLE_ROW='"token=\(.token | @json),project=\(.project | @json),number=\(.number),completed=\(.completed)"'
lua_table "$WORK/data/toggle.lua" "$TOGGLE_ROW" <"$WORK/data/toggle.jsonl"
lua_table "$WORK/data/toggle-warm.lua" "$TOGGLE_ROW" <"$WORK/data/toggle-warm.jsonl"
# Scenario 5: every seeded user.
seq 1 "$USERS" | jq -c '{username: "user\(.)@example.com"}' \
    | lua_table "$WORK/data/logins.lua" '"username=\(.username | @json)"'

# One request per table, to catch a wrong row before it turns into a wall of errors.
first="$(head -n 1 "$WORK/data/read-projects.jsonl")"
expect_status 200 GET "/api/projects/$(jq -r .id <<<"$first")/tasks?limit=50" "$(jq -r .token <<<"$first")"
expect_status 200 GET /api/projects "$(jq -r .token <<<"$first")"
first="$(head -n 1 "$WORK/data/open-projects.jsonl")"
expect_status 201 POST "/api/projects/$(jq -r .id <<<"$first")/tasks" "$(jq -r .token <<<"$first")" \
    '{"name":"Benchmark check"}'
token_for user1@example.com >/dev/null

# The reference routes, on the same database: they must answer the page byte for byte as the
# server does, and add a task the server then shows.
start_reference "$LARGE_URL" "$WORK/reference.log"
first="$(head -n 1 "$WORK/data/read-projects.jsonl")"
for base in "$BASE" "$REF_BASE"; do
    curl -sS --fail -H "Authorization: Bearer $(jq -r .token <<<"$first")" \
        "$base/api/projects/$(jq -r .id <<<"$first")/tasks?limit=50" >"$WORK/page-${base##*:}.json" \
        || die "GET a task page from $base failed"
done
cmp -s "$WORK/page-${BASE##*:}.json" "$WORK/page-${REF_BASE##*:}.json" \
    || die "the reference routes answer another task page than the server: see $WORK/page-*.json"
first="$(head -n 1 "$WORK/data/open-projects.jsonl")"
BASE="$REF_BASE" expect_status 201 POST "/api/projects/$(jq -r .id <<<"$first")/tasks" \
    "$(jq -r .token <<<"$first")" '{"name":"Reference check"}'
log "reference routes: $REF_BASE (pid $REF_PID), same answers as the server"

log "tables: $(grep -c '^{' "$WORK/data/reads.lua") read projects, $(grep -c '^{' "$WORK/data/users.lua") users, $(grep -c '^{' "$WORK/data/adds.lua") open projects, $(grep -c '^{' "$WORK/data/toggle.lua") tasks to toggle"

# === 4. the scenarios ==========================================================================
# Reads: wrk does not need to look at each response (errors still counts non-2xx/3xx).
STATUS_CODES=0
scenario s1 "1. task list (page of 50), many projects" tasks_list.lua "$WORK/data/reads.lua" 64
reference_scenario s1-ref "1. task list, reference route" tasks_list.lua "$WORK/data/reads.lua" 64
scenario s2 "2. project list, many users" projects_list.lua "$WORK/data/users.lua" 64
STATUS_CODES=1
scenario s3-16 "3. add a task, many projects" add_task.lua "$WORK/data/adds.lua" 16
reference_scenario s3-16-ref "3. add a task, reference route" add_task.lua "$WORK/data/adds.lua" 16
scenario s3-64 "3. add a task, many projects" add_task.lua "$WORK/data/adds.lua" 64
scenario s3-one "3b. add a task, all on one project (contention; no target)" add_task.lua \
    "$WORK/data/add-one.lua" 16
scenario s4 "4. complete / incomplete, alternating" toggle_task.lua "$WORK/data/toggle.lua" 16 \
    "$WORK/data/toggle-warm.lua"
# One connection: the latency of a login is about one bcrypt hash.
HASH_DURATION="$(awk -v d="$DURATION" 'BEGIN { print (d < 5 ? d : 5) }')"
log "s5-hash: one login at a time, ${HASH_DURATION} s"
record s5-hash "5a. login, 1 connection (≈ one bcrypt hash)" 1 \
    "$(run_wrk s5-hash login.lua "$WORK/data/logins.lua" 1 "$HASH_DURATION" 1)"
SECONDS_OVERRIDE="$LOGIN_DURATION" scenario s5 "5. login (bcrypt cost $BCRYPT_COST)" login.lua \
    "$WORK/data/logins.lua" 8

STATUS_CODES=0
scenario s6-alone "6a. task list alone" tasks_list.lua "$WORK/data/reads.lua" 8

log "s6: task list and logins at the same time, 8 + 8 connections, ${DURATION} s"
if awk -v w="$WARMUP" 'BEGIN { exit !(w > 0) }'; then
    run_wrk s6-read-warmup tasks_list.lua "$WORK/data/reads.lua" 8 "$WARMUP" "$THREADS" >/dev/null &
    BG_PIDS=($!)
    STATUS_CODES=1 run_wrk s6-login-warmup login.lua "$WORK/data/logins.lua" 8 "$WARMUP" "$THREADS" \
        >/dev/null
    wait "${BG_PIDS[@]}"
fi
run_wrk s6-storm-read tasks_list.lua "$WORK/data/reads.lua" 8 "$DURATION" "$THREADS" \
    >"$WORK/s6-read.json" &
BG_PIDS=($!)
STATUS_CODES=1 run_wrk s6-storm-login login.lua "$WORK/data/logins.lua" 8 "$DURATION" "$THREADS" \
    >"$WORK/s6-login.json"
wait "${BG_PIDS[@]}"
BG_PIDS=()
record s6-storm-read "6b. task list during the login storm" 8 "$(cat "$WORK/s6-read.json")"
record s6-storm-login "6b. the login storm (at the same time)" 8 "$(cat "$WORK/s6-login.json")"

server_rss_kb >/dev/null
stop_reference
stop_server

# === 5. results ==================================================================================
# The server logs JSON (APP_ENV=production's default) or the human format (LOG_FORMAT=pretty).
SERVER_ERRORS="$(cat "$WORK"/server-*.log | grep -cE ' ERROR |"level":"ERROR"' || true)"
SERVER_WARNINGS="$(cat "$WORK"/server-*.log | grep -cE ' WARN |"level":"WARN"' || true)"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY=false
[[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]] && DIRTY=true
CPU_MODEL="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
WRK_VERSION="$(wrk -v 2>&1 | awk 'NR == 1 { print $1, $2 }' || true)"

jq -n --slurpfile scenarios "$SCENARIOS" \
    --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$COMMIT" --argjson dirty "$DIRTY" \
    --argjson cores "$CORES" --arg cpu "$CPU_MODEL" --arg kind "$KIND" \
    --arg loadavg "$(cut -d' ' -f1-3 /proc/loadavg)" --arg wrk "$WRK_VERSION" \
    --arg work_dir "$WORK" --argjson duration "$DURATION" --argjson warmup "$WARMUP" --argjson login_duration "$LOGIN_DURATION" \
    --argjson bcrypt "$BCRYPT_COST" --argjson threads "$THREADS" \
    --arg max_connections "${DATABASE_MAX_CONNECTIONS:-$DEFAULT_POOL}" \
    --argjson small_tasks "$SMALL_TASKS" --argjson large_tasks "$LARGE_TASKS" \
    --argjson users "$USERS" --argjson small_seed "$SMALL_SEED_S" --argjson large_seed "$LARGE_SEED_S" \
    --argjson startups "$STARTUPS_JSON" --argjson startup "$STARTUP_MEDIAN_MS" \
    --argjson peak "$PEAK_RSS_KB" --argjson server_errors "$SERVER_ERRORS" \
    --argjson server_warnings "$SERVER_WARNINGS" '
    ($scenarios | map({(.id): .}) | add) as $s
    | ($s["s5-hash"].p50_ms) as $hash_ms
    | (0.9 * $cores * 1000 / $hash_ms) as $login_goal
    | ([$s["s7-small"].p50_ms, $s["s7-large"].p50_ms]) as $p50s
    | (($p50s | max) / ($p50s | min)) as $ratio
    | def p50_ratio($n): $s["s\($n)-large"].p50_ms / $s["s\($n)-small"].p50_ms;
      def r1: . * 10 | round / 10;
      def r2: . * 100 | round / 100;
    {
      date: $date, commit: $commit, uncommitted_changes: $dirty,
      machine: {cores: $cores, cpu_model: $cpu, loadavg_at_end: $loadavg},
      database: $kind, load_generator: $wrk,
      settings: {duration_s: $duration, login_duration_s: $login_duration, warmup_s: $warmup, wrk_threads: $threads,
                 bcrypt_cost: $bcrypt, database_max_connections: $max_connections},
      seed: {small_tasks: $small_tasks, small_seconds: $small_seed,
             large_users: $users, large_tasks: $large_tasks, large_seconds: $large_seed},
      startup_ms: {median: $startup, runs: $startups},
      bcrypt_hash_ms: $hash_ms,
      peak_rss_kb: $peak, peak_rss_mib: ($peak / 1024 | r1),
      server_log: {error_lines: $server_errors, warn_lines: $server_warnings},
      scenarios: $scenarios,
      targets: [
        {id: "1", name: "1. task list, 64 connections",
         goal: "≥ 10,000 requests/s, p99 ≤ 20 ms, zero errors",
         measured: "\($s.s1.rps | round) requests/s, p99 \($s.s1.p99_ms | r1) ms, \($s.s1.errors) errors",
         pass: ($s.s1.rps >= 10000 and $s.s1.p99_ms <= 20 and $s.s1.errors == 0)},
        {id: "1-ref", name: "1. task list vs the reference route, 64 connections",
         goal: "≥ 0.90 of the reference, p99 ≤ 20 ms, zero errors",
         measured: "\($s.s1.rps | round) vs \($s["s1-ref"].rps | round) requests/s (\($s.s1.rps / $s["s1-ref"].rps | r2)), p99 \($s.s1.p99_ms | r1) ms vs \($s["s1-ref"].p99_ms | r1) ms, \($s.s1.errors) errors",
         pass: ($s.s1.rps >= 0.9 * $s["s1-ref"].rps and $s.s1.p99_ms <= 20 and $s.s1.errors == 0)},
        {id: "3-ref", name: "3. task creation vs the reference route, 16 connections",
         goal: "≥ 0.80 of the reference, p99 ≤ 20 ms, zero errors",
         measured: "\($s["s3-16"].rps | round) vs \($s["s3-16-ref"].rps | round) requests/s (\($s["s3-16"].rps / $s["s3-16-ref"].rps | r2)), p99 \($s["s3-16"].p99_ms | r1) ms vs \($s["s3-16-ref"].p99_ms | r1) ms, \($s["s3-16"].errors) errors",
         pass: ($s["s3-16"].rps >= 0.8 * $s["s3-16-ref"].rps and $s["s3-16"].p99_ms <= 20 and $s["s3-16"].errors == 0)},
        {id: "3", name: "3. task creation, 16 connections",
         goal: "zero errors, ≥ 2,000 requests/s",
         measured: "\($s["s3-16"].rps | round) requests/s, \($s["s3-16"].errors) errors (64 connections: \($s["s3-64"].errors) errors)",
         pass: ($s["s3-16"].errors == 0 and $s["s3-16"].rps >= 2000)},
        {id: "5", name: "5. login",
         goal: "≥ 90% of cores ÷ one bcrypt hash = 0.9 × \($cores) ÷ \($hash_ms | r1) ms = \($login_goal | r1) logins/s",
         measured: "\($s.s5.rps | r1) logins/s, \($s.s5.errors) errors",
         pass: ($s.s5.rps >= $login_goal and $s.s5.errors == 0)},
        {id: "6", name: "6. reads during a login storm",
         goal: "p99 ≤ 3 × p99 alone = 3 × \($s["s6-alone"].p99_ms | r2) ms = \(3 * $s["s6-alone"].p99_ms | r2) ms",
         measured: "p99 \($s["s6-storm-read"].p99_ms | r2) ms (\($s["s6-storm-read"].p99_ms / $s["s6-alone"].p99_ms | r1)×), \($s["s6-storm-read"].errors) errors",
         pass: ($s["s6-storm-read"].p99_ms <= 3 * $s["s6-alone"].p99_ms and $s["s6-storm-read"].errors == 0)},
        {id: "7", name: "7. large vs 1k-task database",
         goal: "p50 within 1.3×",
         measured: "p50 \($s["s7-large"].p50_ms | r2) ms vs \($s["s7-small"].p50_ms | r2) ms (\($ratio | r2)×)",
         pass: ($ratio <= 1.3)},
        {id: "8", name: "8. all tasks by due date, large vs 1k-task database",
         goal: "p50 within 1.5×, zero errors",
         measured: "p50 \($s["s8-large"].p50_ms | r2) ms vs \($s["s8-small"].p50_ms | r2) ms (\(p50_ratio(8) | r2)×), \($s["s8-large"].errors + $s["s8-small"].errors) errors",
         pass: (p50_ratio(8) <= 1.5 and $s["s8-large"].errors == 0 and $s["s8-small"].errors == 0)},
        {id: "9", name: "9. search by priority, large vs 1k-task database",
         goal: "p50 within 1.5×, zero errors",
         measured: "p50 \($s["s9-large"].p50_ms | r2) ms vs \($s["s9-small"].p50_ms | r2) ms (\(p50_ratio(9) | r2)×), \($s["s9-large"].errors + $s["s9-small"].errors) errors",
         pass: (p50_ratio(9) <= 1.5 and $s["s9-large"].errors == 0 and $s["s9-small"].errors == 0)},
        {id: "memory", name: "memory",
         goal: "peak RSS ≤ 40 MiB through all scenarios",
         measured: "\($peak / 1024 | r1) MiB",
         pass: ($peak <= 40 * 1024)},
        {id: "startup", name: "start-up",
         goal: "process start to first /health 200 ≤ 100 ms",
         measured: "\($startup) ms (median of \($startups | length))",
         pass: ($startup <= 100)},
        {id: "seed", name: "seed",
         goal: "1,000,000 tasks on SQLite in under 60 s",
         measured: "\($large_tasks) tasks on \($kind) in \($large_seed) s",
         pass: ($large_seed < 60 and $large_tasks >= 1000000)}
      ]
    }' >"$WORK/results.json"

jq -r '
  def r1: . * 10 | round / 10;
  def errs:
    ([.status_codes | to_entries[] | select(.key | test("^[23]") | not) | "\(.key): \(.value)"]
     + [.socket_errors | to_entries[] | select(.value > 0) | "socket \(.key): \(.value)"]) as $parts
    | if .errors == 0 then "0"
      elif ($parts | length) > 0 then "\(.errors) (\($parts | join(", ")))"
      else "\(.errors)" end;
  "## \(.database) – \(.date)",
  "",
  "Commit `\(.commit)`\(if .uncommitted_changes then " (with uncommitted changes)" else "" end), \(.machine.cores) cores, CPU \(.machine.cpu_model), load from \(.load_generator) with \(.settings.wrk_threads) threads on the same machine, \(.settings.duration_s) s per run (logins: \(.settings.login_duration_s) s) after a \(.settings.warmup_s) s warm-up, bcrypt cost \(.settings.bcrypt_cost), pool \(.settings.database_max_connections).",
  "",
  "- Seed: \(.seed.large_tasks) tasks (\(.seed.large_users) users) in \(.seed.large_seconds) s; \(.seed.small_tasks) tasks in \(.seed.small_seconds) s",
  "- Start-up to the first `/health` 200: median \(.startup_ms.median) ms (runs: \(.startup_ms.runs | map(tostring) | join(", ")) ms)",
  "- One bcrypt hash (median login latency at 1 connection): \(.bcrypt_hash_ms | r1) ms",
  "- Server peak RSS over all scenarios: \(.peak_rss_mib) MiB",
  "- Server log: \(.server_log.error_lines) ERROR lines, \(.server_log.warn_lines) WARN lines",
  "",
  "| scenario | connections | requests/s | p50 ms | p99 ms | errors | server peak RSS MiB |",
  "|---|---:|---:|---:|---:|---|---:|",
  (.scenarios[] | "| \(.name) | \(.connections) | \(.rps | round) | \(.p50_ms | r1) | \(.p99_ms | r1) | \(errs) | \(.server_rss_kb / 1024 | r1) |"),
  "",
  "| target | goal | measured | result |",
  "|---|---|---|---|",
  (.targets[] | "| \(.name) | \(.goal) | \(.measured) | \(if .pass then "pass" else "**miss**" end) |")
' "$WORK/results.json" >"$WORK/results.md"

cp "$WORK/results.json" "$OUT/results.json"
cp "$WORK/results.md" "$OUT/results.md"
cp "$WORK/results.json" "$OUT/results-$KIND.json"
cp "$WORK/results.md" "$OUT/results-$KIND.md"
log "results: $OUT/results.json, $OUT/results.md (work dir $WORK)"
echo
cat "$OUT/results.md"
