package org.mptcp4j.agent.programs;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.mptcp4j.programs.BlockingEcho;

/**
 * Runs the blocking echo, makes the platform MBean server (mptcp4j registers only into one that exists), then says
 * whether the MBean is there: polled for up to 10 s while mptcp4j's registration thread runs, looked at once when
 * there is none.
 */
public final class MbeanPresence {
    public static void main(String[] args) throws Exception {
        BlockingEcho.main(args);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("org.mptcp4j:type=Mptcp");
        boolean registering = Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("mptcp4j-jmx"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (registering && !server.isRegistered(name) && System.nanoTime() < deadline) {
            Thread.sleep(10); // poll: the agent registers its MBean on a background thread
        }
        System.out.println("MBEAN registered=" + server.isRegistered(name) + " thread=" + registering);
    }
}
