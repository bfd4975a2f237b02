package org.mptcp4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.mptcp4j.MptcpStatus;
import org.mptcp4j.internal.sys.Errno;
import org.mptcp4j.internal.sys.ErrnoException;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/** What the kernel answers about a socket's negotiation, for sockets that are not (or not yet) connections. */
class NegotiationUnitTest {
    /** The status of a fresh IPv4 socket of this type and protocol, asked as for a client that just connected. */
    private static MptcpStatus statusOfFresh(int type, int protocol) throws IOException {
        int fd = NativeSockets.socket(Linux.AF_INET, type | Linux.SOCK_CLOEXEC, protocol);
        try {
            return Negotiation.of(fd, Negotiation.Origin.CLIENT).status();
        } finally {
            NativeSockets.close(fd);
        }
    }

    @Test
    void aUdpSocketIsPlainNotAnError() throws IOException {
        // a connected DatagramChannel comes through the JDK's connect, so the agent asks about it as about a TCP client
        assertEquals(MptcpStatus.TCP, statusOfFresh(Linux.SOCK_DGRAM, 0));
    }

    @Test
    void anUnconnectedMptcpSocketCountsAsMptcp() throws IOException {
        assertEquals(MptcpStatus.MPTCP, statusOfFresh(Linux.SOCK_STREAM, Linux.IPPROTO_MPTCP));
    }

    @Test
    void aPlainTcpClientIsTcp() throws IOException {
        assertEquals(MptcpStatus.TCP, statusOfFresh(Linux.SOCK_STREAM, 0));
    }

    @Test
    void aClosedFdIsTheErrorItIs() throws IOException {
        int fd = NativeSockets.socket(Linux.AF_INET, Linux.SOCK_DGRAM | Linux.SOCK_CLOEXEC, 0);
        NativeSockets.close(fd);
        ErrnoException e = assertThrows(ErrnoException.class, () -> Negotiation.of(fd, Negotiation.Origin.CLIENT));
        assertEquals(Errno.EBADF, e.errnoConstant(), e.getMessage());
    }
}
