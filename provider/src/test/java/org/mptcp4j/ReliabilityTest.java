package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.MptcpMBean;

/** Load and concurrency: many connections at once, many cycles, upgrades racing closes. Bounded in time. */
class ReliabilityTest {
    @BeforeAll
    static void kernelHasMptcp() {
        Requirements.mptcp();
    }

    @Test
    void aThousandConcurrentMptcpConnectionsAllWorkAndAllAreReleased() throws Exception {
        // one connection first: the JDK keeps a socket of its own (its pre-close descriptor, one end of a socketpair)
        // from its first channel close on, which must be there before the count when this test runs first
        try (ServerSocketChannel l = Mptcp.openServerSocketChannel(StandardProtocolFamily.INET)) {
            FdLeakTest.connectAccept(l.bind(new InetSocketAddress("127.0.0.1", 0)), 1);
        }
        Set<String> before = FdLeakTest.fds();
        int n = 1000;
        try (ServerSocketChannel listener = Mptcp.openServerSocketChannel(StandardProtocolFamily.INET)) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0), n);
            List<SocketChannel> clients = new ArrayList<>();
            List<SocketChannel> accepted = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    SocketChannel c = Mptcp.openSocketChannel(StandardProtocolFamily.INET);
                    clients.add(c);
                    c.connect(listener.getLocalAddress());
                    accepted.add(listener.accept());
                }
                int mptcp = 0;
                for (int i = 0; i < n; i++) {
                    clients.get(i).write(ByteBuffer.wrap(new byte[] {(byte) i}));
                    ByteBuffer one = ByteBuffer.allocate(1);
                    accepted.get(i).read(one);
                    assertEquals((byte) i, one.get(0));
                    if (Mptcp.status(clients.get(i)) == MptcpStatus.MPTCP && Mptcp.status(accepted.get(i)) == MptcpStatus.MPTCP) {
                        mptcp++;
                    }
                }
                assertEquals(n, mptcp, "all 1,000 connections MPTCP on both ends while open together");
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
                for (SocketChannel c : accepted) {
                    c.close();
                }
            }
        }
        FdLeakTest.assertNoNewSockets(before, "after 1,000 concurrent connections");
    }

    @Test
    void aHundredThousandOpenCloseCyclesKeepFdsThreadsAndHeapFlat() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            Mptcp.openSocketChannel().close();
        }
        awaitMBean(); // its registration thread ends after a second: count threads without it
        System.gc();
        Set<String> fdsBefore = FdLeakTest.fds();
        int threadsBefore = Thread.activeCount();
        long heapBefore = usedHeapAfterGc();
        for (int i = 0; i < 100_000; i++) {
            Mptcp.openSocketChannel().close();
        }
        FdLeakTest.assertNoNewSockets(fdsBefore, "after 100,000 cycles");
        assertEquals(threadsBefore, Thread.activeCount(), "no thread growth");
        long heapAfter = usedHeapAfterGc();
        assertTrue(heapAfter < heapBefore + (16L << 20), "heap steady: " + heapBefore / 1024 + " KiB -> " + heapAfter / 1024 + " KiB");
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void upgradeRacingCloseNeverLeaksOrCorrupts() throws Exception {
        Set<String> before = FdLeakTest.fds();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger upgraded = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try {
            for (int i = 0; i < 2_000; i++) {
                SocketChannel ch = SocketChannel.open();
                CountDownLatch go = new CountDownLatch(1);
                Future<?> up = pool.submit(() -> {
                    go.await();
                    try {
                        Mptcp.upgrade(ch);
                        upgraded.incrementAndGet();
                    } catch (ClosedChannelException e) {
                        refused.incrementAndGet();
                    }
                    return null;
                });
                Future<?> close = pool.submit(() -> {
                    go.await();
                    ch.close();
                    return null;
                });
                go.countDown();
                up.get(10, TimeUnit.SECONDS);
                close.get(10, TimeUnit.SECONDS);
                assertTrue(!ch.isOpen());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2_000, upgraded.get() + refused.get(), "every race ended in an upgrade or a clean ClosedChannelException");
        FdLeakTest.assertNoNewSockets(before, "after 2,000 upgrade/close races");
    }

    @Test
    void upgradeRacingConnectEitherUpgradesFirstOrIsRefused() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int mptcp = 0;
        int refused = 0;
        Set<String> before = FdLeakTest.fds();
        try (ServerSocketChannel l = Mptcp.openServerSocketChannel(StandardProtocolFamily.INET)) {
            l.bind(new InetSocketAddress("127.0.0.1", 0), 1024);
            for (int i = 0; i < 500; i++) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET)) {
                    CountDownLatch go = new CountDownLatch(1);
                    Future<Boolean> up = pool.submit(() -> {
                        go.await();
                        try {
                            Mptcp.upgrade(ch);
                            return true;
                        } catch (IllegalStateException alreadyConnected) {
                            return false;
                        }
                    });
                    Future<?> connect = pool.submit(() -> {
                        go.await();
                        ch.connect(l.getLocalAddress());
                        return null;
                    });
                    go.countDown();
                    boolean upgraded = up.get(10, TimeUnit.SECONDS);
                    connect.get(10, TimeUnit.SECONDS);
                    MptcpStatus s = Mptcp.status(ch);
                    // the swap happened wholly before the connect (MPTCP) or not at all (TCP): never half
                    assertEquals(upgraded ? MptcpStatus.MPTCP : MptcpStatus.TCP, s, "upgrade returned " + upgraded);
                    if (upgraded) {
                        mptcp++;
                    } else {
                        refused++;
                    }
                    ch.write(ByteBuffer.wrap(new byte[] {1}));
                    try (SocketChannel a = l.accept()) {
                        ByteBuffer one = ByteBuffer.allocate(1);
                        assertEquals(1, a.read(one), "the connection works either way");
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(500, mptcp + refused);
        FdLeakTest.assertNoNewSockets(before, "after 500 upgrade/connect races");
    }

    @Test
    void upgradeRacingConfigureBlockingKeepsTheModeTheJdkRecorded() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (ServerSocketChannel l = Mptcp.openServerSocketChannel(StandardProtocolFamily.INET)) {
            l.bind(new InetSocketAddress("127.0.0.1", 0), 512);
            for (int i = 0; i < 500; i++) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET)) {
                    CountDownLatch go = new CountDownLatch(1);
                    Future<?> up = pool.submit(() -> {
                        go.await();
                        Mptcp.upgrade(ch);
                        return null;
                    });
                    Future<?> mode = pool.submit(() -> {
                        go.await();
                        ch.configureBlocking(false);
                        return null;
                    });
                    go.countDown();
                    up.get(10, TimeUnit.SECONDS);
                    mode.get(10, TimeUnit.SECONDS);
                    // the kernel's O_NONBLOCK must match what the channel believes: a non-blocking connect returns at once
                    boolean done = ch.connect(l.getLocalAddress());
                    while (!done) {
                        done = ch.finishConnect();
                    }
                    assertEquals(MptcpStatus.MPTCP, Mptcp.status(ch));
                    ByteBuffer empty = ByteBuffer.allocate(1);
                    assertEquals(0, ch.read(empty), "a non-blocking read with nothing to read returns 0 instead of blocking");
                    l.accept().close();
                }
            }
        } catch (IOException e) {
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until mptcp4j's MBean is registered and its background thread has ended. */
    static void awaitMBean() throws Exception {
        assertTrue(MptcpMBean.await(10).isRegistered(MptcpMBean.NAME), "the MBean was registered");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("mptcp4j-jmx")) {
                t.join(10_000); // it returns right after registering
            }
        }
    }
}
