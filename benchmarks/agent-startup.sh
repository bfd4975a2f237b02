#!/usr/bin/env bash
# Added JVM start-up time of the agent: hello world with and without -javaagent, and a program that
# opens one connection (the agent's lazy work: weaving + jffi binding), on each JDK. An empty agent (a
# premain that does nothing) is measured in the same run: what any -javaagent costs on that JDK, the
# floor under mptcp4j's own cost.
# Needs hyperfine (apt install hyperfine). Usage: benchmarks/agent-startup.sh [runs]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${1:-30}"
(cd "$ROOT" && mvn -q -B -DskipTests -pl agent,benchmarks -am package)
AGENT="$ROOT/agent/target/mptcp4j-agent.jar"
CP="$ROOT/benchmarks/target/classes"
EMPTY="$(mktemp -d)"
trap 'rm -rf "$EMPTY"' EXIT
mkdir -p "$EMPTY/src/e" "$EMPTY/classes"
printf 'package e;\npublic final class EmptyAgent {\n    public static void premain(String a, java.lang.instrument.Instrumentation i) {}\n}\n' > "$EMPTY/src/e/EmptyAgent.java"
javac --release 17 -d "$EMPTY/classes" "$EMPTY/src/e/EmptyAgent.java"
printf 'Premain-Class: e.EmptyAgent\nCan-Retransform-Classes: true\n' > "$EMPTY/manifest"
jar cfm "$EMPTY/empty-agent.jar" "$EMPTY/manifest" -C "$EMPTY/classes" .
for JDK in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  [[ -x "$JDK/bin/java" ]] || continue
  J="$JDK/bin/java"
  echo "== $("$J" -version 2>&1 | head -1)"
  md="$(mktemp)"
  hyperfine -N --warmup 3 --runs "$RUNS" --export-markdown "$md" \
    -n "hello" "$J -cp $CP org.mptcp4j.benchmarks.programs.Hello" \
    -n "hello + empty agent" "$J -javaagent:$EMPTY/empty-agent.jar -cp $CP org.mptcp4j.benchmarks.programs.Hello" \
    -n "hello + agent" "$J -javaagent:$AGENT -cp $CP org.mptcp4j.benchmarks.programs.Hello" \
    -n "first socket" "$J -cp $CP org.mptcp4j.benchmarks.programs.FirstSocket" \
    -n "first socket + empty agent" "$J -javaagent:$EMPTY/empty-agent.jar -cp $CP org.mptcp4j.benchmarks.programs.FirstSocket" \
    -n "first socket + agent" "$J -javaagent:$AGENT=loopback=mptcp -cp $CP org.mptcp4j.benchmarks.programs.FirstSocket" >/dev/null 2>&1
  cat "$md"; rm -f "$md"
done
