package org.mptcp4j.agent;

/** JMX view of the agent ({@code org.mptcp4j:type=Agent}): what it did to this JVM's sockets. */
public interface AgentStatusMBean {
    /** Stream sockets converted to MPTCP. */
    long getConverted();

    /** Stream sockets that stayed TCP because MPTCP was unavailable. */
    long getFellBack();

    /** Stream sockets the policy left on TCP. */
    long getKeptTcp();

    /** The active policy, in agent-argument syntax. */
    String getPolicy();

    /** Kernel/JVM availability of MPTCP as probed in this process. */
    String getAvailability();

    /** One line: {@code converted=12 fellBack=0 keptTcp=3 policy=...}. */
    String getSummary();
}
