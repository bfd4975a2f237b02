# Sourced by the start-up benchmark scripts (agent-startup.sh, class-load-cost.sh): what their agent arms share.
# Expects ROOT (the clone), CP (benchmarks/target/classes), AGENT (the agent jar) and TMP (a scratch directory).

# $TMP/NAME.jar for each floor agent NAME of org.mptcp4j.benchmarks.agents, its entry points flagged varargs as
# mptcp4j's are (the JDK's reflective call of premain then spins no method handles on JDK 18+)
floor_agents() {
  local asm a d
  asm="$(find "$HOME/.m2/repository/org/ow2/asm/asm" -name 'asm-9*.jar' ! -name '*sources*' | sort -V | tail -1)"
  for a in "$@"; do
    d="$TMP/$a/org/mptcp4j/benchmarks/agents"
    mkdir -p "$d"
    cp "$CP/org/mptcp4j/benchmarks/agents/$a.class" "$d/"
    java -cp "$asm" "$ROOT/agent/src/build/NativeReflectedEntryPoints.java" "$d/$a.class"
    printf 'Premain-Class: org.mptcp4j.benchmarks.agents.%s\nCan-Retransform-Classes: true\n' "$a" > "$TMP/$a.mf"
    jar cfm "$TMP/$a.jar" "$TMP/$a.mf" -C "$TMP/$a" .
  done
}

# the programs from a class path without the floor agents ($TMP/programs): -cp comes before an agent jar, and the
# unflagged copies there would be the ones the JVM starts
mkdir -p "$TMP/programs/org/mptcp4j/benchmarks"
cp -r "$CP/org/mptcp4j/benchmarks/programs" "$TMP/programs/org/mptcp4j/benchmarks/"

# as bin/mptcp4j run: on x86_64 mptcp4j's JNI library given to the JVM with -agentpath ($RUN)...
RUN=""
if [[ "$(uname -m)" == x86_64 ]]; then
  unzip -p "$AGENT" mptcp4j-agent/org/mptcp4j/internal/sys/native/linux-x86_64/libmptcp4j.so > "$TMP/libmptcp4j.so"
  RUN="-agentpath:$TMP/libmptcp4j.so"
fi

# ...elsewhere jffi, which needs native access granted on JDK 24+: the flag for the java binary $1, or nothing
native_grant() {
  if [[ "$(uname -m)" != x86_64 && "$("$1" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/{print $3}')" -ge 24 ]]; then
    echo "--enable-native-access=ALL-UNNAMED"
  fi
}
