#!/usr/bin/env bash
# What every class a program loads costs under an agent, on each JDK, in one run: ManyClasses (3,000 JDK classes
# loaded, not initialised, as a framework-based service loads thousands) plain, under `mptcpize run` (the native
# anchor), under an empty agent, under an agent whose transformer changes nothing (the floor of any agent that
# rewrites classes: the JVM hands it every class file), and under mptcp4j; each agent loaded as bin/mptcp4j run
# loads mptcp4j (-agentlib:instrument=JAR), the floor agents' entry points flagged varargs as mptcp4j's are. Rounds
# are interleaved in rotating order (the machine's drift falls on every arm); differences are paired, per round.
# Needs mptcpize (apt install mptcpize), python3. Usage: benchmarks/class-load-cost.sh [rounds] [classes]
set -euo pipefail
command -v mptcpize >/dev/null || { echo "class-load-cost.sh: needs mptcpize, the native anchor (apt install mptcpize)" >&2; exit 2; }
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-30}"
CLASSES="${2:-3000}"
(cd "$ROOT" && mvn -q -B -DskipTests -pl agent,benchmarks -am package)
AGENT="$ROOT/agent/target/mptcp4j-agent.jar"
CP="$ROOT/benchmarks/target/classes"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
source "$ROOT/benchmarks/agent-arms.sh"
floor_agents EmptyAgent NoOpTransformerAgent
for JDK in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  [[ -x "$JDK/bin/java" ]] || continue
  J="$JDK/bin/java"
  NA="$RUN $(native_grant "$J")" # as bin/mptcp4j run
  P="-cp $TMP/programs org.mptcp4j.benchmarks.programs.ManyClasses $CLASSES"
  echo "== $("$J" -version 2>&1 | head -1), $CLASSES classes, $ROUNDS rounds"
  "$J" -Djava.io.tmpdir="$TMP" $NA -agentlib:instrument="$AGENT" $P >/dev/null # keeps this JDK's woven classes
  PYTHONPATH="$ROOT/benchmarks" python3 - "$ROUNDS" "$CLASSES" \
    "plain=$J $P" \
    "mptcpize=mptcpize run $J $P" \
    "empty agent=$J -agentlib:instrument=$TMP/EmptyAgent.jar $P" \
    "no-op transformer=$J -agentlib:instrument=$TMP/NoOpTransformerAgent.jar $P" \
    "mptcp4j=$J -Djava.io.tmpdir=$TMP $NA -agentlib:instrument=$AGENT $P" <<'PY'
import statistics as st, sys
from abtools import arms_of, interleaved, paired
rounds, classes = int(sys.argv[1]), int(sys.argv[2])
arms = arms_of(sys.argv[3:])
t = interleaved(arms, rounds)
diff = lambda a, b: paired(t[a], t[b])
print(f"{'arm':<18} {'median':>9} {'over plain (paired)':>22} {'over the empty agent':>22} {'per class':>10}")
for name, _ in arms:
    m, h = diff("plain", name)
    e, eh = diff("empty agent", name)
    per = f"{e * 1000 / classes:7.1f} us" if name in ("no-op transformer", "mptcp4j") else ""
    print(f"{name:<18} {st.median(t[name]):7.1f} ms {m:+10.1f} +- {h:4.1f} ms {e:+10.1f} +- {eh:4.1f} ms {per:>10}")
print("ms; per class: the difference to the empty agent over the classes ManyClasses loads (the jrt walk before them adds a few hundred more)")
PY
done
