package org.mptcp4j;

/**
 * The JMX view of mptcp4j in this JVM ({@code org.mptcp4j:type=Mptcp}), registered in every mode
 * (library, system properties, agent) unless {@code mptcp4j.jmx=false}: what mptcp4j decided for each
 * socket, and how the connections it saw complete came out. For JMX clients and scrapers such as
 * jmx_exporter; read it, do not implement it.
 */
public interface MptcpMXBean {
    /** How mptcp4j came in: {@code library}, {@code system properties} or {@code agent}. */
    String getMode();

    /** The policy in force, in agent-argument syntax (the library has none: {@code library}). */
    String getPolicy();

    /** MPTCP availability as probed in this process, with the detail. */
    String getAvailability();

    /** Sockets made MPTCP. */
    long getConverted();

    /** Sockets left on TCP by the policy or by an option that needs TCP. */
    long getKeptTcp();

    /** Sockets that were to be MPTCP but MPTCP was unavailable (kernel, sysctl, JDK internals). */
    long getUnavailable();

    /** Connections whose MPTCP negotiation succeeded. */
    long getNegotiated();

    /** Connections that fell back to TCP, all reasons. */
    long getFellBack();

    /** Fell back: {@link FallbackReason#PEER_WITHOUT_MPTCP}. */
    long getFellBackPeerWithoutMptcp();

    /** Fell back: {@link FallbackReason#OPTION_REMOVED}. */
    long getFellBackOptionRemoved();

    /** Fell back: {@link FallbackReason#SYN_DROPPED}. */
    long getFellBackSynDropped();

    /** Fell back: {@link FallbackReason#BLACKHOLE}. */
    long getFellBackBlackhole();

    /** Fell back: {@link FallbackReason#STREAM_CHANGED}. */
    long getFellBackStreamChanged();

    /** Fell back: {@link FallbackReason#PLAIN_CLIENT}. */
    long getFellBackPlainClient();

    /** Fell back: {@link FallbackReason#UNKNOWN}. */
    long getFellBackUnknown();

    /** One line: {@code converted=12 keptTcp=3 unavailable=0 negotiated=10 fellBack=2 (PEER_WITHOUT_MPTCP=2) policy=...}. */
    String getSummary();
}
