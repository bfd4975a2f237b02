#!/usr/bin/env bash
# Runs the socket set-up micro-benchmark: tcp / mptcp / kernelFloor in this namespace, then the
# fallback mode in a fresh namespace with net.mptcp.enabled=0. Needs root for the namespace.
# Usage: benchmarks/run-jmh.sh [extra JMH options, e.g. -f 3]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
(cd "$ROOT" && mvn -q -B -DskipTests -pl benchmarks -am package)
JAR="$ROOT/benchmarks/target/benchmarks.jar"
"$JAVA" -jar "$JAR" SocketSetupBenchmark "$@"
NS="m4j-bench-$$"
ip netns add "$NS"
trap 'ip netns delete "$NS"' EXIT
ip -n "$NS" link set lo up
ip netns exec "$NS" sysctl -q -w net.mptcp.enabled=0
ip netns exec "$NS" "$JAVA" -jar "$JAR" SocketSetupBenchmark -p mode=fallback "$@"
