#!/usr/bin/env bash
# Added JVM start-up time of the agent, on each JDK, side by side in one run: a hello world and a program that
# opens one connection (the agent's lazy parts: activation, woven classes, the native binding), each plain,
# under `mptcpize run` (the native anchor), under an empty agent (a premain that does nothing, flagged varargs as
# mptcp4j's entry points are: what any agent costs on that JDK, the floor under mptcp4j's own cost), under the mptcp4j
# agent as `-javaagent`, at its first start after an install or upgrade (no woven classes kept yet:
# -Dmptcp4j.agent.noWovenCache), and as `bin/mptcp4j run` loads it for a class-path program (-agentlib:instrument=JAR,
# which is -javaagent:JAR without the --add-modules java.instrument that costs the JVM its archived module graph, and
# on x86_64 its JNI library given with -agentpath), that form at a first start too, and with the woven classes prepared
# ahead in a directory of their own (as a container image carries them). The agent runs with loopback=mptcp, so that the program's loopback
# connection is MPTCP, as under mptcpize.
# Rounds are interleaved in rotating order, so that the machine's drift (tens of ms on a shared 2-CPU machine) falls on
# every arm; each arm is given as its paired difference to plain and to mptcpize, per round (mean, 95 % interval).
# Needs mptcpize (apt install mptcpize), python3. Usage: benchmarks/agent-startup.sh [rounds]
set -euo pipefail
command -v mptcpize >/dev/null || { echo "agent-startup.sh: needs mptcpize, the native anchor (apt install mptcpize)" >&2; exit 2; }
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-30}"
(cd "$ROOT" && mvn -q -B -DskipTests -pl agent,benchmarks -am package)
AGENT="$ROOT/agent/target/mptcp4j-agent.jar"
CP="$ROOT/benchmarks/target/classes"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
source "$ROOT/benchmarks/agent-arms.sh"
floor_agents EmptyAgent
for JDK in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  [[ -x "$JDK/bin/java" ]] || continue
  J="$JDK/bin/java"
  NA="$(native_grant "$J")" # as bin/mptcp4j run gives jffi
  O="-Djava.io.tmpdir=$TMP" # the woven-class cache of this build, kept between starts
  "$J" $O $NA -javaagent:"$AGENT" -cp "$TMP/programs" org.mptcp4j.benchmarks.programs.FirstSocket >/dev/null
  # as an image's build prepares them (docs/containers.md): the JDK's classes woven into a directory of their own
  "$J" $NA -Dmptcp4j.agent.wovenCache="$TMP/woven" -javaagent:"$AGENT" -cp "$AGENT" org.mptcp4j.agent.Prepare >/dev/null
  for prog in Hello FirstSocket; do
    P="-cp $TMP/programs org.mptcp4j.benchmarks.programs.$prog"
    echo "== $("$J" -version 2>&1 | head -1), $prog, $ROUNDS rounds"
    PYTHONPATH="$ROOT/benchmarks" python3 - "$ROUNDS" \
      "plain=$J $P" \
      "mptcpize=mptcpize run $J $P" \
      "empty agent=$J -javaagent:$TMP/EmptyAgent.jar $P" \
      "agent=$J $O $NA -javaagent:$AGENT=loopback=mptcp $P" \
      "agent, first start=$J $O $NA -Dmptcp4j.agent.noWovenCache=true -javaagent:$AGENT=loopback=mptcp $P" \
      "empty, agentlib=$J -agentlib:instrument=$TMP/EmptyAgent.jar $P" \
      "agent, run's form=$J $O $NA $RUN -agentlib:instrument=$AGENT=loopback=mptcp $P" \
      "run's, first start=$J $O $NA $RUN -Dmptcp4j.agent.noWovenCache=true -agentlib:instrument=$AGENT=loopback=mptcp $P" \
      "run's, prepared=$J $O $NA $RUN -Dmptcp4j.agent.wovenCache=$TMP/woven -agentlib:instrument=$AGENT=loopback=mptcp $P" <<'PY'
import statistics as st, sys
from abtools import arms_of, interleaved, paired
rounds = int(sys.argv[1])
arms = arms_of(sys.argv[2:])
t = interleaved(arms, rounds)
diff = lambda a, b: paired(t[a], t[b])
print(f"{'arm':<20} {'median':>9} {'over plain (paired)':>22} {'over mptcpize (paired)':>24}")
for name, _ in arms:
    m, h = diff("plain", name)
    z, zh = diff("mptcpize", name)
    print(f"{name:<20} {st.median(t[name]):7.1f} ms {m:+10.1f} +- {h:4.1f} ms {z:+12.1f} +- {zh:4.1f} ms")
PY
  done
done
echo "ms; over plain: what the arm adds to the plain start, per round; a first start keeps no woven classes (a container's"
echo "fresh /tmp); prepared: the woven classes read from a directory an image's build filled (org.mptcp4j.agent.Prepare)"
