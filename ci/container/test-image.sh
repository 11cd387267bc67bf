#!/usr/bin/env bash
# test-image.sh — builds deploy/container/Dockerfile on the offline Debian base (base-image.sh) with podman and
# runs it the way users will:
#   1. the default command refuses to start open to the network without API keys;
#   2. `demo` inside the container, as the image's non-root user on a read-only root filesystem with /tmp on
#      tmpfs, all capabilities dropped and no network but loopback, prints its success line;
#   3. `serve --transport http` with an API key from a mounted configuration and the port published on the
#      host's 127.0.0.1: /healthz answers, MCP initialize and tools/list over streamable HTTP work with the key,
#      no key and a wrong key get 401, the image's HEALTHCHECK passes, the key is in no log line;
#   4. `serve --transport stdio` answers initialize over `podman run -i`.
# Prints the image size and the time from `podman run` to the first 200 from /healthz. Exits non-zero on any
# failure. Removes the containers and the image it made (by the names it gave them) and nothing else.
# Needs root, the jar (./mvnw -B -DskipTests package), curl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=SCRIPTDIR/podman.sh
source "$here/podman.sh"
jar=$repo/app/target/ops-mcp.jar
[ -f "$jar" ] || { echo "test-image.sh: $jar is missing; build it with ./mvnw -B -DskipTests package" >&2; exit 2; }
command -v curl >/dev/null || { echo "test-image.sh: curl is required" >&2; exit 2; }

step_start=$(date +%s)
run_id=ci-$$-$(date +%s)
image=localhost/ops-mcp:$run_id
http_name=ops-mcp-$run_id-http
demo_name=ops-mcp-$run_id-demo
stdio_name=ops-mcp-$run_id-stdio
work=$(mktemp -d)
cleanup() {
  for name in "$http_name" "$demo_name" "$stdio_name"; do
    pm rm -f -v "$name" >/dev/null 2>&1 || true
  done
  pm rmi -f "$image" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "container: FAIL: $*" >&2; exit 1; }

base=$("$here/base-image.sh")

echo "-- build $image on $base"
t0=$(date +%s)
# --pull=never and --network=none: the build must not need a registry or the network. --format docker keeps the
# HEALTHCHECK, which the OCI image format has no field for.
pm build --quiet --pull=never --network=none --format docker --layers=false \
  --build-arg BASE_IMAGE="$base" \
  --build-arg REVISION="$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)" \
  --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  -f "$repo/deploy/container/Dockerfile" -t "$image" "$repo" >/dev/null
echo "built in $(( $(date +%s) - t0 ))s"
user=$(pm image inspect --format '{{.Config.User}}' "$image")
[ "$user" = "10001:10001" ] || fail "image user is '$user', expected 10001:10001"
pm image inspect --format '{{json .Config.Healthcheck}}' "$image" | grep -q healthcheck \
  || fail "the image has no HEALTHCHECK"

echo "-- 1. the default command without API keys must refuse to start"
if pm run --rm --name "$demo_name" --no-healthcheck --read-only --tmpfs /tmp "$image" >"$work/open.out" 2>&1; then
  cat "$work/open.out" >&2
  fail "the default command started without authentication"
fi
grep -q "refusing to bind 0.0.0.0 without authentication" "$work/open.out" \
  || { cat "$work/open.out" >&2; fail "the default command failed, but not with the missing-authentication error"; }
echo "refused: $(grep -o 'http.bind: refusing[^:]*' "$work/open.out" | head -n 1)"

# The restrictions a hardened deployment (Kubernetes securityContext) applies.
# shellcheck disable=SC2054 # the commas are tmpfs mount options, not array separators
hardened=(--read-only --tmpfs /tmp:rw,nosuid,nodev,size=64m --cap-drop=all --security-opt=no-new-privileges)

echo "-- 2. demo in the container (non-root, read-only root filesystem, loopback only)"
t0=$(date +%s)
pm run --rm --name "$demo_name" --no-healthcheck "${hardened[@]}" --network=none "$image" demo >"$work/demo.out" 2>&1 \
  || { cat "$work/demo.out" >&2; fail "demo exited non-zero"; }
grep -q "Demo finished: every step behaved as expected." "$work/demo.out" \
  || { cat "$work/demo.out" >&2; fail "demo did not finish as expected"; }
echo "demo passed in $(( $(date +%s) - t0 ))s"

echo "-- 3. serve --transport http with an API key"
key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
hash=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
cat >"$work/ops-mcp.yaml" <<YAML
# written by ci/container/test-image.sh
auth:
  api_keys:
    - principal: ci
      roles: [viewer]
      sha256: $hash
YAML
chmod 644 "$work/ops-mcp.yaml"
t0=$(date +%s%N)
pm run -d --name "$http_name" "${hardened[@]}" -p 127.0.0.1::8080 \
  -v "$work/ops-mcp.yaml:/etc/ops-mcp/ops-mcp.yaml:ro" -e OPS_MCP_CONFIG=/etc/ops-mcp/ops-mcp.yaml \
  "$image" >/dev/null 2>"$work/run.err" || { cat "$work/run.err" >&2; fail "podman run failed"; }
port=$(pm port "$http_name" 8080 | sed 's/.*://')
url=http://127.0.0.1:$port
healthy=0
for _ in $(seq 1 600); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" = 200 ]; then
    healthy=1
    break
  fi
  [ "$(pm inspect --format '{{.State.Running}}' "$http_name")" = true ] || break
  sleep 0.1
