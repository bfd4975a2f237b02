#!/usr/bin/env python3
"""Paired, interleaved start-up comparison of two agent jars (or "plain": no agent), one JDK.

Runs A and B alternately (the order flipped every pair) so that the machine's drift, which on a shared 2-CPU
machine moves a whole hyperfine batch by 10-20 ms, falls on both; prints the paired difference with its 95 %
interval, and the processes' CPU time. Each jar gets its own java.io.tmpdir: the woven-class cache keeps one
build's entries, and two builds sharing it would each weave at every start.

Usage: benchmarks/startup-ab.py PAIRS JAVA_HOME A B [program [args...]] (program: Hello, FirstSocket, ManyClasses [N]
[socket]), where A and B are each an
agent jar (loaded with -javaagent), agentlib:JAR (-agentlib:instrument=JAR, as bin/mptcp4j run does) or plain (no agent);
granted:ARM adds --enable-native-access=ALL-UNNAMED to an agent arm, native:ARM -agentpath: with the jar's JNI library
Build first: mvn -q -B -DskipTests -pl agent,benchmarks -am package
"""
import os, resource, shutil, statistics as st, subprocess, sys, tempfile, time
from abtools import agent_flags, java_and_flags, paired

pairs, jdk, a, b = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
program = "org.mptcp4j.benchmarks.programs." + (sys.argv[5] if len(sys.argv) > 5 else "FirstSocket")
program_args = sys.argv[6:]
classes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "target", "classes")
java, native = java_and_flags(jdk)
scratch = tempfile.mkdtemp(prefix="startup-ab-")

def command(jar, side):
    if jar == "plain":
        return [java, "-cp", classes, program] + program_args
    tmp = os.path.join(scratch, side)
    os.makedirs(tmp, exist_ok=True)
    return [java] + native + ["-Djava.io.tmpdir=" + tmp] + agent_flags(jar, "loopback=mptcp", tmp) + ["-cp", classes, program] + program_args

def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = (time.perf_counter() - start) * 1e3
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1e3

ca, cb = command(a, "a"), command(b, "b")
try:
    for _ in range(3):  # warm-ups: page cache, and each side's woven classes kept
        run(ca), run(cb)
    wa, wb, pa, pb = [], [], [], []
    for i in range(pairs):
        first, second = (ca, cb) if i % 2 == 0 else (cb, ca)
        x, y = run(first), run(second)
        (ra, rb) = (x, y) if i % 2 == 0 else (y, x)
        wa.append(ra[0]); wb.append(rb[0]); pa.append(ra[1]); pb.append(rb[1])
    mean, half = paired(wa, wb)
    print(f"{os.path.basename(jdk.rstrip('/'))} {' '.join([program.rsplit('.', 1)[1]] + program_args)}, {pairs} pairs: A {st.median(wa):.1f} ms, B {st.median(wb):.1f} ms (medians); "
          f"B - A {mean:+.1f} +- {half:.1f} ms (mean, 95 %); CPU A {st.median(pa):.0f} ms, B {st.median(pb):.0f} ms, B - A {st.mean([y - x for x, y in zip(pa, pb)]):+.1f}")
finally:
    shutil.rmtree(scratch, ignore_errors=True)
