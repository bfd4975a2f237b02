package org.mptcp4j.internal.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the policy-driven paths (providers, SocketImpl, agent) did with each stream socket:
 * converted to MPTCP, fell back to TCP (MPTCP unavailable), or left TCP by policy. Each count is
 * also a JFR event ({@code org.mptcp4j.SocketConverted}, {@code SocketFellBack}, {@code SocketKeptTcp}).
 */
public final class SocketCounters {
    private final LongAdder converted = new LongAdder();
    private final LongAdder fellBack = new LongAdder();
    private final LongAdder keptTcp = new LongAdder();

    public void converted() {
        converted.increment();
        SocketEvents.converted("");
    }

    public void fellBack() {
        fellBack.increment();
        SocketEvents.fellBack("");
    }

    public void keptTcp() {
        keptTcp.increment();
        SocketEvents.keptTcp("");
    }

    /** Sockets that became MPTCP. */
    public long convertedCount() {
        return converted.sum();
    }

    /** Sockets that should have become MPTCP but stayed TCP because MPTCP was unavailable. */
    public long fellBackCount() {
        return fellBack.sum();
    }

    /** Sockets the policy left on TCP (mode, include/exclude, loopback). */
    public long keptTcpCount() {
        return keptTcp.sum();
    }

    /** One line for operators: {@code converted=12 fellBack=0 keptTcp=3}. */
    @Override
    public String toString() {
        return "converted=" + convertedCount() + " fellBack=" + fellBackCount() + " keptTcp=" + keptTcpCount();
    }
}
