package org.mptcp4j.internal.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Every libc call through the backend this JVM uses: mptcp4j's JNI library on Linux x86_64, jffi where
 * {@code -Dmptcp4j.native=jffi} (the build runs this class a second time that way, so both stay tested).
 */
class NativeBackendUnitTest {
    private static final boolean JFFI_ASKED = "jffi".equals(System.getProperty("mptcp4j.native"));

    /** What a test does with the fd of a fresh stream socket. */
    private interface OnFd {
        void run(int fd) throws ErrnoException;
    }

    /** Runs {@code body} on a new stream socket of {@code domain} and {@code protocol}, closed afterwards whatever happens. */
    private static void onSocket(int domain, int protocol, OnFd body) throws ErrnoException {
        int fd = NativeSockets.socket(domain, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, protocol);
        try {
            body.run(fd);
        } finally {
            NativeSockets.close(fd);
        }
    }

    @Test
    void theBackendIsTheOneThisMachineShouldUse() {
        boolean x86 = System.getProperty("os.arch").equals("amd64");
        assertEquals(!JFFI_ASKED && x86, LibC.JNI, "JNI library where it is built and not turned off; jffi otherwise");
    }

    @Test
    void theNativeLayersSettingsAreTheRegistrysOnes() {
        assertEquals(org.mptcp4j.internal.policy.Setting.NATIVE.property(), Jni.NATIVE_PROPERTY);
        assertEquals(org.mptcp4j.internal.policy.Setting.NATIVE.environmentVariable(), Jni.NATIVE_VARIABLE);
        assertEquals(org.mptcp4j.internal.policy.Setting.NATIVE_LIBRARY.property(), Jni.LIBRARY_PROPERTY);
        assertEquals(org.mptcp4j.internal.policy.Setting.NATIVE_LIBRARY.environmentVariable(), Jni.LIBRARY_VARIABLE);
    }

    @Test
    void anMptcpSocketAnswersItsOptionsAndKeepsWhatIsSet() throws ErrnoException {
        onSocket(Linux.AF_INET, Linux.IPPROTO_MPTCP, fd -> {
            assertEquals(Linux.IPPROTO_MPTCP, NativeSockets.getIntOption(fd, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
            NativeSockets.setIntOption(fd, Linux.SOL_SOCKET, Linux.SO_REUSEADDR, 1);
            assertEquals(1, NativeSockets.getIntOption(fd, Linux.SOL_SOCKET, Linux.SO_REUSEADDR));
            NativeSockets.setIntsOption(fd, Linux.SOL_SOCKET, 13, new int[] {1, 7}); // SO_LINGER
            assertArrayEquals(new int[] {1, 7}, NativeSockets.getIntsOption(fd, Linux.SOL_SOCKET, 13, 2));
            NativeSockets.setBytesOption(fd, Linux.SOL_TCP, 13, "reno".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // TCP_CONGESTION
            assertEquals("reno", new String(NativeSockets.getBytesOption(fd, Linux.SOL_TCP, 13, 16), java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", ""));
            assertTrue((NativeSockets.fcntl(fd, Linux.F_GETFD, 0) & Linux.FD_CLOEXEC) != 0, "SOCK_CLOEXEC seen by fcntl");
        });
    }

    @Test
    void aNegativeOptionValueReadsBackNegative() throws ErrnoException {
        onSocket(Linux.AF_INET6, 0, fd -> {
            NativeSockets.setIntOption(fd, Linux.IPPROTO_IPV6, 16, -1); // IPV6_UNICAST_HOPS: -1 is the route default
            assertTrue(NativeSockets.getIntOption(fd, Linux.IPPROTO_IPV6, 16) > 0, "the default hop limit, not -1 as unsigned");
            assertEquals(0, NativeSockets.getIntOption(fd, Linux.IPPROTO_IPV6, Linux.IPV6_V6ONLY));
        });
    }

    @Test
    void dup3PutsAnotherSocketBehindAnFd() throws ErrnoException {
        int tcp = NativeSockets.socket(Linux.AF_INET, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, 0);
        int mptcp = NativeSockets.socket(Linux.AF_INET, Linux.SOCK_STREAM | Linux.SOCK_CLOEXEC, Linux.IPPROTO_MPTCP);
        try {
            NativeSockets.dup3(mptcp, tcp, Linux.O_CLOEXEC);
            assertEquals(Linux.IPPROTO_MPTCP, NativeSockets.getIntOption(tcp, Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
        } finally {
            NativeSockets.close(mptcp);
            NativeSockets.close(tcp);
        }
    }

    @Test
    void bindAndGetsocknameRoundTripAnAddress() throws ErrnoException {
        onSocket(Linux.AF_INET, Linux.IPPROTO_MPTCP, fd -> {
            byte[] loopback = {2, 0, 0, 0, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}; // sockaddr_in, port 0
            NativeSockets.bind(fd, loopback);
            byte[] bound = NativeSockets.getsockname(fd);
            assertEquals(16, bound.length);
            assertEquals(127, bound[4]);
            assertTrue(bound[2] != 0 || bound[3] != 0, "an ephemeral port was given");
            ErrnoException e = assertThrows(ErrnoException.class, () -> NativeSockets.getpeername(fd));
            assertEquals(Errno.ENOTCONN, e.errnoConstant(), e.getMessage());
        });
    }

    @Test
    void epollCtlOnANonEpollFdNamesTheCallAndItsErrno() throws ErrnoException {
        onSocket(Linux.AF_INET, 0, fd -> {
            ErrnoException e = assertThrows(ErrnoException.class, () -> NativeSockets.epollCtl(fd, Linux.EPOLL_CTL_ADD, fd, 1, fd));
            assertEquals(Errno.EINVAL, e.errnoConstant(), e.getMessage());
            assertTrue(e.getMessage().startsWith("epoll_ctl(" + fd + ", EPOLL_CTL_ADD"), e.getMessage());
        });
    }

    @Test
    void aNetlinkRequestIsSentAndItsAnswerReceived() throws IOException {
        try (NetlinkSocket nl = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE)) {
            // RTM_GETLINK dump: nlmsghdr (16 bytes) + ifinfomsg (16 bytes)
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.nativeOrder());
            b.putInt(32).putShort((short) 18).putShort((short) (1 | 0x300)).putInt(1).putInt(0);
            nl.send(b.array());
            nl.receiveTimeoutMillis(5000);
            byte[] answer = nl.receive();
            assertTrue(answer.length >= 16, "at least one message back: " + answer.length);
        }
    }

    @Test
    void nativeMemoryHoldsWhatIsPutThere() {
        try (NativeMemory m = new NativeMemory()) {
            long a = m.allocate(16);
            assertArrayEquals(new byte[16], m.bytes(a, 16), "zeroed");
            m.putInt(a, 0x01020304);
            m.putLong(a + 4, 0x0506070809101112L);
            m.putByte(a + 12, (byte) 0x7f);
            assertEquals(0x01020304, m.getInt(a));
            m.putBytes(a + 13, new byte[] {1, 2, 3});
            byte[] all = m.bytes(a, 16);
            assertEquals(0x12, all[4], "little-endian long after the int");
            assertEquals(0x7f, all[12]);
            assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOfRange(all, 13, 16));
        }
    }
}
