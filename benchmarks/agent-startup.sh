#!/usr/bin/env bash
# Added JVM start-up time of the agent, on each JDK, side by side in one run: a hello world and a program that
# opens one connection (the agent's lazy parts: activation, woven classes, the native binding), each plain,
# under `mptcpize run` (the native anchor), under an empty agent (a premain that does nothing: what any
# -javaagent costs on that JDK, the floor under mptcp4j's own cost), under the mptcp4j agent, and under the
# agent at its first start after an install or upgrade (no woven classes kept yet: -Dmptcp4j.agent.noWovenCache).
# The agent runs with loopback=mptcp, so that the program's loopback connection is MPTCP, as under mptcpize.
# The last two columns load both agents as `bin/mptcp4j run` does for a class-path program: -agentlib:instrument=JAR,
# which is -javaagent:JAR without the --add-modules java.instrument that disables the JVM's archived module graph (and,
# for mptcp4j on x86_64, its JNI library given with -agentpath).
# Needs hyperfine and mptcpize (apt install hyperfine mptcpize), python3. Usage: benchmarks/agent-startup.sh [runs]
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
# run's form on x86_64 also gives the JVM mptcp4j's JNI library with -agentpath (no native-access grant needed)
RUN=""
if [[ "$(uname -m)" == x86_64 ]]; then
  unzip -p "$AGENT" mptcp4j-agent/org/mptcp4j/internal/sys/native/linux-x86_64/libmptcp4j.so > "$EMPTY/libmptcp4j.so"
  RUN="-agentpath:$EMPTY/libmptcp4j.so"
fi
for JDK in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  [[ -x "$JDK/bin/java" ]] || continue
  J="$JDK/bin/java"
  NA=""
  # as bin/mptcp4j run: JDK 24+ only jffi (no mptcp4j JNI library for this machine) needs native access granted
  [[ "$(uname -m)" != x86_64 && "$("$J" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/{print $3}')" -ge 24 ]] && NA="--enable-native-access=ALL-UNNAMED"
  echo "== $("$J" -version 2>&1 | head -1)"
  "$J" $NA -javaagent:"$AGENT" -cp "$CP" org.mptcp4j.benchmarks.programs.FirstSocket >/dev/null # keeps this JDK's woven classes
  json="$EMPTY/result.json"
  rows=()
  for prog in Hello FirstSocket; do
    p="org.mptcp4j.benchmarks.programs.$prog"
    rows+=(-n "$prog" "$J -cp $CP $p"
      -n "$prog mptcpize" "mptcpize run $J -cp $CP $p"
      -n "$prog empty agent" "$J -javaagent:$EMPTY/empty-agent.jar -cp $CP $p"
      -n "$prog agent" "$J $NA -javaagent:$AGENT=loopback=mptcp -cp $CP $p"
      -n "$prog agent, first start" "$J $NA -Dmptcp4j.agent.noWovenCache=true -javaagent:$AGENT=loopback=mptcp -cp $CP $p"
      -n "$prog empty agentlib" "$J -agentlib:instrument=$EMPTY/empty-agent.jar -cp $CP $p"
      -n "$prog agentlib" "$J $NA $RUN -agentlib:instrument=$AGENT=loopback=mptcp -cp $CP $p")
  done
  hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$json" "${rows[@]}" >/dev/null 2>&1
  python3 - "$json" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(f"{'program':<12} {'plain':>8} {'mptcpize':>15} {'empty agent':>15} {'agent':>15} {'agent - empty':>14} {'agent, 1st start':>17}"
      f" {'empty, agentlib':>16} {'agent, agentlib':>16}")
for prog in ("Hello", "FirstSocket"):
    m = lambda k: r[prog + k]["mean"] * 1000
    s = lambda k: r[prog + k]["stddev"] * 1000
    base = m("")
    cell = lambda k: f"{m(k):6.1f} ({m(k) - base:+5.1f})"
    print(f"{prog:<12} {base:6.1f}±{s(''):.1f} {cell(' mptcpize'):>15} {cell(' empty agent'):>15} {cell(' agent'):>15}"
          f" {m(' agent') - m(' empty agent'):+11.1f} ms {cell(' agent, first start'):>17}"
          f" {cell(' empty agentlib'):>16} {cell(' agentlib'):>16}")
print("ms, mean of the runs; (+n) is what it adds to the plain run")
EOF
done
