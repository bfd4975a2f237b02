"""What the benchmark scripts share: the JVM's flags, how an arm loads the agent, interleaved rounds, the paired statistics."""
import os, platform, shlex, statistics as st, subprocess, time, zipfile

GRANT = "--enable-native-access=ALL-UNNAMED"


def java_and_flags(jdk):
    """The java binary of JAVA_HOME jdk and the flags bin/mptcp4j run gives an agent start there."""
    java = jdk.rstrip("/") + "/bin/java"
    settings = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    spec = next(l.split("=")[1].strip() for l in settings.splitlines() if "java.specification.version" in l)
    # JDK 24+: only jffi (no JNI library of mptcp4j's built for this machine) needs native access granted
    return java, [GRANT] if int(spec) >= 24 and platform.machine() != "x86_64" else []


def agent_flags(arm, args, scratch):
    """agent_flag's; for an arm written granted:ARM also --enable-native-access=ALL-UNNAMED (run's form on JDK 22+ before
    2026-12-07), for native:ARM also -agentpath: the JNI library inside the arm's jar (run's form on JDK 24+ since)."""
    if arm.startswith("granted:"):
        return [GRANT] + agent_flags(arm[len("granted:"):], args, scratch)
    if arm.startswith("native:"):
        arm = arm[len("native:"):]
        jar = arm[len("agentlib:"):] if arm.startswith("agentlib:") else arm
        with zipfile.ZipFile(jar) as z:
            name = next(n for n in z.namelist() if n.endswith("linux-x86_64/libmptcp4j.so"))
            lib = os.path.join(scratch, name)
            if not os.path.exists(lib):  # once: rewriting it in place would crash a JVM that has it mapped (a server)
                tmp = z.extract(name, os.path.join(scratch, ".extracting"))
                os.makedirs(os.path.dirname(lib), exist_ok=True)
                os.replace(tmp, lib)
        return ["-agentpath:" + os.path.abspath(lib), agent_flag(arm, args)]
    return [agent_flag(arm, args)]


def agent_flag(arm, args):
    """-javaagent:JAR=args, or for an arm written agentlib:JAR the form bin/mptcp4j run uses for a class-path program."""
    if arm.startswith("agentlib:"):
        return "-agentlib:instrument=" + arm[len("agentlib:"):] + "=" + args
    return "-javaagent:" + arm + "=" + args


def paired(a, b):
    """Mean of b - a over the pairs and the half-width of its 95 % interval."""
    d = [y - x for x, y in zip(a, b)]
    return st.mean(d), 1.96 * st.stdev(d) / len(d) ** 0.5


def arms_of(specs):
    """The start-up scripts' arms, given as NAME=COMMAND strings (the command split as a shell would), as (name, argv)."""
    return [(a.split("=", 1)[0], shlex.split(a.split("=", 1)[1])) for a in specs]


def interleaved(arms, rounds):
    """Runs every (name, argv) arm once as a warm-up (page cache), then `rounds` times in rotating order, so that the
    machine's drift falls on every arm: name -> wall times in ms, one per round."""
    def run(cmd):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return (time.perf_counter() - start) * 1e3
    for _, cmd in arms:
        run(cmd)
    t = {name: [] for name, _ in arms}
    for i in range(rounds):
        for name, cmd in arms[i % len(arms):] + arms[:i % len(arms)]:
            t[name].append(run(cmd))
    return t
