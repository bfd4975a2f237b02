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
    @Test
    void aUdpSocketIsPlainNotAnError() throws IOException {
        // a connected DatagramChannel comes through the JDK's connect, so the agent asks about it as about a TCP client
        int fd = NativeSockets.socket(Linux.AF_INET, Linux.SOCK_DGRAM | Linux.SOCK_CLOEXEC, 0);
        try {
            assertEquals(MptcpStatus.TCP, Negotiation.of(fd, Negotiation.Origin.CLIENT).status());
        } finally {
            NativeSockets.close(fd);
        }
    }

    @Test
    void anUnconnectedMptcpSocketCountsAsMptcp() throws IOException {
        int fd = NativeSockets.socket(Linux.AF_INET, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, Linux.IPPROTO_MPTCP);
        try {
            assertEquals(MptcpStatus.MPTCP, Negotiation.of(fd, Negotiation.Origin.CLIENT).status());
        } finally {
            NativeSockets.close(fd);
        }
    }

    @Test
    void aPlainTcpClientIsTcp() throws IOException {
        int fd = NativeSockets.socket(Linux.AF_INET, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0);
        try {
            assertEquals(MptcpStatus.TCP, Negotiation.of(fd, Negotiation.Origin.CLIENT).status());
        } finally {
            NativeSockets.close(fd);
        }
    }

    @Test
    void aClosedFdIsTheErrorItIs() throws IOException {
        int fd = NativeSockets.socket(Linux.AF_INET, Linux.SOCK_DGRAM | Linux.SOCK_CLOEXEC, 0);
        NativeSockets.close(fd);
        ErrnoException e = assertThrows(ErrnoException.class, () -> Negotiation.of(fd, Negotiation.Origin.CLIENT));
        assertEquals(Errno.EBADF, e.errnoConstant(), e.getMessage());
    }
}
