package org.mptcp4j.internal.engine;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.mptcp4j.FallbackReason;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpMXBean;
import org.mptcp4j.internal.log.Log;
import org.mptcp4j.internal.policy.Setting;

/**
 * Registers {@link MptcpMXBean} as {@code org.mptcp4j:type=Mptcp}, once per JVM, off the application's
 * threads, a second or more after mptcp4j's first socket and only into a platform MBean server that
 * something else created ({@link Registration}): short-lived programs never pay for it, and servers do not
 * pay during their start-up.
 */
public final class Jmx implements MptcpMXBean {
    public static final String NAME = "org.mptcp4j:type=Mptcp";

    private static volatile boolean started; // not an AtomicBoolean: its VarHandle would be made at every start
    private static volatile String mode = "library";
    private static volatile String policy = "library";

    private Jmx() {}

    /** Registers the MBean (if {@code mptcp4j.jmx} allows) for {@code how} mptcp4j came in; the most specific mode wins. */
    public static void register(String how, String policyText) {
        if (rank(how) > rank(mode)) { // the library's own values are the defaults: no write per library socket
            mode = how;
            policy = policyText;
        }
        if (started || !start()) {
            return;
        }
        MetricsEndpoint.startOnce(Setting.PROMETHEUS.value(), Setting.PROMETHEUS.origin()); // the agent's call, if any, came first
        if (!jmxWanted()) {
            return;
        }
        Thread t = new Thread(new Registration(), "mptcp4j-jmx");
        t.setDaemon(true);
        t.start();
    }

    private static synchronized boolean start() {
        boolean first = !started;
        started = true;
        return first;
    }

    private static volatile Setting.Given agentJmx;

    /** The agent's {@code jmx} argument, if given: it wins over the property and the environment. */
    public static void agentArgument(Setting.Given given) {
        agentJmx = given;
    }

    private static boolean jmxWanted() {
        Setting.Given given = agentJmx;
        return given == null ? Setting.JMX.booleanValue(Log.warningEndingWith("; using true"))
                : Setting.JMX.booleanValue(given.value(), given.origin(), Log.warningEndingWith("; using true"));
    }

    private static int rank(String how) {
        return "agent".equals(how) ? 2 : "system properties".equals(how) ? 1 : 0;
    }

    /**
     * Registers once the platform MBean server exists, looking every second; never creates it. Creating it costs
     * more CPU than all of mptcp4j's start-up (benchmarks/RESULTS.md), and a JVM no one watches over JMX should not
     * pay that; whatever creates it (the application, a JMX agent or exporter, jconsole attaching, {@code jcmd
     * ManagementAgent.start}) makes the MBean appear within a second. A class, not a lambda (see Policy).
     */
    private static final class Registration implements Runnable {
        @Override
        public void run() {
            try {
                Thread.sleep(1000); // a deferral and a polling interval, not a synchronisation: nothing waits for this
                ObjectName runtime = new ObjectName("java.lang:type=Runtime"); // the platform server's own MXBean
                while (!platformServerExists(runtime)) {
                    Thread.sleep(1000);
                }
                ObjectName name = new ObjectName(NAME);
                var server = ManagementFactory.getPlatformMBeanServer(); // exists: this only returns it
                if (!server.isRegistered(name)) {
                    server.registerMBean(new Jmx(), name);
                }
            } catch (InterruptedException e) {
                // the JVM is going away
            } catch (Exception | LinkageError e) {
                Log.warning("JMX MBean " + NAME + " not registered: " + e);
            }
        }

        /** Whether the platform MBean server was made: a server of MBeanServerFactory's list holding the runtime's MXBean. */
        private static boolean platformServerExists(ObjectName runtime) {
            for (MBeanServer s : MBeanServerFactory.findMBeanServer(null)) {
                if (s.isRegistered(runtime)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static SocketCounters c() {
        return SocketCounters.JVM;
    }

    @Override
    public String getMode() {
        return mode;
    }

    @Override
    public String getPolicy() {
        return policy;
    }

    @Override
    public String getAvailability() {
        return Mptcp.availability() + ": " + Mptcp.availabilityDetail();
    }

    @Override
    public long getConverted() {
        return c().convertedCount();
    }

    @Override
    public long getKeptTcp() {
        return c().keptTcpCount();
    }

    @Override
    public long getUnavailable() {
        return c().unavailableCount();
    }

    @Override
    public long getNegotiated() {
        return c().negotiatedCount();
    }

    @Override
    public long getFellBack() {
        return c().fellBackCount();
    }

    @Override
    public long getFellBackPeerWithoutMptcp() {
        return c().fellBackCount(FallbackReason.PEER_WITHOUT_MPTCP);
    }

    @Override
    public long getFellBackOptionRemoved() {
        return c().fellBackCount(FallbackReason.OPTION_REMOVED);
    }

    @Override
    public long getFellBackSynDropped() {
        return c().fellBackCount(FallbackReason.SYN_DROPPED);
    }

    @Override
    public long getFellBackBlackhole() {
        return c().fellBackCount(FallbackReason.BLACKHOLE);
    }

    @Override
    public long getFellBackStreamChanged() {
        return c().fellBackCount(FallbackReason.STREAM_CHANGED);
    }

    @Override
    public long getFellBackPlainClient() {
        return c().fellBackCount(FallbackReason.PLAIN_CLIENT);
    }

    @Override
    public long getFellBackUnknown() {
        return c().fellBackCount(FallbackReason.UNKNOWN);
    }

    @Override
    public String getSummary() {
        return c() + " policy=" + policy;
    }
}
