package org.mptcp4j;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One subflow (one TCP path) of an MPTCP connection, as the kernel reported it in MPTCP_FULL_INFO.
 *
 * @param id                 the kernel's subflow id
 * @param local              local address and port of the path
 * @param remote             remote address and port of the path
 * @param interfaceName      the local interface owning {@code local}, if it could be resolved
 * @param tcpState           the TCP state (1 = ESTABLISHED, see {@code include/net/tcp_states.h})
 * @param rttMicros          smoothed round-trip time, microseconds
 * @param rttVarMicros       round-trip time variance, microseconds
 * @param congestionWindow   congestion window, in segments
 * @param mss                sender maximum segment size, bytes
 * @param bytesSent          bytes sent on this subflow, retransmissions included
 * @param bytesAcked         bytes acknowledged by the peer on this subflow
 * @param bytesReceived      bytes received on this subflow
 * @param bytesRetransmitted bytes retransmitted on this subflow
 * @param totalRetransmits   segments retransmitted on this subflow
 */
public record SubflowInfo(
        int id,
        InetSocketAddress local,
        InetSocketAddress remote,
        Optional<String> interfaceName,
        int tcpState,
        long rttMicros,
        long rttVarMicros,
        int congestionWindow,
        int mss,
        long bytesSent,
        long bytesAcked,
        long bytesReceived,
        long bytesRetransmitted,
        long totalRetransmits) {

    /** TCP_ESTABLISHED. */
    public static final int ESTABLISHED = 1;

    public boolean established() {
        return tcpState == ESTABLISHED;
    }
}
