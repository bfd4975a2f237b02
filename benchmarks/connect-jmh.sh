#!/usr/bin/env bash
# JMH: the connect path (ConnectBenchmark: a socket, connect, one byte, close, on loopback) every way mptcp4j
# offers, in one run: plain java.net code as is (TCP), under `mptcpize run` (the native anchor), under the agent
# deciding at connect (a policy that looks at the destination: what services get by default) and at creation
# (loopback=mptcp, no destination rule), under the system properties (java.system.class.loader), and the
# library (Mptcp.newSocket / newServerSocket). Both ends of each connection are in the fork, so each way
# converts both. Prints µs per connection and the ratio to mptcpize.
# Needs mptcpize and python3. Usage: benchmarks/connect-jmh.sh [extra JMH options, e.g. -f 3]
set -euo pipefail
command -v mptcpize >/dev/null || { echo "connect-jmh.sh: needs mptcpize, the native anchor (apt install mptcpize)" >&2; exit 2; }
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVA="$(command -v "$JAVA")"
(cd "$ROOT" && mvn -q -B -DskipTests -pl agent,benchmarks -am package)
JAR="$ROOT/benchmarks/target/benchmarks.jar"
AGENT="$ROOT/agent/target/mptcp4j-agent.jar"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
printf '#!/bin/sh\nexec mptcpize run %s "$@"\n' "$JAVA" > "$WORK/java-mptcpize"
chmod +x "$WORK/java-mptcpize"
NA=""
[[ "$("$JAVA" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/{print $3}')" -ge 22 ]] && NA="--enable-native-access=ALL-UNNAMED"
run() { # name, then JMH options
  local name="$1"; shift
  "$JAVA" -jar "$JAR" ConnectBenchmark -rf json -rff "$WORK/$name.json" "$@" >"$WORK/$name.log" 2>&1 || { cat "$WORK/$name.log"; exit 1; }
}
run tcp "$@"
run mptcpize -jvm "$WORK/java-mptcpize" "$@"
run agent -jvmArgsAppend "$NA -javaagent:$AGENT=loopback=mptcp,exclude=198.19.255.254/32" "$@"
run agentAtCreation -jvmArgsAppend "$NA -javaagent:$AGENT=loopback=mptcp" "$@"
OPENS="--add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED"
run sysprop -jvmArgsAppend "$NA $OPENS -Djava.system.class.loader=org.mptcp4j.MptcpSystemClassLoader -Xlog:cds=off -Dmptcp4j.loopback=mptcp" "$@"
run library -p client=library -jvmArgsAppend "$NA $OPENS -Dmptcp4j.loopback=mptcp" "$@"
echo "== $("$JAVA" -version 2>&1 | head -1)"
python3 - "$WORK" <<'PY'
import json, sys, os
d = sys.argv[1]
res = {}
for n in ("tcp", "mptcpize", "agent", "agentAtCreation", "sysprop", "library"):
    r = json.load(open(os.path.join(d, n + ".json")))[0]["primaryMetric"]
    res[n] = (r["score"], r["scoreError"])
anchor = res["mptcpize"][0]
for n, (s, e) in res.items():
    print(f"{n:<16} {s:7.2f} ± {e:5.2f} µs/connection   x{s / anchor:.2f} of mptcpize")
PY
