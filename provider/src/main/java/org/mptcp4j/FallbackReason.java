package org.mptcp4j;

/**
 * Why a connection that was to be MPTCP runs as plain TCP, derived from what the kernel says about that
 * one socket (docs/operators.md: what each means and what to do).
 */
public enum FallbackReason {
    /**
     * The peer answered our MPTCP SYN without MPTCP: it does not speak MPTCP (an ordinary TCP server,
     * or one with {@code net.mptcp.enabled=0}), or something on the path removed the option from both
     * the SYN and the SYN-ACK, which looks the same from here.
     */
    PEER_WITHOUT_MPTCP("the peer answered without MPTCP (it does not speak it, or the path removed the option)"),
    /**
     * The peer took part in the MPTCP handshake, then MPTCP options stopped arriving: a middlebox on the
     * path removes them from data packets.
     */
    OPTION_REMOVED("MPTCP options were removed on the path after the handshake"),
    /**
     * Our SYNs carrying MPTCP went unanswered and the kernel retried without it
     * ({@code net.mptcp.syn_retrans_before_tcp_fallback}): a middlebox drops MPTCP SYNs.
     */
    SYN_DROPPED("MPTCP SYNs were dropped and the kernel retried as plain TCP"),
    /**
     * The kernel did not ask for MPTCP at all: its blackhole detection, after earlier MPTCP SYNs were
     * dropped, disabled MPTCP for new connections in this namespace for a while
     * ({@code net.mptcp.blackhole_timeout}).
     */
    BLACKHOLE("the kernel's blackhole detection has disabled MPTCP for new connections"),
    /**
     * DSS checksums caught a middlebox changing the byte stream, and the connection fell back to
     * plain TCP to keep going.
     */
    STREAM_CHANGED("a middlebox changed the byte stream (DSS checksum failed)"),
    /**
     * An MPTCP listener handed over a plain TCP connection: the client did not ask for MPTCP (or the
     * path removed the option from its SYN).
     */
    PLAIN_CLIENT("the client connected without MPTCP"),
    /** The kernel says the connection fell back, but not enough to tell why (see the detail). */
    UNKNOWN("the kernel does not say why");

    private final String description;

    FallbackReason(String description) {
        this.description = description;
    }

    /** One short line for logs and tools. */
    public String description() {
        return description;
    }
}
