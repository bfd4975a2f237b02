package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Netns;
import org.mptcp4j.testbed.Testbed;

/**
 * The seed's gateway setup: plain TCP client -> gateway -> MPTCP over two paths -> reverse proxy ->
 * plain TCP server. The bytes arrive intact, and only the middle hop is MPTCP (kernel counters).
 */
class ProxyChainTest {
    Testbed bed;

    @BeforeEach
    void twoHosts() throws Exception {
        if (!Netns.canCreate()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true: the proxy test needs root");
            }
            assumeTrue(false, "needs root");
        }
        bed = Testbed.builder().label("px").paths(2).rateMbit(200).build();
    }

    @AfterEach
    void remove() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void plainEndsTalkThroughAnMptcpMiddleHopIntact() throws Exception {
        List<String> jvm = ToolJvm.options();
        try (ChildJvm sink = ChildJvm.start(bed.server(), jvm, PlainEnds.class, "sink", "5300");
             ChildJvm reverse = ChildJvm.start(bed.server(), jvm, Main.class, "proxy", "reverse", "--listen", "6000", "--to", "127.0.0.1:5300");
             ChildJvm gateway = ChildJvm.start(bed.client(), jvm, Main.class, "proxy", "gateway", "--listen", "7000",
                     "--to", Testbed.serverAddress(0) + ":6000")) {
            sink.awaitLine("READY", 30);
            reverse.awaitLine("listening", 30);
            gateway.awaitLine("listening", 30);
            try (ChildJvm source = ChildJvm.start(bed.client(), jvm, PlainEnds.class, "source", "127.0.0.1", "7000", "33554432")) {
                assertEquals(0, source.await(60), source.output());
                String sent = source.awaitLine("SOURCE", 1);
                String got = sink.awaitLine("SINK", 30);
                assertEquals(sent.substring(sent.indexOf(' ')), got.substring(got.indexOf(' ')), "bytes and SHA-256 at both plain ends");
            }
            assertTrue(gateway.output().contains("in TCP, out MPTCP"), gateway.output());
            assertTrue(reverse.output().contains("in MPTCP, out TCP"), reverse.output());
        }
        assertEquals(1, bed.server().counter("MPTcpExtMPCapableSYNRX"), "exactly one MPTCP connection: the middle hop");
        assertTrue(bed.client().counter("MPTcpExtMPJoinSynAckRx") >= 1, "the middle hop used the second path too");
    }

    @Test
    void proxyWithBadTargetIsOneLine() {
        MainTest.Run r = MainTest.run("proxy", "gateway", "--listen", "7000", "--to", "nohostport");
        assertEquals(2, r.exit());
        assertEquals("mptcp4j: bad address: nohostport (expected HOST:PORT)", r.err().strip());
    }
}
