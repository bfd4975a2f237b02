"""What startup-ab.py and cold-ab.py share: the JVM's flags, how an arm loads the agent, the paired statistics."""
import statistics as st, subprocess


def java_and_flags(jdk):
    """The java binary of JAVA_HOME jdk and the flags every agent start needs there."""
    java = jdk.rstrip("/") + "/bin/java"
    settings = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    spec = next(l.split("=")[1].strip() for l in settings.splitlines() if "java.specification.version" in l)
    return java, ["--enable-native-access=ALL-UNNAMED"] if int(spec) >= 22 else []  # else a warning line per start on 22+


def agent_flag(arm, args):
    """-javaagent:JAR=args, or for an arm written agentlib:JAR the form bin/mptcp4j run uses for a class-path program."""
    if arm.startswith("agentlib:"):
        return "-agentlib:instrument=" + arm[len("agentlib:"):] + "=" + args
    return "-javaagent:" + arm + "=" + args


def paired(a, b):
    """Mean of b - a over the pairs and the half-width of its 95 % interval."""
    d = [y - x for x, y in zip(a, b)]
    return st.mean(d), 1.96 * st.stdev(d) / len(d) ** 0.5
