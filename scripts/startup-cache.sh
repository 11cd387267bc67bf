#!/usr/bin/env bash
# startup-cache.sh DEST [JAVA] — make `ops-mcp serve` start faster for stdio clients (Claude Desktop, IDEs),
# which start the server on every session:
#   1. extracts the fat jar into DEST (Spring Boot's `-Djarmode=tools extract`: plain jars load faster than
#      jars nested in a jar), then
#   2. records the classes one session loads into a cache in DEST with one training run against the sandbox
#      (initialize, tools/list and a guarded tools/call of host_list, so the guard, policy, store and audit classes
#      are in it too; nothing outside a temporary directory): an AOT cache on JDK 25+ (-XX:AOTCacheOutput,
#      JEP 483/514), a dynamic CDS archive on JDK 17-24 (-XX:ArchiveClassesAtExit). With the flags below the two start
#      about as fast (measured in server/BENCHMARKS.md, "Fast start, third pass"): both save class loading, and
#      C1 only (-XX:TieredStopAtLevel=1) costs far less at start than C2 with JDK 25's recorded method profiles.
# Prints the command to put in the client's configuration, with the JVM flags `ops-mcp client-config` uses
# (JVM_OPTS below, the same as ClientConfigCommand.JVM_OPTIONS). Re-run it after upgrading ops-mcp or the JDK (a
# cache only works with the exact jar and JDK it was made with; the JVM ignores a stale one with a warning).
# JAR selects another ops-mcp.jar than this checkout's app/target/ops-mcp.jar.
set -euo pipefail
DEST=${1:?usage: startup-cache.sh DEST [JAVA]}
JAVA=${2:-java}
JAR=${JAR:-$(cd "$(dirname "$0")/.." && pwd)/app/target/ops-mcp.jar}
# ClientConfigCommand.JVM_OPTIONS (a test keeps the two equal)
JVM_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms16m -Xmx256m"
read -r -a jvm <<< "$JVM_OPTS"
[ -f "$JAR" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 2; }
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
"$JAVA" -Djarmode=tools -jar "$JAR" extract --force --destination "$DEST" >/dev/null
major=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${major%%.*}" -ge 25 ]; then
  record=(-XX:AOTCacheOutput="$DEST/ops-mcp.aot"); use="-XX:AOTCache=$DEST/ops-mcp.aot"
else
  record=(-XX:ArchiveClassesAtExit="$DEST/ops-mcp.jsa"); use="-XX:SharedArchiveFile=$DEST/ops-mcp.jsa"
fi
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
coproc TRAIN { exec "$JAVA" "${jvm[@]}" "${record[@]}" -jar "$DEST/$(basename "$JAR")" serve --transport stdio --sandbox \
  --data-dir "$data" --log-level error 2>"$data/training.log"; }
# own copies of the pipes and the pid: bash unsets TRAIN and TRAIN_PID when the server exits
train_pid=$TRAIN_PID
exec {to_server}>&"${TRAIN[1]}" {from_server}<&"${TRAIN[0]}"
exec {TRAIN[1]}>&- {TRAIN[0]}<&-
send() { printf '%s\n' "$1" >&"$to_server"; }
await() { # ID: reads answers until the one with this id (at most 120 s per line)
  local line
  while IFS= read -r -t 120 line <&"$from_server"; do
    case $line in *"\"id\":$1,"*) return 0 ;; esac
  done
  cat "$data/training.log" >&2; echo "startup-cache.sh: no answer $1 in the training run" >&2; exit 1
}
send '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"startup-cache","version":"1"}}}'
await 1
send '{"jsonrpc":"2.0","method":"notifications/initialized"}'
send '{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
await 2
send '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"host_list","arguments":{}}}'
await 3
send '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"runbook_search","arguments":{"query":"disk full"}}}'
await 4
exec {to_server}>&-
cat <&"$from_server" >/dev/null # drained to the end: the JVM may print while it writes the cache at exit
wait "$train_pid" || { cat "$data/training.log" >&2; exit 1; }
echo "cache written to $DEST; start ops-mcp with:"
echo "  $JAVA $JVM_OPTS $use -jar $DEST/$(basename "$JAR") serve --transport stdio --config /path/to/ops-mcp.yaml"
