package org.mptcp4j;

/** What the kernel says a socket is, right now (from SO_PROTOCOL and TCP_IS_MPTCP). */
public enum MptcpStatus {
    /** An MPTCP socket that has not fallen back: it can use several subflows. */
    MPTCP,
    /**
     * An MPTCP socket that fell back to plain TCP: the peer, or a middlebox stripping the MPTCP
     * option, did not speak MPTCP. Data still flows, over one path.
     */
    FALLBACK,
    /**
     * A plain TCP socket. An MPTCP listener also hands out plain TCP sockets for clients that
     * did not ask for MPTCP: the kernel gives back the TCP subflow itself.
     */
    TCP
}
