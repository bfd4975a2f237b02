package org.mptcp4j;

/**
 * What a socket is, from the kernel (SO_PROTOCOL, TCP_IS_MPTCP, sock_diag) and, for sockets mptcp4j
 * decided about, from that decision. {@link Mptcp#fallbackReason} says why for {@link #FALLBACK}.
 */
public enum MptcpStatus {
    /** MPTCP, not fallen back: negotiated with the peer (or not connected yet); it can use several subflows. */
    MPTCP,
    /**
     * Was to be MPTCP and runs as plain TCP over one path: the negotiation fell back, or an MPTCP
     * listener handed over a plain TCP client. {@link Mptcp#fallbackReason} says why.
     */
    FALLBACK,
    /** mptcp4j left this socket on TCP: the policy (mode, include/exclude, loopback) or a socket option that needs TCP. */
    KEPT_TCP,
    /** mptcp4j could not make this socket MPTCP: the kernel, its sysctls or the JDK's internals do not allow it here. */
    UNAVAILABLE,
    /** A plain TCP socket mptcp4j did not decide about. */
    TCP
}
