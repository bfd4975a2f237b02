package org.mptcp4j.benchmarks.agents;

import java.lang.instrument.Instrumentation;

/** The floor under any agent: a premain that does nothing (benchmarks/class-load-cost.sh jars it). */
public final class EmptyAgent {
    private EmptyAgent() {}

    public static void premain(String args, Instrumentation inst) {}

    public static void agentmain(String args, Instrumentation inst) {}
}
