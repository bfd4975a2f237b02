package org.mptcp4j.agent.programs;

import javax.management.MBeanServerFactory;
import org.mptcp4j.programs.BlockingEcho;

/**
 * Runs the blocking echo, stays 2.5 s (past the second after which mptcp4j would register its MBean), then says
 * how many MBean servers exist: a program that never uses JMX should have none.
 */
public final class NoMBeanServer {
    public static void main(String[] args) throws Exception {
        BlockingEcho.main(args);
        Thread.sleep(2500); // a window in which nothing may happen, not a synchronisation
        System.out.println("MBEANSERVERS " + MBeanServerFactory.findMBeanServer(null).size());
    }
}
