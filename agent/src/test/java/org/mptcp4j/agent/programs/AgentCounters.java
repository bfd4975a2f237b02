package org.mptcp4j.agent.programs;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.mptcp4j.programs.BlockingEcho;
import org.mptcp4j.programs.NioEcho;
import org.mptcp4j.testbed.MptcpMBean;

/**
 * Runs the blocking echo (or, {@code AgentCounters HOST nio}, the Selector-driven one), then prints the agent's
 * MBean counters (polled until registered).
 */
public final class AgentCounters {
    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[1].equals("nio")) {
            NioEcho.main(new String[] {args[0]});
        } else {
            BlockingEcho.main(args);
        }
        MBeanServer server = MptcpMBean.await(10);
        ObjectName name = MptcpMBean.NAME;
        System.out.println("MBEAN converted=" + server.getAttribute(name, "Converted") + " fellBack="
                + server.getAttribute(name, "FellBack") + " keptTcp=" + server.getAttribute(name, "KeptTcp")
                + " negotiated=" + server.getAttribute(name, "Negotiated"));
        System.out.println("SUMMARY " + server.getAttribute(name, "Summary"));
    }
}
