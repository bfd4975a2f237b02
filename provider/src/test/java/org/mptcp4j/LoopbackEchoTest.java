package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both ends MPTCP on loopback: the kernel says MPTCP on both, and 64 MiB come back intact. */
class LoopbackEchoTest {
    static final long BYTES = 64L << 20;

    @BeforeAll
    static void kernelHasMptcp() {
        Requirements.mptcp();
    }

    @Test
    void ipv4EchoIsMptcpOnBothEndsAndIntact() throws Exception {
        try (ServerSocketChannel listener = Mptcp.openServerSocketChannel(StandardProtocolFamily.INET);
             SocketChannel client = Mptcp.openSocketChannel(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            assertIntactMptcp(Echo.roundTrip(listener, client, BYTES));
        }
    }

    @Test
    void ipv6EchoIsMptcpOnBothEndsAndIntact() throws Exception {
        try (ServerSocketChannel listener = Mptcp.openServerSocketChannel(StandardProtocolFamily.INET6);
             SocketChannel client = Mptcp.openSocketChannel(StandardProtocolFamily.INET6)) {
            listener.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            assertIntactMptcp(Echo.roundTrip(listener, client, BYTES));
        }
    }

    @Test
    void dualStackListenerAcceptsIpv4MptcpClient() throws Exception {
        try (ServerSocketChannel listener = Mptcp.openServerSocketChannel();
             SocketChannel client = Mptcp.openSocketChannel(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress(0)); // wildcard on the JDK's dual-stack IPv6 socket
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            assertIntactMptcp(Echo.roundTrip(listener, client, new InetSocketAddress("127.0.0.1", port), BYTES));
        }
    }

    private static void assertIntactMptcp(Echo.RoundTrip r) {
        assertEquals(MptcpStatus.MPTCP, r.client(), "client status from the kernel");
        assertEquals(MptcpStatus.MPTCP, r.server(), "accepted socket status from the kernel");
        assertEquals(BYTES, r.received());
        assertArrayEquals(r.sentSha(), r.receivedSha(), "SHA-256 of what was sent and what came back");
    }
}
