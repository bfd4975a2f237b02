package org.mptcp4j.agent.programs;

import javax.management.MBeanServer;
import org.mptcp4j.programs.BlockingEcho;
import org.mptcp4j.testbed.MptcpMBean;

/**
 * Runs the blocking echo, makes the platform MBean server (mptcp4j registers only into one that exists), then says
 * whether the MBean is there: polled for up to 10 s while mptcp4j's registration thread runs, looked at once when
 * there is none.
 */
public final class MbeanPresence {
    public static void main(String[] args) throws Exception {
        BlockingEcho.main(args);
        boolean registering = MptcpMBean.registering();
        MBeanServer server = MptcpMBean.await(registering ? 10 : 0);
        System.out.println("MBEAN registered=" + server.isRegistered(MptcpMBean.NAME) + " thread=" + registering);
    }
}
