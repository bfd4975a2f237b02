package org.mptcp4j.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry points of {@code mptcp4j-agent.jar}: {@code -javaagent:mptcp4j-agent.jar[=policy]} and
 * dynamic attach. Whatever goes wrong here, the application keeps running as if there were no agent:
 * one line on stderr, plain TCP.
 */
public final class Agent {
    private Agent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static void start(String args, Instrumentation inst, boolean attached) {
        try {
            Installer.install(args, inst, attached);
        } catch (Throwable t) {
            System.err.println("mptcp4j agent: disabled, the application runs on plain TCP: " + t);
        }
    }
}
