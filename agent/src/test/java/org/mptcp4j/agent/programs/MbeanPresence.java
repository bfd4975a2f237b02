package org.mptcp4j.agent.programs;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.mptcp4j.programs.BlockingEcho;

/** Runs the blocking echo, waits for mptcp4j's registration thread if there is one, then says whether the MBean is there. */
public final class MbeanPresence {
    public static void main(String[] args) throws Exception {
        BlockingEcho.main(args);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("mptcp4j-jmx")) {
                t.join(10_000);
            }
        }
        System.out.println("MBEAN registered=" + ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName("org.mptcp4j:type=Mptcp")));
    }
}
