package org.mptcp4j.testbed;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** mptcp4j's MBean as a program under test sees it: registered on a background thread, so polled for. */
public final class MptcpMBean {
    private MptcpMBean() {}

    public static final ObjectName NAME = name();

    private static ObjectName name() {
        try {
            return new ObjectName("org.mptcp4j:type=Mptcp");
        } catch (MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The platform MBean server (made here if nothing made it: mptcp4j registers only into one that exists) once the
     * MBean is registered in it, or after {@code seconds} without it; then {@code isRegistered(NAME)} says which.
     */
    public static MBeanServer await(long seconds) throws InterruptedException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!server.isRegistered(NAME) && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling interval
        }
        return server;
    }

    /** Whether mptcp4j's registration thread is running (it ends once the MBean is registered). */
    public static boolean registering() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("mptcp4j-jmx"));
    }
}
