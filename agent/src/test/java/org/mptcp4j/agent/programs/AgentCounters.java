package org.mptcp4j.agent.programs;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.mptcp4j.programs.BlockingEcho;

/** Runs the blocking echo, then prints the agent's MBean counters (polled until registered). */
public final class AgentCounters {
    public static void main(String[] args) throws Exception {
        BlockingEcho.main(args);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("org.mptcp4j:type=Mptcp");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!server.isRegistered(name) && System.nanoTime() < deadline) {
            Thread.sleep(5); // poll: the agent registers its MBean on a background thread
        }
        System.out.println("MBEAN converted=" + server.getAttribute(name, "Converted") + " fellBack="
                + server.getAttribute(name, "FellBack") + " keptTcp=" + server.getAttribute(name, "KeptTcp"));
        System.out.println("SUMMARY " + server.getAttribute(name, "Summary"));
    }
}
