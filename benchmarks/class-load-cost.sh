#!/usr/bin/env bash
# What every class a program loads costs under an agent, on each JDK, in one run: ManyClasses (3,000 JDK classes
# loaded, not initialised, as a framework-based service loads thousands) plain, under `mptcpize run` (the native
# anchor), under an empty agent, under an agent whose transformer changes nothing (the floor of any agent that
# rewrites classes: the JVM hands it every class file), and under mptcp4j; each agent loaded as bin/mptcp4j run
# loads mptcp4j (-agentlib:instrument=JAR), the floor agents' entry points flagged varargs as mptcp4j's are. Rounds
# are interleaved in rotating order (the machine's drift falls on every arm); differences are paired, per round.
# Needs mptcpize (apt install mptcpize), python3. Usage: benchmarks/class-load-cost.sh [rounds] [classes]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-30}"
CLASSES="${2:-3000}"
(cd "$ROOT" && mvn -q -B -DskipTests -pl agent,benchmarks -am package)
AGENT="$ROOT/agent/target/mptcp4j-agent.jar"
CP="$ROOT/benchmarks/target/classes"
ASM="$(find "$HOME/.m2/repository/org/ow2/asm/asm" -name 'asm-9*.jar' ! -name '*sources*' | sort -V | tail -1)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
for a in EmptyAgent NoOpTransformerAgent; do
  mkdir -p "$TMP/$a/org/mptcp4j/benchmarks/agents"
  cp "$CP/org/mptcp4j/benchmarks/agents/$a.class" "$TMP/$a/org/mptcp4j/benchmarks/agents/"
  java -cp "$ASM" "$ROOT/agent/src/build/NativeReflectedEntryPoints.java" "$TMP/$a/org/mptcp4j/benchmarks/agents/$a.class"
  printf 'Premain-Class: org.mptcp4j.benchmarks.agents.%s\nCan-Retransform-Classes: true\n' "$a" > "$TMP/$a.mf"
  jar cfm "$TMP/$a.jar" "$TMP/$a.mf" -C "$TMP/$a" .
done
# the program from a class path without the agents: -cp comes before an agent jar, and the unflagged copies there would
# be the ones the JVM starts (on JDK 18+ their reflective call spins method handles, which the flagged ones avoid)
mkdir -p "$TMP/programs/org/mptcp4j/benchmarks"
cp -r "$CP/org/mptcp4j/benchmarks/programs" "$TMP/programs/org/mptcp4j/benchmarks/"
LIB="$TMP/libmptcp4j.so"
unzip -p "$AGENT" mptcp4j-agent/org/mptcp4j/internal/sys/native/linux-x86_64/libmptcp4j.so > "$LIB" 2>/dev/null || true
for JDK in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  [[ -x "$JDK/bin/java" ]] || continue
  J="$JDK/bin/java"
  NA=""
  # as bin/mptcp4j run: on x86_64 the JNI library given to the JVM with -agentpath; elsewhere jffi, which needs native
  # access granted on JDK 24+
  if [[ "$(uname -m)" == x86_64 ]]; then
    NA="-agentpath:$LIB"
  elif [[ "$("$J" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/{print $3}')" -ge 24 ]]; then
    NA="--enable-native-access=ALL-UNNAMED"
  fi
  P="-cp $TMP/programs org.mptcp4j.benchmarks.programs.ManyClasses $CLASSES"
  echo "== $("$J" -version 2>&1 | head -1), $CLASSES classes, $ROUNDS rounds"
  "$J" -Djava.io.tmpdir="$TMP" $NA -agentlib:instrument="$AGENT" $P >/dev/null # keeps this JDK's woven classes
  python3 - "$ROUNDS" "$CLASSES" \
    "plain=$J $P" \
    "mptcpize=mptcpize run $J $P" \
    "empty agent=$J -agentlib:instrument=$TMP/EmptyAgent.jar $P" \
    "no-op transformer=$J -agentlib:instrument=$TMP/NoOpTransformerAgent.jar $P" \
    "mptcp4j=$J -Djava.io.tmpdir=$TMP $NA -agentlib:instrument=$AGENT $P" <<'PY'
import shlex, statistics as st, subprocess, sys, time
rounds, classes = int(sys.argv[1]), int(sys.argv[2])
arms = [(a.split("=", 1)[0], shlex.split(a.split("=", 1)[1])) for a in sys.argv[3:]]
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
print(f"{'arm':<18} {'median':>9} {'over plain (paired)':>22} {'over the empty agent':>22} {'per class':>10}")
for name, _ in arms:
    m, h = diff("plain", name)
    e, eh = diff("empty agent", name)
    per = f"{e * 1000 / classes:7.1f} us" if name in ("no-op transformer", "mptcp4j") else ""
    print(f"{name:<18} {st.median(t[name]):7.1f} ms {m:+10.1f} +- {h:4.1f} ms {e:+10.1f} +- {eh:4.1f} ms {per:>10}")
print("ms; per class: the difference to the empty agent over the classes ManyClasses loads (the jrt walk before them adds a few hundred more)")
PY
done
