package org.mptcp4j;

import java.util.EnumMap;
import java.util.Map;

/**
 * What mptcp4j did in this JVM so far, counted since start: its decisions, one per stream socket, and
 * the outcomes of the connections it saw complete. The same numbers as the MBean
 * {@code org.mptcp4j:type=Mptcp} and the Prometheus endpoint (docs/operators.md).
 *
 * @param converted   sockets made MPTCP
 * @param keptTcp     sockets left on TCP by the policy or by an option that needs TCP
 * @param unavailable sockets that were to be MPTCP but MPTCP was unavailable (kernel, sysctl, JDK internals)
 * @param negotiated  connections whose MPTCP negotiation succeeded
 * @param fellBack    connections that fell back to TCP, by reason (every reason present, zero or more)
 */
public record MptcpCounters(long converted, long keptTcp, long unavailable, long negotiated, Map<FallbackReason, Long> fellBack) {

    public MptcpCounters {
        Map<FallbackReason, Long> all = new EnumMap<>(FallbackReason.class);
        for (FallbackReason r : FallbackReason.values()) {
            all.put(r, fellBack.getOrDefault(r, 0L));
        }
        fellBack = java.util.Collections.unmodifiableMap(all);
    }

    /** Connections that fell back for {@code reason}. */
    public long fellBack(FallbackReason reason) {
        return fellBack.get(reason);
    }

    /** Connections that fell back, all reasons. */
    public long fellBackTotal() {
        long n = 0;
        for (long v : fellBack.values()) {
            n += v;
        }
        return n;
    }
}
