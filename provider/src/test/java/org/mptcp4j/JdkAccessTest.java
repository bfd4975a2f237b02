package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mptcp4j.it.Peer;
import org.mptcp4j.testbed.ChildJvm;

/** Without the --add-opens flags the library says exactly which flags to add. */
class JdkAccessTest {
    @Test
    void probeNamesTheMissingFlags() throws Exception {
        Requirements.mptcp();
        try (ChildJvm child = ChildJvm.start(null, List.of(), Peer.class, "probe")) {
            String line = child.awaitLine("AVAILABILITY", 30);
            assertTrue(line.startsWith("AVAILABILITY JDK_NOT_OPEN"), line);
            assertTrue(line.contains("add --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED"), line);
        }
    }

    @Test
    void defaultModeGivesWorkingTcpChannelsAndOneLine() throws Exception {
        Requirements.mptcp();
        try (ChildJvm child = ChildJvm.start(null, List.of(), ClosedJdkEcho.class)) {
            assertEquals(0, child.await(30), child.output());
            assertTrue(child.output().contains("ECHOED ping"), child.output());
            assertEquals(1, child.output().lines().filter(l -> l.contains("using plain TCP")).count(), child.output());
        }
    }

    /** The library's listener and client on loopback, run without the flags: plain TCP that works. */
    public static final class ClosedJdkEcho {
        public static void main(String[] args) throws Exception {
            try (java.nio.channels.ServerSocketChannel server = Mptcp.openServerSocketChannel()) {
                server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
                try (java.nio.channels.SocketChannel client = Mptcp.openSocketChannel()) {
                    client.connect(server.getLocalAddress());
                    try (java.nio.channels.SocketChannel accepted = server.accept()) {
                        client.write(java.nio.ByteBuffer.wrap("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4);
                        while (b.hasRemaining() && accepted.read(b) >= 0) {
                            // four bytes on loopback
                        }
                        System.out.println("ECHOED " + new String(b.array(), java.nio.charset.StandardCharsets.US_ASCII));
                    }
                }
            }
        }
    }

    @Test
    void strictModeThrowsNamingTheFlags() throws Exception {
        Requirements.mptcp();
        try (ChildJvm child = ChildJvm.start(null, List.of(), Peer.class, "server", "0", "strict")) {
            String error = child.awaitLine("ERROR", 30);
            assertTrue(error.contains("--add-opens java.base/sun.nio.ch=ALL-UNNAMED"), error);
            assertEquals(3, child.await(30));
        }
    }
}
