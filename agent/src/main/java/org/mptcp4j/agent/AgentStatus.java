package org.mptcp4j.agent;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.mptcp4j.Mptcp;
import org.mptcp4j.internal.engine.Engine;

/** The MBean implementation, registered once per JVM. */
final class AgentStatus implements AgentStatusMBean {
    static final String NAME = "org.mptcp4j:type=Agent";

    private final Engine engine;

    AgentStatus(Engine engine) {
        this.engine = engine;
    }

    @Override
    public long getConverted() {
        return engine.stats().convertedCount();
    }

    @Override
    public long getFellBack() {
        return engine.stats().fellBackCount();
    }

    @Override
    public long getKeptTcp() {
        return engine.stats().keptTcpCount();
    }

    @Override
    public String getPolicy() {
        return engine.policy().toString();
    }

    @Override
    public String getAvailability() {
        return Mptcp.availability() + ": " + Mptcp.availabilityDetail();
    }

    @Override
    public String getSummary() {
        return engine.stats() + " policy=" + getPolicy();
    }

    /** Registers the MBean if it is not there yet; never throws. */
    void register() {
        try {
            ObjectName name = new ObjectName(NAME);
            var server = ManagementFactory.getPlatformMBeanServer();
            if (!server.isRegistered(name)) {
                server.registerMBean(this, name);
            }
        } catch (Exception | LinkageError e) {
            AgentLog.warn("JMX MBean " + NAME + " not registered: " + e);
        }
    }
}
