#!/usr/bin/env bash
# compare.sh — ops-mcp side by side with the reference server @modelcontextprotocol/server-everything (pinned below),
# both driven by the official TypeScript SDK client (bench/mcp-compare.mjs), in one run, interleaved (each round
# visits every launch in turn, so load from other work on the machine spreads over all of them). Prints medians and
# ratios ops/peer for:
#   - stdio spawn -> `initialize` answered: `java -jar` and the fast start of scripts/startup-cache.sh (its printed
#     command), each with --sandbox; server-everything `node dist/index.js stdio`;
#   - the first tools/call after `initialize` (+ THINK_MS): ops `host_list` (guarded, read-only) vs `echo`;
#   - server CPU per call over streamable HTTP, CLIENTS sessions after WARMUP calls each: utime+stime from
#     /proc/PID/stat, because the load client saturates before either server does;
#   - RSS idle (server started, SETTLE_S later, before any request) and peak (sampled every 50 ms) with 32 sessions.
# ops-mcp runs with the JVM flags it ships: over stdio those a client gets from `client-config claude-desktop` (the
# `args` before `-jar`; override with OPS_JAVA_OPTS="...", " " for none); over HTTP the container image's
# JAVA_TOOL_OPTIONS (deploy/container/Dockerfile, without its CDS archive) in a container of CONTAINER_MEMORY
# (-XX:MaxRAM, what the JVM reads from the cgroup limit; default 1g) (override with OPS_HTTP_JAVA_OPTS), with the
# image's MALLOC_ARENA_MAX in its environment (override with OPS_HTTP_ENV="VAR=value ...", " " for none).
#
# Knobs (environment): JAR (app/target/ops-mcp.jar), JAVA (java), FAST_JAVA (the java the fast start's cache is made
#   for and runs on, JAVA by default: e.g. a JDK 25 for its AOT cache while the `java -jar` row and HTTP stay on JAVA;
#   the fast-start rows name its JDK and cache kind), RUNS (stdio starts per launch, 7), REPS (HTTP
#   repetitions, 3), CALLS (timed calls per HTTP run, 2000), CLIENTS (8), PEAK_CLIENTS (32), WARMUP (untimed calls
#   per session before the first HTTP run, 500), THINK_MS (1000), SETTLE_S (5), CONTAINER_MEMORY (1g), CACHE_SCRIPT
#   (scripts/startup-cache.sh), SKIP_STDIO=1, SKIP_HTTP=1, BENCH_DIR (where the pinned npm packages are installed
#   and kept, ${TMPDIR:-/tmp}/ops-mcp-bench), OUT (raw JSON lines, BENCH_DIR/compare-DATE.jsonl).
# Quick run: RUNS=3 REPS=1 CALLS=500 WARMUP=100 bash bench/compare.sh
# Needs node 18+ and npm (first run only). Loopback only; every wait is bounded; only its own processes are stopped.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SDK_VERSION=1.32.2                 # @modelcontextprotocol/sdk, as in e2e/package.json
EVERYTHING_VERSION=2026.8.31       # @modelcontextprotocol/server-everything
JAR=${JAR:-$ROOT/app/target/ops-mcp.jar}
JAVA=${JAVA:-java}
FAST_JAVA=${FAST_JAVA:-$JAVA}
RUNS=${RUNS:-7}
REPS=${REPS:-3}
CALLS=${CALLS:-2000}
CLIENTS=${CLIENTS:-8}
PEAK_CLIENTS=${PEAK_CLIENTS:-32}
WARMUP=${WARMUP:-500}
THINK_MS=${THINK_MS:-1000}
SETTLE_S=${SETTLE_S:-5}
CACHE_SCRIPT=${CACHE_SCRIPT:-$ROOT/scripts/startup-cache.sh}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/ops-mcp-bench}
OUT=${OUT:-$BENCH_DIR/compare-$(date +%Y%m%d-%H%M%S).jsonl}
CLIENT="$ROOT/bench/mcp-compare.mjs"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

[ -f "$JAR" ] || { echo "compare.sh: no jar at $JAR (build first: ./mvnw -q -DskipTests package)" >&2; exit 2; }
command -v node >/dev/null || { echo "compare.sh: needs node 18+" >&2; exit 2; }
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
export MCP_SDK_DIR="$BENCH_DIR/node_modules/@modelcontextprotocol/sdk"
SE="$BENCH_DIR/node_modules/@modelcontextprotocol/server-everything/dist/index.js"
installed() { node -p "require('$BENCH_DIR/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [ "$(installed @modelcontextprotocol/sdk)" != "$SDK_VERSION" ] ||
  [ "$(installed @modelcontextprotocol/server-everything)" != "$EVERYTHING_VERSION" ]; then
  log "installing @modelcontextprotocol/sdk@$SDK_VERSION and server-everything@$EVERYTHING_VERSION into $BENCH_DIR"
  (cd "$BENCH_DIR" && { [ -f package.json ] || echo '{"name":"ops-mcp-bench","private":true}' > package.json; } &&
    timeout 300 npm install --no-audit --no-fund --loglevel=error \
      "@modelcontextprotocol/sdk@$SDK_VERSION" "@modelcontextprotocol/server-everything@$EVERYTHING_VERSION" >&2)
fi
# server-everything listens on every interface; this preload keeps it on loopback.
cat > "$BENCH_DIR/loopback.cjs" <<'EOF'
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, ...rest) {
  if (typeof port === 'number' || /^\d+$/.test(String(port))) return listen.call(this, port, '127.0.0.1', ...rest.filter((a) => typeof a === 'function'));
  return listen.call(this, port, ...rest);
};
EOF

