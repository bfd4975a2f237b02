package org.mptcp4j.compat.netty41;

import java.util.Arrays;

/**
 * Runs {@code args[0]}'s main once the agent's weave-ahead thread has ended, so that every class of the program
 * loads after the agent stopped watching class loading (started with a low {@code mptcp4j.agent.eagerAfterClasses}).
 */
public final class AfterTheAgentStoppedWatching {
    public static void main(String[] args) throws Exception {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("mptcp4j-agent-eager")) {
                t.join(30_000);
            }
        }
        Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