done
ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$healthy" = 1 ] || { pm logs "$http_name" >&2 || true; fail "/healthz never answered 200"; }
echo "/healthz 200 after ${ready_ms} ms"

mcp() { # mcp BODY [extra curl args...] -> response body in $work/resp, headers in $work/hdr, status printed
  local body=$1; shift
  curl -s -o "$work/resp" -D "$work/hdr" -w '%{http_code}' -X POST "$url/mcp" \
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' "$@" --data "$body"
}
init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"ci-container","version":"1"}}}'

status=$(mcp "$init")
[ "$status" = 401 ] || fail "initialize without a key answered $status, expected 401"
status=$(mcp "$init" -H "Authorization: Bearer not-$key")
[ "$status" = 401 ] || fail "initialize with a wrong key answered $status, expected 401"
echo "no key: 401, wrong key: 401"

status=$(mcp "$init" -H "Authorization: Bearer $key")
[ "$status" = 200 ] || { cat "$work/resp" >&2; fail "initialize with the key answered $status"; }
grep -q '"serverInfo"' "$work/resp" || { cat "$work/resp" >&2; fail "initialize returned no serverInfo"; }
session=$(tr -d '\r' <"$work/hdr" | sed -n 's/^[Mm]cp-[Ss]ession-[Ii]d: *//p')
[ -n "$session" ] || fail "initialize returned no Mcp-Session-Id"
auth=(-H "Authorization: Bearer $key" -H "Mcp-Session-Id: $session" -H 'MCP-Protocol-Version: 2025-06-18')
status=$(mcp '{"jsonrpc":"2.0","method":"notifications/initialized"}' "${auth[@]}")
[ "$status" = 202 ] || fail "notifications/initialized answered $status, expected 202"
status=$(mcp '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' "${auth[@]}")
[ "$status" = 200 ] || { cat "$work/resp" >&2; fail "tools/list answered $status"; }
grep -q '"name":"host_list"' "$work/resp" || { cat "$work/resp" >&2; fail "tools/list lacks host_list"; }
echo "initialize + tools/list with the key: $(grep -o '"name":"host_[a-z_]*"' "$work/resp" | wc -l) host tools listed"

pm healthcheck run "$http_name" >/dev/null || fail "the image's HEALTHCHECK failed on a healthy server"
# The same script from the host against the published port, and against a port nothing listens on.
OPS_MCP_PORT=$port bash "$repo/deploy/container/healthcheck" || fail "healthcheck: failed against the published port"
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if OPS_MCP_PORT=$closed bash "$repo/deploy/container/healthcheck"; then fail "healthcheck: passed with no server"; fi
echo "HEALTHCHECK: healthy; the script fails when nothing answers"
pm logs "$http_name" >"$work/http.log" 2>&1
if grep -qF "$key" "$work/http.log"; then fail "the API key appears in the container's log"; fi
pm stop -t 20 "$http_name" >/dev/null 2>&1
# 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal; 137 would mean podman had to kill it.
code=$(pm inspect --format '{{.State.ExitCode}}' "$http_name")
case $code in 0 | 143) echo "SIGTERM: stopped (exit $code)" ;; *) fail "the server did not stop on SIGTERM (exit $code)" ;; esac
pm rm -f -v "$http_name" >/dev/null 2>&1

echo "-- 4. serve --transport stdio over podman run -i"
# stdin stays open until tools/list is answered (a slow start must not lose it), then EOF ends the server.
mkfifo "$work/stdin"
pm run -i --rm --name "$stdio_name" --no-healthcheck "${hardened[@]}" --network=none "$image" \
  serve --transport stdio --log-level warn <"$work/stdin" >"$work/stdio.out" 2>"$work/stdio.err" &
stdio_pid=$!
exec 4>"$work/stdin"
printf '%s\n' "$init" '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
  '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' >&4
for _ in $(seq 1 1200); do
  grep -q '"id":2' "$work/stdio.out" && break
  kill -0 "$stdio_pid" 2>/dev/null || break
  sleep 0.1
done
exec 4>&-
for _ in $(seq 1 300); do kill -0 "$stdio_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$stdio_pid" 2>/dev/null && fail "stdio: the server did not exit at the end of its input"
wait "$stdio_pid" || { cat "$work/stdio.err" >&2; fail "stdio: the server exited non-zero at the end of its input"; }
if ! grep -q '"serverInfo"' "$work/stdio.out" || ! grep -q '"name":"host_list"' "$work/stdio.out"; then
  cat "$work/stdio.err" "$work/stdio.out" >&2
  fail "stdio: no initialize or tools/list answer"
fi
if grep -qv '^{"jsonrpc":"2.0"' "$work/stdio.out"; then
  cat "$work/stdio.out" >&2
  fail "stdio: stdout carries something other than JSON-RPC messages"
fi
echo "stdio: initialize + tools/list answered, stdout only JSON-RPC, exit 0 at end of input"

size=$(pm image inspect --format '{{.Size}}' "$image")
base_size=$(pm image inspect --format '{{.Size}}' "$base")
echo "-- container: OK. image $(( size / 1000000 )) MB (base $(( base_size / 1000000 )) MB), start to /healthz 200: ${ready_ms} ms, step took $(( $(date +%s) - step_start ))s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