WORK=$(mktemp -d "$BENCH_DIR/run.XXXXXX")
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
: > "$OUT"
record() { printf '{"label":"%s","metric":"%s","value":%s}\n' "$1" "$2" "$3" >> "$OUT"; }

if [ -z "${OPS_JAVA_OPTS:-}" ]; then
  OPS_JAVA_OPTS=$("$JAVA" -jar "$JAR" client-config claude-desktop 2>/dev/null | node -e '
    const c = JSON.parse(require("fs").readFileSync(0, "utf8")); const s = Object.values(c.mcpServers)[0];
    console.log(s.args.slice(0, s.args.indexOf("-jar")).join(" "))')
fi
read -r -a JOPTS <<< "$OPS_JAVA_OPTS"
if [ -z "${OPS_HTTP_JAVA_OPTS:-}" ]; then
  OPS_HTTP_JAVA_OPTS="$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' "$ROOT/deploy/container/Dockerfile" |
    tr ' ' '\n' | grep -v SharedArchiveFile | tr '\n' ' ')-XX:MaxRAM=${CONTAINER_MEMORY:-1g}"
fi
read -r -a HOPTS <<< "$OPS_HTTP_JAVA_OPTS"
if [ -z "${OPS_HTTP_ENV:-}" ]; then # the Dockerfile's ENV lines that tune the C library
  OPS_HTTP_ENV=$(sed -n 's/^\(ENV\)\{0,1\} *\(MALLOC_[A-Z_]*=[^ \\]*\).*/\2/p' "$ROOT/deploy/container/Dockerfile" | tr '\n' ' ')
