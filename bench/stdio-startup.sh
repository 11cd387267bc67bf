#!/usr/bin/env bash
# stdio-startup.sh [RUNS] [JAVA] — time from starting `ops-mcp serve --transport stdio --sandbox` to the
# `initialize` response on stdout, RUNS times (default 5); prints each run and the median in milliseconds.
# JAVA defaults to `java` on PATH; pass e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java to compare JDKs.
# JAR (default app/target/ops-mcp.jar) and JAVA_OPTS select another launch, e.g. the extracted jar and the
# cache from scripts/startup-cache.sh: JAR=DEST/ops-mcp.jar JAVA_OPTS=-XX:AOTCache=DEST/ops-mcp.aot
set -euo pipefail
RUNS=${1:-5}
JAVA=${2:-java}
JAR=${JAR:-$(cd "$(dirname "$0")/.." && pwd)/app/target/ops-mcp.jar}
read -r -a OPTS <<< "${JAVA_OPTS:-}"
[ -f "$JAR" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 2; }
INIT='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"startup-bench","version":"1"}}}'
times=()
for ((i = 1; i <= RUNS; i++)); do
  data=$(mktemp -d)
  coproc SERVER { exec "$JAVA" "${OPTS[@]}" -jar "$JAR" serve --transport stdio --sandbox --data-dir "$data" --log-level warn 2>/dev/null; }
  t0=$(date +%s%N)
  printf '%s\n' "$INIT" >&"${SERVER[1]}"
  IFS= read -r -t 60 line <&"${SERVER[0]}"
  t1=$(date +%s%N)
  case $line in *'"id":1'*'"result"'*) ;; *) echo "unexpected first line: $line" >&2; exit 1 ;; esac
  exec {SERVER[1]}>&-
  wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$data"
  ms=$(( (t1 - t0) / 1000000 ))
  times+=("$ms")
  echo "run $i: ${ms} ms"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}')
echo "median of $RUNS: ${median} ms ($("$JAVA" -version 2>&1 | head -1))"
