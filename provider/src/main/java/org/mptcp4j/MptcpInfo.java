package org.mptcp4j;

import java.util.List;

/**
 * An immutable snapshot of one MPTCP connection, read from the kernel (MPTCP_FULL_INFO, or
 * MPTCP_INFO without per-subflow detail on kernels older than 6.5).
 *
 * @param token                 the connection token (what the path manager and {@code ip mptcp monitor} call it)
 * @param flags                 MPTCP_INFO_FLAG_* bits
 * @param additionalSubflows    subflows beyond the initial one (the kernel's {@code mptcpi_subflows})
 * @param addAddrSignal         ADD_ADDR announcements sent
 * @param addAddrAccepted       ADD_ADDR announcements accepted from the peer
 * @param subflowsMax           the path manager's subflow limit
 * @param addAddrSignalMax      the path manager's announce limit
 * @param addAddrAcceptedMax    the path manager's add_addr_accepted limit
 * @param localAddrUsed         local addresses in use
 * @param localAddrMax          local addresses usable
 * @param checksum              whether DSS checksums are on
 * @param retransmits           MPTCP-level retransmissions
 * @param bytesRetransmitted    bytes retransmitted at MPTCP level
 * @param bytesSent             bytes sent at MPTCP level (data sequence space)
 * @param bytesReceived         bytes received at MPTCP level
 * @param bytesAcked            bytes acknowledged at MPTCP level
 * @param subflows              per-subflow detail; empty when the kernel only supports MPTCP_INFO
 */
public record MptcpInfo(
        long token,
        int flags,
        int additionalSubflows,
        int addAddrSignal,
        int addAddrAccepted,
        int subflowsMax,
        int addAddrSignalMax,
        int addAddrAcceptedMax,
        int localAddrUsed,
        int localAddrMax,
        boolean checksum,
        long retransmits,
        long bytesRetransmitted,
        long bytesSent,
        long bytesReceived,
        long bytesAcked,
        List<SubflowInfo> subflows) {

    public MptcpInfo {
        subflows = List.copyOf(subflows);
    }

    /** Subflows currently in TCP state ESTABLISHED. */
    public long establishedSubflows() {
        return subflows.stream().filter(SubflowInfo::established).count();
    }

    /** The token as {@code ip mptcp monitor} and {@code ss -M} print it (hex). */
    public String tokenHex() {
        return Long.toHexString(token);
    }
}
