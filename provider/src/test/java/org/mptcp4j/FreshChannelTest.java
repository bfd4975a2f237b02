package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mptcp4j.internal.jdk.JdkInternals;
import org.mptcp4j.internal.sys.Linux;
import org.mptcp4j.internal.sys.NativeSockets;

/**
 * The library's channels are made on an MPTCP socket from the start (the JDK's constructor for accepted
 * channels, set back to new): they must be new channels in every way the JDK's are.
 */
class FreshChannelTest {
    @BeforeAll
    static void kernelHasMptcp() {
        Requirements.mptcp();
    }

    private static int fd(java.nio.channels.NetworkChannel ch) throws Exception {
        return JdkInternals.handle(ch).fd();
    }

    @Test
    void aLibraryChannelIsUnconnectedAndUnboundAsTheJdksIs() throws Exception {
        try (SocketChannel jdk = SocketChannel.open(); SocketChannel lib = Mptcp.openSocketChannel()) {
            assertEquals(jdk.isOpen(), lib.isOpen());
            assertEquals(jdk.isConnected(), lib.isConnected());
            assertEquals(jdk.isConnectionPending(), lib.isConnectionPending());
            assertEquals(jdk.isBlocking(), lib.isBlocking());
            assertNull(lib.getLocalAddress(), "unbound");
            assertNull(lib.getRemoteAddress(), "unconnected");
            assertFalse(lib.socket().isBound());
            assertEquals(jdk.socket().getLocalPort(), lib.socket().getLocalPort());
            assertEquals(NativeSockets.getIntOption(fd(jdk), Linux.SOL_SOCKET, Linux.SO_DOMAIN),
                    NativeSockets.getIntOption(fd(lib), Linux.SOL_SOCKET, Linux.SO_DOMAIN), "the JDK's default family");
            assertEquals(NativeSockets.getIntOption(fd(jdk), Linux.SOL_SOCKET, Linux.SO_REUSEADDR),
                    NativeSockets.getIntOption(fd(lib), Linux.SOL_SOCKET, Linux.SO_REUSEADDR));
            assertEquals(Linux.IPPROTO_MPTCP, NativeSockets.getIntOption(fd(lib), Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
            lib.bind(new InetSocketAddress("127.0.0.1", 0));
            assertNotNull(lib.getLocalAddress(), "bound now");
            assertTrue(org.mptcp4j.internal.engine.Sockets.channelsMadeMptcpFromTheStart(),
                    "made on an MPTCP socket from the start, not a JDK socket then replaced");
        }
    }

    @Test
    void theFamilyAskedForIsTheSocketsFamily() throws Exception {
        try (SocketChannel v4 = Mptcp.openSocketChannel(StandardProtocolFamily.INET)) {
            assertEquals(Linux.AF_INET, NativeSockets.getIntOption(fd(v4), Linux.SOL_SOCKET, Linux.SO_DOMAIN));
            assertEquals(Linux.IPPROTO_MPTCP, NativeSockets.getIntOption(fd(v4), Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
        }
    }

    @Test
    void aLibraryChannelConnectsNonBlockingAndCarriesData() throws Exception {
        try (ServerSocketChannel server = Mptcp.openServerSocketChannel()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel c = Mptcp.openSocketChannel()) {
                c.configureBlocking(false);
                boolean now = c.connect(server.getLocalAddress());
                assertTrue(now || c.isConnectionPending());
                try (SocketChannel accepted = server.accept()) {
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (!c.finishConnect()) {
                        assertTrue(System.nanoTime() < deadline, "connected within 5 s");
                        Thread.onSpinWait();
                    }
                    assertEquals(MptcpStatus.MPTCP, Mptcp.status(c));
                    c.write(ByteBuffer.wrap(new byte[] {4, 2}));
                    ByteBuffer in = ByteBuffer.allocate(2);
                    while (in.hasRemaining()) {
                        accepted.read(in);
                    }
                    assertEquals(4, in.get(0));
                    assertEquals(2, in.get(1));
                }
            }
        }
    }

    @Test
    void aLibrarySocketConnectedWithoutATimeoutIsBlockingMptcpAndCarriesData() throws Exception {
        try (ServerSocket server = Mptcp.sockets().newServerSocket(0, 50, InetAddress.getLoopbackAddress()); Socket s = Mptcp.newSocket()) {
            s.connect(server.getLocalSocketAddress());
            try (Socket accepted = server.accept()) {
                assertTrue(s.getChannel().isBlocking());
                assertEquals(0, NativeSockets.fcntl(fd(s.getChannel()), Linux.F_GETFL, 0) & Linux.O_NONBLOCK, "the socket itself is blocking");
                assertEquals(MptcpStatus.MPTCP, Mptcp.status(s));
                s.getOutputStream().write(42);
                assertEquals(42, accepted.getInputStream().read());
            }
        }
    }

    @Test
    void aLibrarySocketRefusedWithoutATimeoutIsClosedAsTheJdksIs() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (Socket jdk = SocketChannel.open().socket(); Socket lib = Mptcp.newSocket()) {
            assertThrows(ConnectException.class, () -> jdk.connect(nobody));
            assertThrows(ConnectException.class, () -> lib.connect(nobody));
            assertEquals(jdk.isClosed(), lib.isClosed());
            assertTrue(lib.isClosed(), "a failed connect closes the channel");
        }
    }

    @Test
    void aLibrarySocketsConnectTimeoutStillFires() throws Exception {
        try (ServerSocket full = Mptcp.sockets().newServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // never accepted: once its queue is full the kernel drops further SYNs, so a connect can only time out
            List<Socket> queued = new ArrayList<>();
            try {
                SocketTimeoutException timedOut = null;
                for (int i = 0; i < 8 && timedOut == null; i++) {
                    Socket q = Mptcp.newSocket();
                    queued.add(q);
                    try {
                        q.connect(full.getLocalSocketAddress(), 200);
                    } catch (SocketTimeoutException e) {
                        timedOut = e;
                    }
                }
                assertNotNull(timedOut, "8 connections on a backlog of 1 and no SYN dropped: nothing to time out");
                assertTrue(queued.get(queued.size() - 1).isClosed(), "a timed-out connect closes the socket");
            } finally {
                for (Socket q : queued) {
                    q.close();
                }
            }
        }
    }

    @Test
    void eachLibrarySocketIsCountedConvertedOnce() throws Exception {
        long before = Mptcp.counters().converted();
        try (Socket s = Mptcp.newSocket(); SocketChannel c = Mptcp.openSocketChannel()) {
            assertEquals(before + 2, Mptcp.counters().converted());
            assertEquals(Linux.IPPROTO_MPTCP, NativeSockets.getIntOption(fd(s.getChannel()), Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
            assertEquals(Linux.IPPROTO_MPTCP, NativeSockets.getIntOption(fd(c), Linux.SOL_SOCKET, Linux.SO_PROTOCOL));
        }
    }
}
