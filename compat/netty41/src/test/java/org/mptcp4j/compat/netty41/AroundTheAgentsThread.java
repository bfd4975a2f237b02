package org.mptcp4j.compat.netty41;

import java.util.Arrays;

/**
 * Runs {@code args[1]}'s main with the agent's weave-ahead thread awaited {@code before} it (every class of the
 * program then loads after the agent stopped watching class loading, when started with a low
 * {@code mptcp4j.agent.eagerAfterClasses}) or {@code after} it (what the agent decided is said before the JVM ends).
 */
public final class AroundTheAgentsThread {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("before")) {
            awaitTheAgentsThread();
        }
        Class.forName(args[1]).getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        if (args[0].equals("after")) {
            awaitTheAgentsThread();
        }
    }

    private static void awaitTheAgentsThread() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("mptcp4j-agent-eager")) {
                t.join(30_000);
            }
        }
    }
}
