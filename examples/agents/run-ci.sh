#!/usr/bin/env bash
# CI for examples/agents: the LangGraph graphs and the Spring AI agent against `ops-mcp serve --sandbox`, each with
# its scripted model. A human's approval is given out of band: over the approvals HTTP API with the approver's key
# (HTTP runs) or with `ops-mcp approvals approve` (the stdio run). Each transcript is then checked for what a user
# relies on: tools loaded through the framework, the approval interrupt, the approval, the resumed apply and the
# verification (and, for the self-healing loop, the stop by the policy's circuit breaker). The self-healing loop runs
# twice on the one server: from ops-mcp's alerts (default source: subscribed to ops://alerts/active, this script
# posting Alertmanager's webhook firing and then resolved, as Alertmanager would) and from failed GitLab pipelines.
#
#   examples/agents/run-ci.sh [path/to/ops-mcp.jar]      (default app/target/ops-mcp.jar; needs npm, a JDK 17+)
#
# JAVA_OPTS go to every ops-mcp JVM (server, stdio spawn, CLI): .ci/run passes the class cache made by
# scripts/startup-cache.sh, so the stdio server answers `initialize` well within the MCP client's 60 s timeout.
#
# Ends with "agents: N passed, N failed"; exits non-zero when any check failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=$(realpath "${1:-$root/app/target/ops-mcp.jar}")
[ -f "$jar" ] || { echo "run-ci.sh: $jar not found; build it with ./mvnw -B -q -DskipTests package" >&2; exit 2; }
java_opts=${JAVA_OPTS:-}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export OPS_MCP_AGENT_SCRIPTED=1   # CI never calls a model provider, even when a key is in the environment
passed=0
failed=0
check() { # check NAME FILE PATTERN: the transcript FILE has a line matching the extended regex PATTERN
  if grep -Eq -- "$3" "$2"; then passed=$((passed + 1)); echo "  ok   $1"; else failed=$((failed + 1)); echo "  FAIL $1 (no line matching /$3/ in $(basename "$2"))"; fi
}

alice_key=$(openssl rand -hex 24)
export OPS_MCP_ALERTMANAGER_TOKEN=$(openssl rand -hex 24)   # Alertmanager's bearer token for /hooks/alertmanager
bob_key=$(openssl rand -hex 24)
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
# alice (sre) is the agent, over HTTP with her key and as the local stdio identity; bob (sre-lead) approves prod
# changes, over HTTP with his key and from the CLI as this OS user.
cat > "$work/ops-mcp.yaml" <<EOF
identity: {id: alice, roles: [sre]}
principals:
  - {id: bob, roles: [sre-lead], os_user: "$(id -un)"}
auth:
  api_keys:
    - {principal: alice, roles: [sre], sha256: $(sha "$alice_key")}
    - {principal: bob, roles: [sre-lead], sha256: $(sha "$bob_key")}
EOF
# The HTTP server also takes Alertmanager's webhooks (the stdio server, spawned by the MCP SDK with a minimal
# environment, does not see OPS_MCP_ALERTMANAGER_TOKEN, and has no webhook endpoint anyway).
cat "$work/ops-mcp.yaml" - > "$work/ops-mcp-http.yaml" <<EOF
alerts:
  aws_defaults: {account: sandbox, region: eu-west-1}   # the labels name the ECS service only
  alertmanager:
    bearer_token: {env: OPS_MCP_ALERTMANAGER_TOKEN}
EOF

echo "== examples/agents: npm ci (langgraph), Spring AI build, ops-mcp serve --transport http --sandbox"
start=$SECONDS
(cd "$here/langgraph" && npm ci --omit=optional --no-audit --no-fund --loglevel=error > "$work/npm.log" 2>&1) &
npm_pid=$!
# offline from ~/.m2 (the project's own build brings Spring AI 2.0.0); online only when something is missing there
(mvn_spring_ai() { "$root/mvnw" -B -q -f "$here/spring-ai/pom.xml" -DskipTests "$@" package; }
 mvn_spring_ai -o > "$work/mvn.log" 2>&1 || mvn_spring_ai > "$work/mvn.log" 2>&1) &
mvn_pid=$!
java $java_opts -jar "$jar" serve --transport http --port 0 --sandbox --toolsets aws,gitlab --config "$work/ops-mcp-http.yaml" \
  --data-dir "$work/http-data" --log-level warn > "$work/server.log" 2>&1 &
