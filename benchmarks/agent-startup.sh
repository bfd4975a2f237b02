#!/usr/bin/env bash
# Added JVM start-up time of the agent, on each JDK, side by side in one run: a hello world and a program that
# opens one connection (the agent's lazy parts: activation, woven classes, the native binding), each plain,
# under `mptcpize run` (the native anchor), under an empty agent (a premain that does nothing, flagged varargs as
# mptcp4j's entry points are: what any agent costs on that JDK, the floor under mptcp4j's own cost), under the mptcp4j
# agent as `-javaagent`, at its first start after an install or upgrade (no woven classes kept yet:
# -Dmptcp4j.agent.noWovenCache), and as `bin/mptcp4j run` loads it for a class-path program (-agentlib:instrument=JAR,
# which is -javaagent:JAR without the --add-modules java.instrument that costs the JVM its archived module graph, and
# on x86_64 its JNI library given with -agentpath). The agent runs with loopback=mptcp, so that the program's loopback
# connection is MPTCP, as under mptcpize.
# Rounds are interleaved in rotating order, so that the machine's drift (tens of ms on a shared 2-CPU machine) falls on
# every arm; each arm is given as its paired difference to plain and to mptcpize, per round (mean, 95 % interval).
# Needs mptcpize (apt install mptcpize), python3. Usage: benchmarks/agent-startup.sh [rounds]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-30}"
(cd "$ROOT" && mvn -q -B -DskipTests -pl agent,benchmarks -am package)
AGENT="$ROOT/agent/target/mptcp4j-agent.jar"
CP="$ROOT/benchmarks/target/classes"
ASM="$(find "$HOME/.m2/repository/org/ow2/asm/asm" -name 'asm-9*.jar' ! -name '*sources*' | sort -V | tail -1)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/EmptyAgent/org/mptcp4j/benchmarks/agents"
cp "$CP/org/mptcp4j/benchmarks/agents/EmptyAgent.class" "$TMP/EmptyAgent/org/mptcp4j/benchmarks/agents/"
java -cp "$ASM" "$ROOT/agent/src/build/NativeReflectedEntryPoints.java" "$TMP/EmptyAgent/org/mptcp4j/benchmarks/agents/EmptyAgent.class"
printf 'Premain-Class: org.mptcp4j.benchmarks.agents.EmptyAgent\nCan-Retransform-Classes: true\n' > "$TMP/EmptyAgent.mf"
jar cfm "$TMP/EmptyAgent.jar" "$TMP/EmptyAgent.mf" -C "$TMP/EmptyAgent" .
# the programs from a class path without the agents: -cp comes before an agent jar, and the unflagged copy there would
# be the one the JVM starts
mkdir -p "$TMP/programs/org/mptcp4j/benchmarks"
cp -r "$CP/org/mptcp4j/benchmarks/programs" "$TMP/programs/org/mptcp4j/benchmarks/"
RUN=""
if [[ "$(uname -m)" == x86_64 ]]; then
  unzip -p "$AGENT" mptcp4j-agent/org/mptcp4j/internal/sys/native/linux-x86_64/libmptcp4j.so > "$TMP/libmptcp4j.so"
  RUN="-agentpath:$TMP/libmptcp4j.so"
fi
for JDK in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  [[ -x "$JDK/bin/java" ]] || continue
  J="$JDK/bin/java"
  NA=""
  # as bin/mptcp4j run: JDK 24+ only jffi (no mptcp4j JNI library for this machine) needs native access granted
  [[ "$(uname -m)" != x86_64 && "$("$J" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/{print $3}')" -ge 24 ]] && NA="--enable-native-access=ALL-UNNAMED"
  O="-Djava.io.tmpdir=$TMP" # the woven-class cache of this build, kept between starts
  "$J" $O $NA -javaagent:"$AGENT" -cp "$TMP/programs" org.mptcp4j.benchmarks.programs.FirstSocket >/dev/null
  for prog in Hello FirstSocket; do
    P="-cp $TMP/programs org.mptcp4j.benchmarks.programs.$prog"
    echo "== $("$J" -version 2>&1 | head -1), $prog, $ROUNDS rounds"
    python3 - "$ROUNDS" \
      "plain=$J $P" \
      "mptcpize=mptcpize run $J $P" \
      "empty agent=$J -javaagent:$TMP/EmptyAgent.jar $P" \
      "agent=$J $O $NA -javaagent:$AGENT=loopback=mptcp $P" \
      "agent, first start=$J $O $NA -Dmptcp4j.agent.noWovenCache=true -javaagent:$AGENT=loopback=mptcp $P" \
      "empty, agentlib=$J -agentlib:instrument=$TMP/EmptyAgent.jar $P" \
      "agent, run's form=$J $O $NA $RUN -agentlib:instrument=$AGENT=loopback=mptcp $P" <<'PY'
import shlex, statistics as st, subprocess, sys, time
rounds = int(sys.argv[1])
arms = [(a.split("=", 1)[0], shlex.split(a.split("=", 1)[1])) for a in sys.argv[2:]]
def run(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1e3
for _, cmd in arms:  # warm-up: page cache
    run(cmd)
t = {name: [] for name, _ in arms}
for i in range(rounds):
    for name, cmd in arms[i % len(arms):] + arms[:i % len(arms)]:
        t[name].append(run(cmd))
def diff(a, b):
    d = [y - x for x, y in zip(t[a], t[b])]
    return st.mean(d), 1.96 * st.stdev(d) / len(d) ** 0.5
print(f"{'arm':<20} {'median':>9} {'over plain (paired)':>22} {'over mptcpize (paired)':>24}")
for name, _ in arms:
    m, h = diff("plain", name)
    z, zh = diff("mptcpize", name)
    print(f"{name:<20} {st.median(t[name]):7.1f} ms {m:+10.1f} +- {h:4.1f} ms {z:+12.1f} +- {zh:4.1f} ms")
PY
  done
done
echo "ms; over plain: what the arm adds to the plain start, per round; the agent's first start keeps no woven classes"