fi
read -r -a HENV <<< "$OPS_HTTP_ENV"
log "ops-mcp JVM flags: stdio ${OPS_JAVA_OPTS:-(none)}; HTTP $OPS_HTTP_JAVA_OPTS (env: ${OPS_HTTP_ENV:-none}); $("$JAVA" -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------ stdio
# which cache startup-cache.sh makes for FAST_JAVA (the same test as the script's)
fast_major=$("$FAST_JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
fast_kind=CDS; [ "${fast_major%%.*}" -ge 25 ] 2>/dev/null && fast_kind=AOT
FAST_LABEL="startup-cache.sh, JDK $fast_major $fast_kind"
json_argv() { node -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- "$@"; }
if [ "${SKIP_STDIO:-}" != 1 ]; then
  log "fast start: $CACHE_SCRIPT"
  JAR="$JAR" bash "$CACHE_SCRIPT" "$WORK/cache" "$FAST_JAVA" > "$WORK/cache.txt"
  read -r -a FAST <<< "$(tail -1 "$WORK/cache.txt")"
  fast=()
  for ((i = 0; i < ${#FAST[@]}; i++)); do # the printed command, without its placeholder --config
    if [ "${FAST[$i]}" = --config ]; then i=$((i + 1)); else fast+=("${FAST[$i]}"); fi
  done
  mkdir -p "$WORK/data-jar" "$WORK/data-fast"
  declare -A START
  START[ops-jar]=$(json_argv "$JAVA" "${JOPTS[@]}" -jar "$JAR" serve --transport stdio --sandbox \
    --data-dir "$WORK/data-jar" --log-level warn)
  START[ops-fast]=$(json_argv "${fast[@]}" --sandbox --data-dir "$WORK/data-fast" --log-level warn)
  START[everything]=$(json_argv node "$SE" stdio)
  declare -A CALL=([ops-jar]=host_list [ops-fast]=host_list [everything]=echo)
  declare -A ARGS=([ops-jar]='{}' [ops-fast]='{}' [everything]='{"message":"hi"}')
  one_start() { # LABEL -> the start line, or nothing on failure
    timeout 200 node "$CLIENT" start --cmd "${START[$1]}" --call "${CALL[$1]}" --args "${ARGS[$1]}" --think "$THINK_MS"
  }
  log "stdio: one untimed start per launch (page cache, data directories)"
  for v in ops-jar ops-fast everything; do one_start "$v" > /dev/null || true; done
  for run in $(seq 1 "$RUNS"); do
    for v in $(printf '%s\n' ops-jar ops-fast everything | shuf); do
      line=$(one_start "$v" || true)
      if node -e 'const r = JSON.parse(process.argv[1]); process.exit(r.ok ? 0 : 1)' "$line" 2>/dev/null; then
        record "$v" init_ms "$(node -p 'JSON.parse(process.argv[1]).init_ms' "$line")"
        record "$v" call_ms "$(node -p 'JSON.parse(process.argv[1]).call_ms' "$line")"
      else
        log "stdio $v run $run failed: $line"
      fi
    done
    log "stdio round $run/$RUNS (load $(cut -d' ' -f1 /proc/loadavg))"
  done
fi

# ------------------------------------------------------------------ streamable HTTP
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
wait_http() { # PORT PID: until the port accepts connections (at most 120 s)
  for _ in $(seq 1 480); do
    kill -0 "$2" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.25
  done
  return 1
}
if [ "${SKIP_HTTP:-}" != 1 ]; then
  for rep in $(seq 1 "$REPS"); do
    P_OPS=$(free_port); P_SE=$(free_port)
    mkdir -p "$WORK/http-$rep"
    env "${HENV[@]}" "$JAVA" "${HOPTS[@]}" -jar "$JAR" serve --transport http --port "$P_OPS" --sandbox --data-dir "$WORK/http-$rep" \
      --log-level warn > "$WORK/ops-http-$rep.log" 2>&1 &
    PID_OPS=$!; PIDS+=("$PID_OPS")
    PORT=$P_SE node -r "$BENCH_DIR/loopback.cjs" "$SE" streamableHttp > "$WORK/se-http-$rep.log" 2>&1 &
    PID_SE=$!; PIDS+=("$PID_SE")
    wait_http "$P_OPS" "$PID_OPS" || { cat "$WORK/ops-http-$rep.log" >&2; echo "compare.sh: ops-mcp did not start" >&2; exit 1; }
    wait_http "$P_SE" "$PID_SE" || { echo "compare.sh: server-everything did not start" >&2; exit 1; }
    sleep "$SETTLE_S"
    record ops idle_rss_mib "$(( $(node "$CLIENT" rss --pid "$PID_OPS" | node -p 'JSON.parse(require("fs").readFileSync(0)).rss_kb') / 1024 ))"
    record everything idle_rss_mib "$(( $(node "$CLIENT" rss --pid "$PID_SE" | node -p 'JSON.parse(require("fs").readFileSync(0)).rss_kb') / 1024 ))"
    declare -A URL=([ops]="http://127.0.0.1:$P_OPS/mcp" [everything]="http://127.0.0.1:$P_SE/mcp")
    declare -A PID=([ops]=$PID_OPS [everything]=$PID_SE)
    declare -A TOOL=([ops]=host_list [everything]=echo)
    declare -A TARGS=([ops]='{}' [everything]='{"message":"hi"}')
    order=(ops everything); [ $((rep % 2)) = 0 ] && order=(everything ops)
    for s in "${order[@]}"; do
      line=$(timeout 900 node "$CLIENT" load --url "${URL[$s]}" --tool "${TOOL[$s]}" --args "${TARGS[$s]}" \
        --clients "$CLIENTS" --calls "$CALLS" --warmup "$WARMUP" --pid "${PID[$s]}")
      log "$s $CLIENTS sessions: $line"
      record "$s" server_cpu_us "$(node -p 'JSON.parse(process.argv[1]).server_cpu_us' "$line")"
    done
    for s in "${order[@]}"; do
      line=$(timeout 900 node "$CLIENT" load --url "${URL[$s]}" --tool "${TOOL[$s]}" --args "${TARGS[$s]}" \
        --clients "$PEAK_CLIENTS" --calls "$CALLS" --warmup 0 --pid "${PID[$s]}")
      log "$s $PEAK_CLIENTS sessions: $line"
      record "$s" peak_rss_mib "$(node -p 'Math.round(JSON.parse(process.argv[1]).rss_peak_kb / 1024)' "$line")"
    done
    kill "$PID_OPS" "$PID_SE" 2>/dev/null || true
    wait "$PID_OPS" "$PID_SE" 2>/dev/null || true
    log "HTTP rep $rep/$REPS (load $(cut -d' ' -f1 /proc/loadavg))"
  done
fi

echo "ops-mcp $(basename "$JAR") ($(stat -c %s "$JAR") bytes); $("$JAVA" -version 2>&1 | head -1); fast start on $("$FAST_JAVA" -version 2>&1 | head -1)"
echo "JVM flags: stdio ${OPS_JAVA_OPTS:-(none)}; HTTP $OPS_HTTP_JAVA_OPTS (env: ${OPS_HTTP_ENV:-none})"
echo "peer @modelcontextprotocol/server-everything@$EVERYTHING_VERSION on node $(node --version); client @modelcontextprotocol/sdk@$SDK_VERSION"
echo "RUNS=$RUNS REPS=$REPS CALLS=$CALLS CLIENTS=$CLIENTS PEAK_CLIENTS=$PEAK_CLIENTS WARMUP=$WARMUP THINK_MS=$THINK_MS; load average now $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
node "$CLIENT" summary --in "$OUT" --fast-label "$FAST_LABEL"
echo "raw: $OUT"