pids+=($!)
port=""
for _ in $(seq 240); do
  port=$(grep -ho 'listening on http://127.0.0.1:[0-9]*' "$work/server.log" | head -1 | sed 's/.*://') || true
  [ -n "$port" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || break
  sleep 0.5
done
[ -n "$port" ] || { cat "$work/server.log"; echo "run-ci.sh: ops-mcp did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"
wait "$npm_pid" || { cat "$work/npm.log"; echo "run-ci.sh: npm ci failed" >&2; exit 1; }
echo "   ready in $((SECONDS - start)) s ($base)"

# approve_all TRANSCRIPT AGENT_PID MODE: approves, as bob, every approval id the agent prints while it waits, until
# the agent exits. MODE http: POST /approvals/ID/approve with bob's key; MODE cli:DATA_DIR: ops-mcp approvals approve.
approve_all() {
  local done_ids=" " id
  while kill -0 "$2" 2>/dev/null; do
    for id in $(grep -o 'approval required: apr_[a-z0-9]*' "$1" | cut -d' ' -f3); do
      case "$done_ids" in *" $id "*) continue ;; esac
      done_ids="$done_ids$id "
      if [ "$3" = http ]; then
        curl -sS -o /dev/null -w "   approver: POST /approvals/$id/approve -> %{http_code}\n" -X POST \
          -H "Authorization: Bearer $bob_key" -H 'Content-Type: application/json' \
          -d '{"reason":"checked the preview (CI)"}' "$base/approvals/$id/approve" || echo "   approver: POST for $id failed"
      else
        echo "   approver: ops-mcp approvals approve $id --as bob"
        java $java_opts -jar "$jar" approvals approve "$id" --as bob --reason "checked the preview (CI)" \
          --config "$work/ops-mcp.yaml" --data-dir "${3#cli:}" --log-level warn > /dev/null ||
          echo "   approver: ops-mcp approvals approve $id failed"
      fi
    done
    sleep 0.3
  done
}

# run NAME MODE COMMAND…: runs one agent with the approver beside it; its transcript is $work/NAME.out.
run() {
  local name=$1 mode=$2 agent rc=0
  shift 2
  echo "== $name"
  : > "$work/$name.out"
  "$@" > "$work/$name.out" 2>&1 &
  agent=$!
  approve_all "$work/$name.out" "$agent" "$mode"
  wait "$agent" || rc=$?
  sed 's/^/   /' "$work/$name.out" | cut -c1-220
  [ "$rc" = 0 ] || { failed=$((failed + 1)); echo "  FAIL $name exited $rc"; }
}

node=(node)
lg="$here/langgraph"

run langgraph-ecs-http http env OPS_MCP_API_KEY="$alice_key" "${node[@]}" "$lg/ecs-troubleshooter.mjs" --poll-ms 200 --max-wait-s 120 --http "$base/mcp"
t="$work/langgraph-ecs-http.out"
check "ecs/http: tools loaded through @langchain/mcp-adapters" "$t" '^\[tools\] [0-9]+ tools loaded from ops-mcp through @langchain/mcp-adapters over streamable HTTP: .*ecs_troubleshoot'
check "ecs/http: context from ops://environments and completions" "$t" '^\[context\] completion of service in sandbox/shop: .*checkout'
check "ecs/http: diagnosis finds the OOM kills" "$t" '^\[result\] ecs_troubleshoot: .*verdict degraded'
check "ecs/http: the change is previewed (dry run)" "$t" '^\[result\] ecs_update_task_resources: DRY RUN'
check "ecs/http: the graph is interrupted for approval" "$t" '^\[interrupt\] approval required: apr_[a-z0-9]+ for ecs_update_task_resources'
check "ecs/http: resumed after the out-of-band approval" "$t" '^\[resume\] apr_[a-z0-9]+ is approved by bob'
check "ecs/http: the approved change is applied" "$t" '^\[result\] ecs_update_task_resources: .*applied'
check "ecs/http: verification: healthy" "$t" '^\[result\] ecs_troubleshoot: .*verdict healthy'
check "ecs/http: report" "$t" '^\[report\] .*no critical finding left'

# alertmanager STATUS: posts Alertmanager's webhook (v4), firing or resolved, for the sandbox's second ECS incident:
# payments' tasks fail to start (a bad image; ecs_troubleshoot suggests a rollback). Not checkout's memory (the
# demo's alert): on this one server the ECS graph above has already fixed checkout, so its diagnosis is healthy.
am_starts=$(date -u +%Y-%m-%dT%H:%M:%SZ)
alertmanager() {
  local ends=0001-01-01T00:00:00Z
  [ "$1" = resolved ] && ends=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  curl -sS -o "$work/hook-$1.json" -w "   alertmanager: POST /hooks/alertmanager ($1) -> %{http_code}\n" -X POST \
    -H "Authorization: Bearer $OPS_MCP_ALERTMANAGER_TOKEN" -H 'Content-Type: application/json' -d '{"version": "4",
      "status": "'"$1"'", "receiver": "ops-mcp", "groupLabels": {"alertname": "ServiceTasksFailing"}, "commonLabels": {},
      "commonAnnotations": {}, "externalURL": "http://alertmanager:9093", "alerts": [{"status": "'"$1"'",
      "labels": {"alertname": "ServiceTasksFailing", "severity": "critical", "cluster": "shop", "service": "payments"},
      "annotations": {"summary": "payments tasks fail to start"},
      "startsAt": "'"$am_starts"'", "endsAt": "'"$ends"'", "fingerprint": "3a7d9c1e5b2f4a60"}]}' \
    "$base/hooks/alertmanager" || echo "   alertmanager: POST ($1) failed"
}
# await_line FILE PATTERN: waits (at most 120 s) for a transcript line matching PATTERN.
await_line() {
  for _ in $(seq 400); do grep -Eq -- "$2" "$1" 2>/dev/null && return 0; sleep 0.3; done
  return 1
}
t="$work/langgraph-self-healing-alerts.out"
rm -f "$t"
# Alertmanager: fires once the graph has subscribed, resolves once the graph has verified its fix.
(await_line "$t" '^\[subscribe\] ' && alertmanager firing && await_line "$t" '^\[verified\] ' && alertmanager resolved) &
am_pid=$!
pids+=($am_pid)
run langgraph-self-healing-alerts http env OPS_MCP_API_KEY="$alice_key" "${node[@]}" "$lg/self-healing.mjs" --poll-ms 200 --max-wait-s 120 \
  --max-alerts 1 --http "$base/mcp"
