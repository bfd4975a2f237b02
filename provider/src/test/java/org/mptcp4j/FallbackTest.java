package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mixed peers work, and status reports what the kernel made of each end. */
class FallbackTest {
    static final long BYTES = 4L << 20;

    @BeforeAll
    static void kernelHasMptcp() {
        Requirements.mptcp();
    }

    @Test
    void mptcpClientToPlainTcpServerFallsBackAndWorks() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
             SocketChannel client = Mptcp.openSocketChannel(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            Echo.RoundTrip r = Echo.roundTrip(listener, client, BYTES);
            assertEquals(MptcpStatus.FALLBACK, r.client(), "an MPTCP socket whose peer has no MPTCP");
            assertEquals(MptcpStatus.TCP, r.server());
            assertArrayEquals(r.sentSha(), r.receivedSha());
            assertTrue(Mptcp.info(client).isEmpty(), "no MPTCP info for a fallen-back socket");
        }
    }

    @Test
    void plainTcpClientToMptcpServerIsServedAsTcp() throws Exception {
        try (ServerSocketChannel listener = Mptcp.openServerSocketChannel(StandardProtocolFamily.INET);
             SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            assertEquals(MptcpStatus.MPTCP, Mptcp.status(listener));
            Echo.RoundTrip r = Echo.roundTrip(listener, client, BYTES);
            assertEquals(MptcpStatus.TCP, r.client());
            assertEquals(MptcpStatus.FALLBACK, r.server(), "the kernel hands out the plain TCP subflow of an MPTCP listener");
            assertArrayEquals(r.sentSha(), r.receivedSha());
        }
    }

    @Test
    void plainJdkChannelReportsTcp() throws Exception {
        try (SocketChannel plain = SocketChannel.open()) {
            assertEquals(MptcpStatus.TCP, Mptcp.status(plain));
        }
    }
}
