package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** upgrade() on caller-owned channels and sockets: what is allowed, what is refused, what is kept. */
class UpgradeTest {
    @BeforeAll
    static void kernelHasMptcp() {
        Requirements.mptcp();
    }

    @Test
    void upgradeTurnsAFreshChannelIntoMptcp() throws Exception {
        try (SocketChannel ch = SocketChannel.open()) {
            assertEquals(MptcpStatus.TCP, Mptcp.status(ch));
            assertSame(ch, Mptcp.upgrade(ch));
            assertEquals(MptcpStatus.MPTCP, Mptcp.status(ch));
        }
    }

    @Test
    void upgradeTwiceIsHarmless() throws Exception {
        try (SocketChannel ch = Mptcp.openSocketChannel()) {
            Mptcp.upgrade(ch);
            assertEquals(MptcpStatus.MPTCP, Mptcp.status(ch));
        }
    }

    @Test
    void upgradeKeepsOptionsAlreadySet() throws Exception {
        try (SocketChannel ch = SocketChannel.open()) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 256 * 1024);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            int rcvbuf = ch.getOption(StandardSocketOptions.SO_RCVBUF);
            Mptcp.upgrade(ch);
            assertEquals(MptcpStatus.MPTCP, Mptcp.status(ch));
            assertTrue(ch.getOption(StandardSocketOptions.TCP_NODELAY));
            assertTrue(ch.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertTrue(ch.getOption(StandardSocketOptions.SO_REUSEADDR));
            assertEquals(rcvbuf, ch.getOption(StandardSocketOptions.SO_RCVBUF));
        }
    }

    @Test
    void upgradeKeepsNonBlockingMode() throws Exception {
        try (SocketChannel ch = SocketChannel.open(); ServerSocketChannel l = Mptcp.openServerSocketChannel()) {
            l.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.configureBlocking(false);
            Mptcp.upgrade(ch);
            assertFalse(ch.isBlocking());
            // a non-blocking connect on the swapped fd must not block: it returns or is pending
            boolean done = ch.connect(l.getLocalAddress());
            while (!done) {
                done = ch.finishConnect();
            }
            assertEquals(MptcpStatus.MPTCP, Mptcp.status(ch));
        }
    }

    @Test
    void boundChannelIsRefusedWithAClearMessage() throws Exception {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Mptcp.upgrade(ch));
            assertTrue(e.getMessage().contains("upgrade before bind"), e.getMessage());
            assertEquals(MptcpStatus.TCP, Mptcp.status(ch));
        }
    }

    @Test
    void aDatagramChannelIsRefusedWithAClearMessage() throws Exception {
        try (java.nio.channels.DatagramChannel udp = java.nio.channels.DatagramChannel.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mptcp.upgrade(udp));
            assertTrue(e.getMessage().contains("only TCP channels become MPTCP"), e.getMessage());
            assertTrue(e.getMessage().contains("DatagramChannel"), "names what was given: " + e.getMessage());
        }
    }

    @Test
    void aUnixDomainChannelIsRefusedWithAClearMessage() throws Exception {
        try (SocketChannel local = SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mptcp.upgrade(local));
            assertEquals("cannot upgrade a Unix-domain channel: only TCP channels become MPTCP", e.getMessage());
            assertTrue(local.isOpen(), "still the caller's, as it was");
        }
    }

    @Test
    void connectedChannelIsRefused() throws Exception {
        try (ServerSocketChannel l = ServerSocketChannel.open(); SocketChannel ch = SocketChannel.open()) {
            l.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.connect(l.getLocalAddress());
            assertThrows(IllegalStateException.class, () -> Mptcp.upgrade(ch));
        }
    }

    @Test
    void closedChannelIsRefused() throws Exception {
        SocketChannel ch = SocketChannel.open();
        ch.close();
        assertThrows(ClosedChannelException.class, () -> Mptcp.upgrade(ch));
    }

    @Test
    void plainSocketAndServerSocketCanBeUpgraded() throws Exception {
        try (ServerSocket server = Mptcp.upgrade(new ServerSocket()); Socket client = Mptcp.upgrade(new Socket())) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            assertEquals(MptcpStatus.MPTCP, Mptcp.status(server));
            client.connect(server.getLocalSocketAddress());
            try (Socket accepted = server.accept()) {
                assertEquals(MptcpStatus.MPTCP, Mptcp.status(client));
                assertEquals(MptcpStatus.MPTCP, Mptcp.status(accepted));
            }
        }
    }

    @Test
    void boundSocketIsRefused() throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            assertThrows(IllegalStateException.class, () -> Mptcp.upgrade(s));
        }
    }

    @Test
    void closedSocketIsRefused() throws Exception {
        Socket s = new Socket();
        s.close();
        assertThrows(SocketException.class, () -> Mptcp.upgrade(s));
    }
}
