package org.mptcp4j.internal.engine;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.mptcp4j.FallbackReason;

/**
 * What mptcp4j did with this JVM's stream sockets, and how their connections came out. Decisions, one
 * per socket: converted to MPTCP, kept on TCP (policy, or an option that needs TCP), MPTCP unavailable.
 * Outcomes, one per connection mptcp4j saw complete: negotiated, or fell back with a reason. One set of
 * counters per JVM, whichever way mptcp4j came in (library, system properties, agent); each count is also
 * a JFR event ({@link SocketEvents}).
 * <p>AtomicLong, not LongAdder: a count is one per socket or connection, beside system calls that cost far more than a
 * contended CAS, and LongAdder's VarHandle runs through method-handle frames while a process's first connections run
 * interpreted.
 */
public final class SocketCounters {
    /** The JVM's counters. */
    public static final SocketCounters JVM = new SocketCounters();

    private final AtomicLong converted = new AtomicLong();
    private final AtomicLong keptTcp = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong negotiated = new AtomicLong();
    private final Map<FallbackReason, AtomicLong> fellBack = new EnumMap<>(FallbackReason.class);

    SocketCounters() {
        for (FallbackReason r : FallbackReason.values()) {
            fellBack.put(r, new AtomicLong());
        }
    }

    void converted(String side) {
        converted.incrementAndGet();
        SocketEvents.converted(side);
    }

    void keptTcp(String side) {
        keptTcp.incrementAndGet();
        SocketEvents.keptTcp(side);
    }

    void unavailable(String side) {
        unavailable.incrementAndGet();
        SocketEvents.unavailable(side);
    }

    void negotiated() {
        negotiated.incrementAndGet();
    }

    void fellBack(FallbackReason reason) {
        fellBack.get(reason).incrementAndGet();
    }

    /** Sockets made MPTCP. */
    public long convertedCount() {
        return converted.get();
    }

    /** Sockets left on TCP: the policy (mode, include/exclude, loopback) or a socket option that needs TCP. */
    public long keptTcpCount() {
        return keptTcp.get();
    }

    /** Sockets that were to be MPTCP but stayed TCP because MPTCP was unavailable (kernel, sysctl, JDK). */
    public long unavailableCount() {
        return unavailable.get();
    }

    /** Connections whose MPTCP negotiation succeeded. */
    public long negotiatedCount() {
        return negotiated.get();
    }

    /** Connections that fell back to TCP for {@code reason}. */
    public long fellBackCount(FallbackReason reason) {
        return fellBack.get(reason).get();
    }

    /** Connections that fell back to TCP, all reasons. */
    public long fellBackCount() {
        long n = 0;
        for (AtomicLong a : fellBack.values()) {
            n += a.get();
        }
        return n;
    }

    /** One line for operators: {@code converted=12 keptTcp=3 unavailable=0 negotiated=10 fellBack=2 (PEER_WITHOUT_MPTCP=2)}. */
    @Override
    public String toString() {
        StringBuilder reasons = new StringBuilder();
        for (FallbackReason r : FallbackReason.values()) {
            long n = fellBackCount(r);
            if (n > 0) {
                reasons.append(reasons.length() == 0 ? " (" : " ").append(r).append('=').append(n);
            }
        }
        return "converted=" + convertedCount() + " keptTcp=" + keptTcpCount() + " unavailable=" + unavailableCount()
                + " negotiated=" + negotiatedCount() + " fellBack=" + fellBackCount() + (reasons.length() == 0 ? "" : reasons + ")");
    }
}
