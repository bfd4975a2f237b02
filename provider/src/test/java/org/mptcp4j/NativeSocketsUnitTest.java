package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mptcp4j.internal.sys.Errno;
import org.mptcp4j.internal.sys.ErrnoException;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/** The native layer turns each failing syscall into an exception naming the call and the errno. */
class NativeSocketsUnitTest {
    @Test
    void socketWithUnknownFamilyReportsEafnosupport() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> NativeSockets.socket(12345, Linux.SOCK_STREAM, 0));
        assertEquals(Errno.EAFNOSUPPORT, e.errnoConstant());
        assertTrue(e.getMessage().startsWith("socket(family 12345, SOCK_STREAM, 0) failed: EAFNOSUPPORT"), e.getMessage());
    }

    @Test
    void closeOfBadFdReportsEbadf() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> NativeSockets.close(-1));
        assertTrue(e.is(Errno.EBADF), e.getMessage());
    }

    @Test
    void getsockoptOnUnknownOptionReportsEnoprotoopt() throws Exception {
        int fd = NativeSockets.socket(Linux.AF_INET, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0);
        try {
            ErrnoException e = assertThrows(ErrnoException.class, () -> NativeSockets.getIntOption(fd, Linux.SOL_SOCKET, 9999));
            assertEquals(Errno.ENOPROTOOPT, e.errnoConstant());
            assertTrue(e.getMessage().contains("getsockopt(" + fd + ", SOL_SOCKET, 9999)"), e.getMessage());
        } finally {
            NativeSockets.close(fd);
        }
    }

    @Test
    void mptcpInfoOnPlainTcpSocketIsRefused() throws Exception {
        int fd = NativeSockets.socket(Linux.AF_INET, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, Linux.IPPROTO_TCP);
        try {
            ErrnoException e = assertThrows(ErrnoException.class, () -> NativeSockets.getBytesOption(fd, Linux.SOL_MPTCP,
                    Linux.MPTCP_INFO, 96));
            assertTrue(e.getMessage().contains("SOL_MPTCP, MPTCP_INFO"), e.getMessage());
        } finally {
            NativeSockets.close(fd);
        }
    }

    @Test
    void unknownErrnoIsDescribedByNumber() {
        assertEquals("errno 200", Errno.describe(200));
        assertEquals("ENOPROTOOPT (protocol not available)", Errno.describe(92));
    }
}
