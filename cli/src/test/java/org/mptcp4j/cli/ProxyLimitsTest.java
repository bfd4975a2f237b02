package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Netns;
import org.mptcp4j.testbed.Testbed;

/**
 * {@code proxy gateway} against peers that try to make it hold things: thousands of idle connections,
 * a client that stops reading mid-transfer, more connections than allowed, connections that say
 * nothing for longer than the idle timeout. A real transfer still completes intact beside them, and
 * the proxy's threads and memory stay bounded (read from /proc).
 */
class ProxyLimitsTest {
    static final int IDLERS = 2000;

    Testbed bed;
    final List<ChildJvm> children = new ArrayList<>();

    @BeforeEach
    void twoHosts() throws Exception {
        org.mptcp4j.Requirements.root();
        bed = Testbed.builder().label("pl").paths(1).build();
    }

    @AfterEach
    void remove() throws Exception {
        for (ChildJvm c : children) {
            c.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    private ChildJvm start(Netns ns, Class<?> main, String... args) throws Exception {
        List<String> jvm = new ArrayList<>(ToolJvm.options());
        jvm.add("-Xss256k");
        ChildJvm c = ChildJvm.start(ns, jvm, main, args);
        children.add(c);
        return c;
    }

    private ChildJvm gateway(String... limits) throws Exception {
        List<String> a = new ArrayList<>(List.of("proxy", "gateway", "--listen", "7000", "--to", Testbed.serverAddress(0) + ":5400"));
        a.addAll(List.of(limits));
        ChildJvm g = start(bed.client(), Main.class, a.toArray(new String[0]));
        g.awaitLine("listening", 30);
        return g;
    }

    /** The upstream server, unmodified java.net under {@code mptcpize run}: the gateway's MPTCP hop negotiates. */
    private ChildJvm upstream() throws Exception {
        List<String> jvm = new ArrayList<>(ToolJvm.options());
        jvm.add("-Xss256k");
        ChildJvm u = ChildJvm.start(bed.server(), List.of("mptcpize", "run"), jvm, Hostile.class, "upstream", "5400");
        children.add(u);
        u.awaitLine("READY", 30);
        return u;
    }

    /** A 16 MiB transfer through the gateway: the SHA-256 the source sent is what the upstream got. */
    private void transferIntact(ChildJvm upstream) throws Exception {
        try (ChildJvm source = ChildJvm.start(bed.client(), ToolJvm.options(), PlainEnds.class, "source", "127.0.0.1", "7000", "16777216")) {
            assertEquals(0, source.await(60), source.output());
            String sent = source.awaitLine("SOURCE", 1);
            String got = upstream.awaitLine("GOT", 30);
            assertEquals(sent.substring(sent.indexOf(' ')), got.substring(got.indexOf(' ')), "bytes and SHA-256");
        }
    }

    /** Polls the gateway's log until {@code n} connections were relayed (they complete in any order). */
    private static void awaitConnections(ChildJvm g, int n) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        long seen;
        while ((seen = g.output().lines().filter(l -> l.startsWith("connection ") && l.endsWith("in TCP, out MPTCP")).count()) < n) {
            assertTrue(System.nanoTime() < deadline, seen + " of " + n + " connections relayed over MPTCP:\n" + g.output());
            Thread.sleep(50); // polling the gateway's log
        }
    }

    private static long status(ChildJvm c, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + c.pid() + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError(field + " not in /proc/" + c.pid() + "/status");
    }

    @Test
    void thousandsOfIdleConnectionsHoldNoThreadsAndATransferStillCompletes() throws Exception {
        ChildJvm up = upstream();
        ChildJvm g = gateway();
        ChildJvm idlers = start(bed.client(), Hostile.class, "idlers", "127.0.0.1", "7000", Integer.toString(IDLERS), "0");
        idlers.awaitLine("OPEN " + IDLERS, 60);
        awaitConnections(g, IDLERS);
        long threads = status(g, "Threads");
        long rssKb = status(g, "VmRSS");
        System.out.println("FIGURE proxy gateway with " + IDLERS + " idle connections: " + threads + " threads, " + rssKb / 1024 + " MiB resident");
        assertTrue(threads <= 40, IDLERS + " idle connections, " + threads + " threads (one relay thread, the JVM's own)");
        assertTrue(rssKb < 250 * 1024, IDLERS + " idle connections, " + rssKb / 1024 + " MiB resident");
        transferIntact(up);
    }

    @Test
    void aClientThatStopsReadingHoldsOneChunkNotTheStream() throws Exception {
        ChildJvm up = upstream();
        ChildJvm g = gateway();
        ChildJvm staller = start(bed.client(), Hostile.class, "stall", "127.0.0.1", "7000");
        staller.awaitLine("STALLING", 30);
        g.awaitLine("connection 1:", 30);
        transferIntact(up); // beside the stalled one, a transfer completes: the relay thread is not blocked
        long before = status(g, "VmRSS");
        long sent = bed.server().rxTxBytes(Testbed.dev(0))[1];
        Thread.sleep(3000); // a span of stalling to measure over, not a synchronisation
        long flowed = bed.server().rxTxBytes(Testbed.dev(0))[1] - sent;
        long after = status(g, "VmRSS");
        assertTrue(flowed < 4 << 20, "the upstream is held back by TCP, not buffered by the proxy: " + flowed + " bytes in 3 s");
        assertTrue(after - before < 32 * 1024, "resident memory grew by " + (after - before) / 1024 + " MiB while the client stalled");
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedWithOneLine() throws Exception {
        upstream();
        ChildJvm g = gateway("--max-conns", "10");
        ChildJvm idlers = start(bed.client(), Hostile.class, "idlers", "127.0.0.1", "7000", "15", "5");
        assertEquals("OPEN 15 CLOSED 5", idlers.awaitLine("OPEN", 60), "five refused, ten kept");
        assertTrue(g.output().contains("refusing connections: 10 open, the limit (--max-conns 10)"), g.output());
    }

    @Test
    void connectionsIdleBeyondTheTimeoutAreClosed() throws Exception {
        upstream();
        gateway("--idle", "1");
        ChildJvm idlers = start(bed.client(), Hostile.class, "idlers", "127.0.0.1", "7000", "3", "3");
        assertEquals("OPEN 3 CLOSED 3", idlers.awaitLine("OPEN", 60));
    }

    @Test
    void badLimitsAreOneLine() {
        MainTest.Run r = MainTest.run("proxy", "gateway", "--listen", "7000", "--to", "127.0.0.1:1", "--max-conns", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().strip().startsWith("mptcp4j: "), r.err());
        assertTrue(r.err().contains("--max-conns") && r.err().contains("0"), r.err());
    }
}
