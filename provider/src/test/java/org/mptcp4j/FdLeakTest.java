package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** No path leaks a file descriptor: counted in /proc/self/fd. */
class FdLeakTest {
    @BeforeAll
    static void kernelHasMptcp() {
        Requirements.mptcp();
    }

    /**
     * Every fd now open that was not before must not be a socket (what mptcp4j could leak); other
     * files the JVM opens lazily (jars, /dev/random) are reported but are not ours.
     */
    static void assertNoNewSockets(java.util.Set<String> before, String when) throws IOException {
        java.util.Set<String> now = fds();
        now.removeAll(before);
        now.removeIf(entry -> !entry.contains("socket:"));
        assertTrue(now.isEmpty(), "socket fds leaked " + when + ": " + now);
    }

    @Test
    void tenThousandOpenUpgradeCloseCyclesKeepTheFdCount() throws Exception {
        cycle(200); // warm up lazily opened files (jars, native library)
        java.util.Set<String> before = fds();
        cycle(10_000);
        assertNoNewSockets(before, "after 10,000 cycles");
    }

    static java.util.Set<String> fds() throws IOException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    out.add(p.getFileName() + "->" + Files.readSymbolicLink(p));
                } catch (IOException gone) {
                    // the directory's own fd
                }
            }
        }
        return out;
    }


    private static void cycle(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            switch (i % 5) {
                case 0:
                    Mptcp.openSocketChannel().close();
                    break;
                case 1:
                    Mptcp.openServerSocketChannel().close();
                    break;
                case 2:
                    Mptcp.newSocket().close();
                    break;
                case 3: { // a failing upgrade: bound channel
                    try (ServerSocketChannel bound = ServerSocketChannel.open()) {
                        bound.bind(new InetSocketAddress("127.0.0.1", 0));
                        assertThrows(IllegalStateException.class, () -> Mptcp.upgrade(bound));
                    }
                    break;
                }
                default: { // a failing upgrade: closed channel
                    SocketChannel closed = SocketChannel.open();
                    closed.close();
                    assertThrows(java.nio.channels.ClosedChannelException.class, () -> Mptcp.upgrade(closed));
                }
            }
        }
    }

    @Test
    void connectedCyclesKeepTheFdCount() throws Exception {
        try (ServerSocketChannel listener = Mptcp.openServerSocketChannel(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0), 512);
            connectAccept(listener, 50);
            java.util.Set<String> before = fds();
            connectAccept(listener, 1_000);
            assertNoNewSockets(before, "after 1,000 connect/accept/close cycles");
        }
    }

    static void connectAccept(ServerSocketChannel listener, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            try (SocketChannel c = Mptcp.openSocketChannel(StandardProtocolFamily.INET)) {
                c.connect(listener.getLocalAddress());
                try (SocketChannel a = listener.accept()) {
                    assertEquals(MptcpStatus.MPTCP, Mptcp.status(a));
                }
            }
        }
    }

    @Test
    void javaNetSocketCyclesKeepTheFdCount() throws Exception {
        // newServerSocket/newSocket are channel views: accept() goes through the adaptor's blockingAccept
        try (java.net.ServerSocket listener = Mptcp.newServerSocket()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0), 512);
            socketAccept(listener, 50);
            java.util.Set<String> before = fds();
            socketAccept(listener, 1_000);
            assertNoNewSockets(before, "after 1,000 java.net connect/accept/close cycles");
        }
    }

    private static void socketAccept(java.net.ServerSocket listener, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            try (java.net.Socket c = Mptcp.newSocket()) {
                c.connect(listener.getLocalSocketAddress());
                try (java.net.Socket a = listener.accept()) {
                    assertEquals(MptcpStatus.MPTCP, Mptcp.status(a));
                }
            }
        }
    }

    @Test
    void sixtyFourThreadsOpenConcurrentlyAndAllAreMptcp() throws Exception {
        java.util.Set<String> before = fds();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                results.add(pool.submit(() -> {
                    int mptcp = 0;
                    for (int i = 0; i < 100; i++) {
                        try (SocketChannel ch = Mptcp.openSocketChannel()) {
                            if (Mptcp.status(ch) == MptcpStatus.MPTCP) {
                                mptcp++;
                            }
                        }
                    }
                    return mptcp;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(64 * 100, total, "every concurrently opened channel is MPTCP");
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertNoNewSockets(before, "after concurrent opens");
    }
}
