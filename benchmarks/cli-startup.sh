#!/usr/bin/env bash
# Why the CLI parses its own options: one `mptcp4j perf --help` with the hand-written command table
# (cli/.../Main.java) against the same table written with picocli (cli-startup/PicoMain.java), on each JDK.
# Needs hyperfine. Usage: benchmarks/cli-startup.sh [runs]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${1:-20}"
PICOCLI_VERSION=4.7.7
(cd "$ROOT" && mvn -q -B -DskipTests -pl cli -am package)
(cd "$ROOT" && mvn -q -B dependency:get -Dartifact="info.picocli:picocli:$PICOCLI_VERSION")
(cd "$ROOT" && mvn -q -B -pl cli dependency:build-classpath -Dmdep.outputFile=target/cli.classpath)
PICOCLI="$HOME/.m2/repository/info/picocli/picocli/$PICOCLI_VERSION/picocli-$PICOCLI_VERSION.jar"
OURS="$ROOT/cli/target/classes:$(cat "$ROOT/cli/target/cli.classpath")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for JDK in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
  [[ -x "$JDK/bin/java" ]] || continue
  J="$JDK/bin/java"
  "$JDK/bin/javac" -d "$WORK" -cp "$PICOCLI" "$ROOT/benchmarks/cli-startup/PicoMain.java"
  echo "== $("$J" -version 2>&1 | head -1)"
  md="$(mktemp)"
  hyperfine -N --warmup 3 --runs "$RUNS" --export-markdown "$md" \
    -n "command table" "$J -cp $OURS org.mptcp4j.cli.Main perf --help" \
    -n "picocli" "$J -cp $WORK:$PICOCLI PicoMain perf --help" >/dev/null 2>&1
  cat "$md"; rm -f "$md"
done
