package org.mptcp4j.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry points of {@code mptcp4j-agent.jar}: {@code -javaagent:mptcp4j-agent.jar[=policy]} and dynamic
 * attach. They hand over to {@link LazyAgent}.
 *
 * <p>The build flags {@code premain} and {@code agentmain} ACC_VARARGS (src/build/NativeReflectedEntryPoints.java), so
 * that the JDK's reflective call of them spins no method handles on JDK 18+; javac refuses to compile a call to them,
 * or against this class, which nothing but the JDK needs.
 */
public final class Agent {
    private Agent() {}

    public static void premain(String args, Instrumentation inst) {
        LazyAgent.start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        LazyAgent.start(args, inst, true);
    }
}
