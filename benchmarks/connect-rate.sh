#!/usr/bin/env bash
# Connection set-up rate (issue 16): an unmodified Java client, new Socket / one byte / close, against a server in a
# second namespace; plain TCP, mptcpize run (the native anchor) and the mptcp4j agent side by side, cold and warm.
# Needs root and mptcpize. Usage: [COLUMNS=mptcpize,library,...] benchmarks/connect-rate.sh [cold] [warm] [warmRounds] [repeats]
set -euo pipefail
command -v mptcpize >/dev/null || { echo "connect-rate.sh: needs mptcpize, the native anchor (apt install mptcpize)" >&2; exit 2; }
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
mvn -q -B -DskipTests -pl agent,benchmarks -am install
mvn -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/bench.classpath")"
for JDK in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  [[ -x "$JDK/bin/java" ]] || continue
  echo "== $("$JDK/bin/java" -version 2>&1 | head -1)"
  "$JDK/bin/java" -cp "$CP" ${COLUMNS:+-Dcolumns=$COLUMNS} org.mptcp4j.benchmarks.e2e.ConnectRate "$ROOT/agent/target/mptcp4j-agent.jar" "${1:-5000}" "${2:-30000}" "${3:-2}" "${4:-3}"
done
