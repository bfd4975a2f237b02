#!/usr/bin/env bash
# Cost of one metrics sample (Mptcp.connections(), what the Micrometer binder and the Prometheus endpoint
# run per sample/scrape) with 100 and 1,000 connections open, next to `ss -HMni` in the same namespace.
# Needs root (a fresh network namespace). Usage: benchmarks/sample-cost.sh [rounds]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-50}"
(cd "$ROOT" && mvn -q -B -DskipTests -pl benchmarks -am install && mvn -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/bench.classpath)
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/bench.classpath")"
NS="m4j-sample-$$"
ip netns add "$NS"
trap 'ip netns del "$NS"' EXIT
ip -n "$NS" link set lo up
FLAGS="--add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED"
for JDK in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  [[ -x "$JDK/bin/java" ]] || continue
  echo "== $("$JDK/bin/java" -version 2>&1 | head -1)"
  EXTRA=""
  [[ "$("$JDK/bin/java" -version 2>&1 | head -1)" =~ \"(2[2-9]|[3-9][0-9]) ]] && EXTRA="--enable-native-access=ALL-UNNAMED"
  for N in 50 500; do
    ip netns exec "$NS" "$JDK/bin/java" $FLAGS $EXTRA -cp "$CP" org.mptcp4j.benchmarks.programs.SampleCost "$N" "$ROUNDS"
  done
done