kill "$am_pid" 2>/dev/null || true   # done, or still waiting for a line the failed graph never printed
check "self-healing/alerts: subscribed to ops://alerts/active" "$t" '^\[subscribe\] resources/subscribe ops://alerts/active'
check "self-healing/alerts: notified through the subscription" "$t" '^\[notification\] notifications/resources/updated ops://alerts/active'
check "self-healing/alerts: the firing alert" "$t" '^\[alert\] cycle 1: ServiceTasksFailing firing on .*payments.* \(alt_[a-z0-9]+\)'
check "self-healing/alerts: alert_get" "$t" '^\[result\] alert_get: ServiceTasksFailing \[firing\] on ecs:service shop/payments'
check "self-healing/alerts: the suggested first tool" "$t" '^\[call\] ecs_troubleshoot .*"service":"payments"'
check "self-healing/alerts: its diagnosis" "$t" '^\[result\] ecs_troubleshoot: .*verdict (degraded|failing)'
check "self-healing/alerts: fix previewed" "$t" '^\[result\] ecs_rollback_service: DRY RUN'
check "self-healing/alerts: interrupted for approval" "$t" '^\[interrupt\] approval required: apr_[a-z0-9]+ for ecs_rollback_service'
check "self-healing/alerts: resumed after approval" "$t" '^\[resume\] apr_[a-z0-9]+ is approved by bob'
check "self-healing/alerts: fix applied" "$t" '^\[result\] ecs_rollback_service: .*applied'
check "self-healing/alerts: verified" "$t" '^\[verified\] ecs_rollback_service applied for alert alt_[a-z0-9]+; ecs_troubleshoot was (degraded|failing), now healthy'
check "self-healing/alerts: resolved with the linked change" "$t" '^\[resolved\] alt_[a-z0-9]+ ServiceTasksFailing on .*payments.* is resolved; linked changes: audit #[0-9]+'
check "self-healing/alerts: handled once, then done" "$t" '^\[done\] 1 cycle\(s\); stopped: 1 alert\(s\) handled and resolved'

