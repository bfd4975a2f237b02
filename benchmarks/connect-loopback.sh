#!/usr/bin/env bash
# Quick same-run comparison of client connect paths (issue 16): one server under `mptcpize run` on the loopback of a
# namespace this script creates and removes; each client variant in a fresh JVM, interleaved, REPEATS times; prints
# each variant's best warm round (CYCLES connections, after one warm-up round) per repeat, their medians, and the
# ratio to `new Socket` under mptcpize (the native anchor). Clients under mptcp4j run with loopback=mptcp.
# Variants: mptcpize (new Socket), adaptor (SocketChannel.open().socket() under mptcpize: the JDK's shape of the
# library's sockets), library (Mptcp.newSocket()), sysprop (new Socket with the SocketImpl factory), agent.
# A variant written library=JAR runs the library from that provider jar instead of the build's (an A/B of two builds:
# `library=OLD.jar library`); the last two variants also get their paired difference, repeat by repeat.
# Needs root and mptcpize. Usage: benchmarks/connect-loopback.sh [repeats] [cycles] [variants...]
set -euo pipefail
command -v mptcpize >/dev/null || { echo "connect-loopback.sh: needs mptcpize, the native anchor (apt install mptcpize)" >&2; exit 2; }
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
REPEATS="${1:-5}"
CYCLES="${2:-10000}"
if (( $# > 2 )); then VARIANTS=("${@:3}"); else VARIANTS=(mptcpize adaptor library sysprop agent); fi
mvn -q -B -DskipTests -pl agent,benchmarks -am install
mvn -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/bench.classpath")"
AGENT="$ROOT/agent/target/mptcp4j-agent.jar"
J="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java"
OPENS="--add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED -Dmptcp4j.loopback=mptcp"
NA=""
[[ "$("$J" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/{print $3}')" -ge 22 ]] && NA="--enable-native-access=ALL-UNNAMED"
NS="mptcp4j-cl-$$"
OUT="$(mktemp -d)"
cleanup() { [[ -n "${SERVER:-}" ]] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; ip netns del "$NS" 2>/dev/null || true; rm -rf "$OUT"; }
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" sysctl -qw net.ipv4.tcp_tw_reuse=1 net.ipv4.ip_local_port_range="1024 65535"
ip netns exec "$NS" mptcpize run "$J" -XX:+UseSerialGC -cp "$CP" org.mptcp4j.benchmarks.programs.ConnectLoop serve 7000 > "$OUT/server" 2>&1 &
SERVER=$!
for _ in $(seq 100); do grep -q READY "$OUT/server" && break; sleep 0.1; done
grep -q READY "$OUT/server" || { echo "server did not start: $(cat "$OUT/server")" >&2; exit 1; }
echo "== $("$J" -version 2>&1 | head -1); $CYCLES connections a round, best of 3 warm rounds, $REPEATS repeats (ms)"
for r in $(seq "$REPEATS"); do
  for v in "${VARIANTS[@]}"; do
    cp="$CP"
    case "$v" in
      library=*) cp="$ROOT/benchmarks/target/classes:$(tr ':' '\n' < "$ROOT/benchmarks/target/bench.classpath" | grep -v mptcp4j-provider | paste -sd:):${v#library=}"
                 pre=(); flags=($OPENS $NA); mode=connect-library ;;
      mptcpize) pre=(mptcpize run); flags=(); mode=connect ;;
      adaptor) pre=(mptcpize run); flags=(); mode=connect-adaptor ;;
      library) pre=(); flags=($OPENS $NA); mode=connect-library ;;
      sysprop) pre=(); flags=($OPENS $NA -Djava.system.class.loader=org.mptcp4j.MptcpSystemClassLoader -Xlog:cds=off); mode=connect ;;
      agent) pre=(); flags=($NA "-javaagent:$AGENT=loopback=mptcp"); mode=connect ;;
      *) echo "unknown variant '$v'; expected mptcpize, adaptor, library, library=JAR, sysprop or agent" >&2; exit 2 ;;
    esac
    ip netns exec "$NS" timeout 600 "${pre[@]}" "$J" -XX:+UseSerialGC "${flags[@]}" -cp "$cp" org.mptcp4j.benchmarks.programs.ConnectLoop \
      "$mode" 127.0.0.1 7000 "$CYCLES" 4 2>/dev/null | awk '/^ROUND [1-9]/{print $3}' | sort -n | head -1 >> "$OUT/${v//\//_}"
  done
done
python3 - "$OUT" "${VARIANTS[@]}" <<'EOF'
import sys, statistics
out, names = sys.argv[1], sys.argv[2:]
runs = {n: [int(x) for x in open(f"{out}/{n.replace('/', '_')}").read().split()] for n in names}
anchor = statistics.median(runs["mptcpize"]) if "mptcpize" in runs else None
for n in names:
    med = statistics.median(runs[n])
    ratio = f"x{med / anchor:.2f}" if anchor else ""
    print(f"{n:<9} median {med:7.1f}  {ratio:>6}   runs {' '.join(map(str, runs[n]))}")
if len(names) >= 2:
    a, b = runs[names[-2]], runs[names[-1]]
    d = [y - x for x, y in zip(a, b)]
    half = 1.96 * statistics.stdev(d) / len(d) ** 0.5 if len(d) > 1 else float("nan")
    print(f"{names[-1]} - {names[-2]}: {statistics.mean(d):+.1f} +- {half:.1f} ms (mean of the paired repeats, 95 %)")
EOF
