package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
}
