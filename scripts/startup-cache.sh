#!/usr/bin/env bash
# startup-cache.sh DEST [JAVA] — make `ops-mcp serve` start faster for stdio clients (Claude Desktop, IDEs),
# which start the server on every session:
#   1. extracts the fat jar into DEST (Spring Boot's `-Djarmode=tools extract`: plain jars load faster than
#      jars nested in a jar), then
#   2. records the classes one start loads into a cache in DEST with one training run (initialize + tools/list
#      against the sandbox, nothing outside a temporary directory): an AOT cache on JDK 25+
#      (-XX:AOTCacheOutput, JEP 483/514), a dynamic CDS archive on JDK 17-24 (-XX:ArchiveClassesAtExit).
# Prints the command to put in the client's configuration. Re-run it after upgrading ops-mcp or the JDK (a cache
# only works with the exact jar and JDK it was made with; the JVM ignores a stale one with a warning).
set -euo pipefail
DEST=${1:?usage: startup-cache.sh DEST [JAVA]}
JAVA=${2:-java}
JAR=$(cd "$(dirname "$0")/.." && pwd)/app/target/ops-mcp.jar
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
{
  printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"startup-cache","version":"1"}}}'
  printf '%s\n' '{"jsonrpc":"2.0","method":"notifications/initialized"}'
  printf '%s\n' '{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
  sleep 3
} | "$JAVA" "${record[@]}" -jar "$DEST/ops-mcp.jar" serve --transport stdio --sandbox --data-dir "$data" \
      --log-level error >/dev/null 2>"$data/training.log" || { cat "$data/training.log" >&2; exit 1; }
echo "cache written to $DEST; start ops-mcp with:"
echo "  $JAVA $use -jar $DEST/ops-mcp.jar serve --transport stdio --config /path/to/ops-mcp.yaml"