run langgraph-self-healing http env OPS_MCP_API_KEY="$alice_key" "${node[@]}" "$lg/self-healing.mjs" --source pipelines --poll-ms 200 --max-wait-s 120 --max-cycles 10 --http "$base/mcp"
t="$work/langgraph-self-healing.out"
check "self-healing: tools loaded through @langchain/mcp-adapters" "$t" '^\[tools\] [0-9]+ tools loaded from ops-mcp through @langchain/mcp-adapters'
check "self-healing: alert from a failed pipeline" "$t" '^\[alert\] cycle 1: pipeline #[0-9]+ failed'
check "self-healing: diagnosis" "$t" '^\[result\] gitlab_pipeline_failure_analysis: Pipeline #[0-9]+ failed'
check "self-healing: fix previewed" "$t" '^\[result\] gitlab_propose_fix: Dry run'
check "self-healing: interrupted for approval" "$t" '^\[interrupt\] approval required: apr_[a-z0-9]+ for gitlab_propose_fix'
check "self-healing: resumed after approval" "$t" '^\[resume\] apr_[a-z0-9]+ is approved by bob'
check "self-healing: fix applied (merge request)" "$t" '^\[result\] gitlab_propose_fix: Opened merge request'
check "self-healing: verified" "$t" '^\[verified\] fix proposed in merge request !'
check "self-healing: stopped by the circuit breaker" "$t" '^\[stop\] circuit breaker: .* already changed 5 times'
check "self-healing: the denied change never ran" "$t" '^\[done\] 6 cycle\(s\)'

run langgraph-ecs-stdio "cli:$work/stdio-data" "${node[@]}" "$lg/ecs-troubleshooter.mjs" --poll-ms 200 --max-wait-s 120 \
  --stdio java $java_opts -jar "$jar" serve --transport stdio --sandbox --toolsets aws --config "$work/ops-mcp.yaml" \
  --data-dir "$work/stdio-data" --log-level warn
t="$work/langgraph-ecs-stdio.out"
check "ecs/stdio: tools loaded through @langchain/mcp-adapters over stdio" "$t" '^\[tools\] [0-9]+ tools loaded from ops-mcp through @langchain/mcp-adapters over stdio: .*ecs_troubleshoot'
check "ecs/stdio: the graph is interrupted for approval" "$t" '^\[interrupt\] approval required: apr_[a-z0-9]+ for ecs_update_task_resources'
check "ecs/stdio: resumed after the CLI approval" "$t" '^\[resume\] apr_[a-z0-9]+ is approved by bob'
check "ecs/stdio: the approved change is applied" "$t" '^\[result\] ecs_update_task_resources: .*applied'
check "ecs/stdio: verification: healthy" "$t" '^\[result\] ecs_troubleshoot: .*verdict healthy'

wait "$mvn_pid" || { cat "$work/mvn.log"; echo "run-ci.sh: the Spring AI build failed" >&2; exit 1; }
run spring-ai http env OPS_MCP_API_KEY="$alice_key" java -jar "$here/spring-ai/target/ops-mcp-spring-ai-agent.jar" \
  --url "$base" --poll-ms 200 --max-wait-s 120
t="$work/spring-ai.out"
check "spring-ai: tools registered through SyncMcpToolCallbackProvider" "$t" '^\[tools\] [0-9]+ tool callbacks from ops-mcp through SyncMcpToolCallbackProvider'
check "spring-ai: diagnosis" "$t" '^\[result\] gitlab_pipeline_failure_analysis: Pipeline #1003 failed'
check "spring-ai: stopped for approval" "$t" '^\[interrupt\] approval required: apr_[a-z0-9]+ for gitlab_propose_fix'
check "spring-ai: resumed after approval" "$t" '^\[resume\] apr_[a-z0-9]+ is approved by bob'
check "spring-ai: fix applied" "$t" '^\[result\] gitlab_propose_fix: Opened merge request'
check "spring-ai: verified" "$t" '^\[report\] '

echo "== examples/agents took $((SECONDS - start)) s"
echo "agents: $passed passed, $failed failed"
[ "$failed" = 0 ]
