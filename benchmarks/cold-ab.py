#!/usr/bin/env python3
"""Paired, interleaved comparison of two agent jars on the cold connection round, with mptcpize in the same run.

One server (`new ServerSocket` under `mptcpize run`) on the loopback of a network namespace this script creates
and always removes; then, ROUNDS times and in rotating order, three fresh client JVMs in that namespace: agent jar
A, agent jar B (each with loopback=mptcp and its own java.io.tmpdir, as in startup-ab.py) and `mptcpize run` (the
native anchor). Each client times its first CYCLES connections (new Socket, one byte, close), JVM start excluded
but the agent's activation at the first socket included: the "cold" cell of connect-rate.sh, whose 4 repeats move
by 0.2 on a 2-CPU machine. Prints medians, B - A paired (mean and 95 % interval) and each arm's ratio to mptcpize.

With "both" as the last argument, each client gets a fresh server converted the same way (under its jar, or under
mptcpize): connect-rate.sh's "both ends" row, the server's accept path cold too.

Usage (root; apt install mptcpize): benchmarks/cold-ab.py ROUNDS JAVA_HOME A B [CYCLES] [both], where A and B are each
an agent jar (loaded with -javaagent) or agentlib:JAR (-agentlib:instrument=JAR, as bin/mptcp4j run does).
AGENT_ARGS in the environment replaces both arms' agent arguments (loopback=mptcp, which decides clients at creation);
AGENT_ARGS=loopback=mptcp,exclude=198.51.100.1 decides them at connect, as the installed policy does.
Build first: mvn -q -B -DskipTests -pl agent,benchmarks -am package
"""
import os, shutil, statistics as st, subprocess, sys, tempfile, time
from abtools import agent_flags, java_and_flags, paired

if shutil.which("mptcpize") is None:
    sys.exit("cold-ab.py: needs mptcpize, the native anchor (apt install mptcpize)")
rounds, jdk, a, b = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
cycles = int(sys.argv[5]) if len(sys.argv) > 5 else 5000
both = len(sys.argv) > 6 and sys.argv[6] == "both"
agent_args = os.environ.get("AGENT_ARGS", "loopback=mptcp")
classes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "target", "classes")
java, native = java_and_flags(jdk)
ns = "mptcp4j-cold-%d" % os.getpid()
port = "5555"
scratch = tempfile.mkdtemp(prefix="cold-ab-")
loop = [java, "-cp", classes, "org.mptcp4j.benchmarks.programs.ConnectLoop"]
inns = ["ip", "netns", "exec", ns]

def under(arm, args):
    """ConnectLoop ARGS in the namespace, under mptcpize or under arm's agent jar (its own java.io.tmpdir)."""
    if arm == "mptcpize":
        return inns + ["mptcpize", "run"] + loop + args
    tmp = os.path.join(scratch, arm)
    os.makedirs(tmp, exist_ok=True)
    jar = a if arm == "A" else b
    return inns + [java] + native + ["-Djava.io.tmpdir=" + tmp] + agent_flags(jar, agent_args, tmp) + loop[1:] + args

def start_server(arm):
    s = subprocess.Popen(under(arm, ["serve", port]), stdout=subprocess.PIPE, text=True)
    if s.stdout.readline().strip() != "READY":
        sys.exit("the server did not start")
    return s

def stop(s):
    s.kill()
    s.wait()

def cold_ms(arm):
    s = start_server(arm) if both else None
    try:
        out = subprocess.run(under(arm, ["connect", "127.0.0.1", port, str(cycles), "1"]), capture_output=True, text=True,
                             check=True, timeout=120).stdout
    finally:
        if s:
            stop(s)
    return float(next(l.split()[2] for l in out.splitlines() if l.startswith("ROUND 0 ")))

subprocess.run(["ip", "netns", "add", ns], check=True)
server = None
try:
    subprocess.run(inns + ["ip", "link", "set", "lo", "up"], check=True)
    server = None if both else start_server("mptcpize")
    arms = ["A", "B", "mptcpize"]
    for arm in arms:  # warm-ups: page cache, each jar's woven classes kept
        cold_ms(arm)
    ms = {arm: [] for arm in arms}
    for r in range(rounds):
        for arm in arms[r % 3:] + arms[:r % 3]:  # rotating order: no arm always after another's TIME_WAIT sockets
            ms[arm].append(cold_ms(arm))
    mean, ci = paired(ms["A"], ms["B"])
    m = {arm: st.median(v) for arm, v in ms.items()}
    print(f"{os.path.basename(jdk)} first {cycles} connections, {'both ends' if both else 'mptcpize server'}, agent {agent_args}, {rounds} rounds: A {m['A']:.0f} ms x{m['A'] / m['mptcpize']:.2f}, "
          f"B {m['B']:.0f} ms x{m['B'] / m['mptcpize']:.2f}, mptcpize {m['mptcpize']:.0f} ms (medians; x: to mptcpize); "
          f"B - A {mean:+.1f} +- {ci:.1f} ms (mean, 95 %)")
finally:
    if server:
        stop(server)
    subprocess.run(["ip", "netns", "del", ns])
    subprocess.run(["rm", "-rf", scratch])
